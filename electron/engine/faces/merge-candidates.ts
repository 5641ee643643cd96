/**
 * Merging the candidates of several detector passes into faces: group candidates that overlap
 * (IoU, or one box mostly inside the other), then accept a group when one member is confident
 * enough on its own pass, or when enough different passes agree. Pure functions, so benches
 * can replay cached pass outputs under many thresholds.
 */
import type { Box, DetectedFace } from '../types.ts';
import type { Candidate } from './art-passes.ts';

export interface PassThresholds {
  /** A candidate at or above this score is a face on its own. */
  accept: number;
  /** A candidate at or above this score counts as one vote (≤ accept). */
  support: number;
}

export interface MergeOptions {
  thresholds: Record<string, PassThresholds>;
  /** Distinct passes that must vote for a group in which no member reaches `accept`. */
  minVotes: number;
  /** Two boxes belong to the same face above this IoU… */
  iou: number;
  /** …or when their intersection covers this share of the smaller box. */
  containment: number;
  /**
   * Boxes whose side is below this share of the largest accepted face's side are dropped
   * (a strong portrait face makes tiny detections elsewhere in the picture unlikely faces).
   * 0 disables it.
   */
  minRelativeSize: number;
  /**
   * Faces whose shorter box side is below this many pixels are dropped: too small to read an
   * expression from (the expression net looks at 112-px crops), and most texture false
   * positives are that small. 0 disables it.
   */
  minFaceSide: number;
  maxFaces: number;
}

export interface MergedFace extends DetectedFace {
  /** Passes that saw this face. */
  passes: string[];
  /** Best score / accept threshold of its pass over the members: ≥ 1 means accepted alone. */
  strength: number;
}

export function iou(a: Box, b: Box): number {
  const inter = intersection(a, b);
  const union = a[2] * a[3] + b[2] * b[3] - inter;
  return union > 0 ? inter / union : 0;
}

export function intersection(a: Box, b: Box): number {
  const w = Math.min(a[0] + a[2], b[0] + b[2]) - Math.max(a[0], b[0]);
  const h = Math.min(a[1] + a[3], b[1] + b[3]) - Math.max(a[1], b[1]);
  return w > 0 && h > 0 ? w * h : 0;
}

function sameFace(a: Box, b: Box, o: MergeOptions): boolean {
  if (iou(a, b) >= o.iou) return true;
  const inter = intersection(a, b);
  const smaller = Math.min(a[2] * a[3], b[2] * b[3]);
  if (smaller <= 0 || inter / smaller < o.containment) return false;
  // Nested boxes are one face only when their sizes are comparable (a small box inside a big
  // one can be a second, smaller face, e.g. a child held in front of an adult's chest).
  const ratio = Math.sqrt(Math.min(a[2] * a[3], b[2] * b[3]) / Math.max(a[2] * a[3], b[2] * b[3]));
  return ratio >= 0.4;
}

/** Strength of a candidate relative to its own pass: ≥ 1 means accepted on its own. */
function strength(c: Candidate, o: MergeOptions): number {
  const t = o.thresholds[c.pass];
  return t ? c.score / t.accept : 0;
}

export function mergeCandidates(candidates: Candidate[], o: MergeOptions): MergedFace[] {
  const usable = candidates
    .filter((c) => {
      const t = o.thresholds[c.pass];
      return t !== undefined && c.score >= t.support && Math.min(c.box[2], c.box[3]) >= o.minFaceSide;
    })
    .sort((a, b) => strength(b, o) - strength(a, o));
  const groups: Candidate[][] = [];
  for (const c of usable) {
    // Join the group whose leader (strongest member) is the same face.
    const g = groups.find((members) => sameFace(members[0]!.box, c.box, o));
    if (g) g.push(c);
    else groups.push([c]);
  }
  const faces: MergedFace[] = [];
  for (const members of groups) {
    const leader = members[0]!;
    const passes = [...new Set(members.map((m) => m.pass))];
    if (strength(leader, o) >= 1 || passes.length >= o.minVotes) {
      faces.push({ box: leader.box, score: Math.max(...members.map((m) => m.score)), passes, strength: strength(leader, o) });
    }
  }
  let kept = faces;
  if (o.minRelativeSize > 0 && faces.length > 1) {
    const largest = Math.max(...faces.map((f) => Math.sqrt(f.box[2] * f.box[3])));
    kept = faces.filter((f) => Math.sqrt(f.box[2] * f.box[3]) >= o.minRelativeSize * largest);
  }
  return kept.slice(0, o.maxFaces);
}
