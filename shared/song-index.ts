/**
 * Songs bucketed on a grid over the valence/arousal plane, one grid per reading quadrant, so the
 * matcher finds a target's best songs by looking at the cells around it instead of scoring the
 * whole library for every portrait (20,000 portraits × 5,000 songs).
 *
 * Exact, not approximate: a song's score is its distance plus a non-negative uncertainty, so no
 * song in a cell farther than the k-th best score found so far can still enter the top k; the
 * search widens ring by ring until that holds, and the result equals a full sort by
 * (score, id).
 */
import type { Quadrant, VA } from './emotion.ts';

/** A song as the matcher ranks it: its reading and what its uncertainty adds to the distance. */
export interface IndexedSong {
  id: number;
  quadrant: Quadrant;
  valence: number;
  arousal: number;
  /** Added to the distance; ≥ 0. */
  penalty: number;
}

/** A song's distance from a target on the plane. */
export function songDistance(s: VA, target: VA): number {
  const dv = s.valence - target.valence;
  const da = s.arousal - target.arousal;
  return Math.sqrt(dv * dv + da * da);
}

/** What songs are ranked by for a target: the distance plus the song's uncertainty (the index's scans compute the same inline, over typed arrays). */
export function songScore(s: IndexedSong, target: VA): number {
  return songDistance(s, target) + s.penalty;
}

/** About this many songs per cell: fewer cells to visit against fewer songs scored per cell. */
const SONGS_PER_CELL = 4;
const MAX_SIDE = 64;

export class SongIndex {
  readonly songs: readonly IndexedSong[];
  private readonly side: number;
  private readonly width: number;
  /** Quadrants present, each with its cells' ranges in the arrays below (sorted by quadrant, then cell). */
  private readonly grids = new Map<Quadrant, Int32Array>();
  private readonly order: Int32Array;
  private readonly v: Float64Array;
  private readonly a: Float64Array;
  private readonly penalty: Float64Array;
  private readonly ids: Float64Array;
  private readonly leastPenalty: number;
  private readonly cellByPosition: Int32Array;

  constructor(songs: readonly IndexedSong[]) {
    this.songs = songs;
    this.side = Math.max(1, Math.min(MAX_SIDE, Math.round(Math.sqrt(songs.length / SONGS_PER_CELL))));
    this.width = 2 / this.side;
    const cells = this.side * this.side;
    const key = songs.map((s) => this.cellOf(s.valence, s.arousal));
    const quadrants = [...new Set(songs.map((s) => s.quadrant))];
    const sorted = songs.map((_, i) => i).sort((i, j) => quadrants.indexOf(songs[i]!.quadrant) - quadrants.indexOf(songs[j]!.quadrant) || key[i]! - key[j]!);
    this.order = Int32Array.from(sorted);
    this.v = Float64Array.from(sorted, (i) => songs[i]!.valence);
    this.a = Float64Array.from(sorted, (i) => songs[i]!.arousal);
    this.penalty = Float64Array.from(sorted, (i) => songs[i]!.penalty);
    this.ids = Float64Array.from(sorted, (i) => songs[i]!.id);
    this.leastPenalty = songs.reduce((m, s) => Math.min(m, s.penalty), Infinity);
    this.cellByPosition = Int32Array.from(key);
    let at = 0;
    for (const q of quadrants) {
      // starts[c] .. starts[c + 1]: the songs of quadrant q in cell c.
      const starts = new Int32Array(cells + 1);
      starts[0] = at;
      for (let c = 0; c < cells; c++) {
        while (at < sorted.length && songs[sorted[at]!]!.quadrant === q && key[sorted[at]!] === c) at++;
        starts[c + 1] = at;
      }
      this.grids.set(q, starts);
    }
  }

  /** Column or row of a coordinate; points off the plane go to the border cell on their side, which keeps the ring bound true. */
  private axis(x: number): number {
    const i = Math.floor((x + 1) / this.width);
    return i < 0 ? 0 : i >= this.side ? this.side - 1 : i;
  }

  private cellOf(v: number, a: number): number {
    return this.axis(a) * this.side + this.axis(v);
  }

  /**
   * Positions (into `songs`) of the `k` best songs for `target` among those whose quadrant
   * `accept` lets through and `exclude` (by position) does not mark, best first: score
   * ascending, then id.
   */
  best(target: VA, k: number, accept: (q: Quadrant) => boolean, exclude?: Exclusion): number[] {
    const grids: Int32Array[] = [];
    const open: Int32Array[] | undefined = exclude ? [] : undefined;
    for (const [q, g] of this.grids) {
      if (!accept(q)) continue;
      grids.push(g);
      open?.push(exclude!.openByCell.get(q)!);
    }
    if (k <= 0 || grids.length === 0) return [];
    const heap = new WorstFirst(Math.min(k, this.songs.length), this.ids);
    const tx = this.axis(target.valence);
    const ty = this.axis(target.arousal);
    this.scan(grids, tx, ty, target, heap, exclude, open);
    for (let r = 1; r < this.side; r++) {
      // Every cell of ring r is at least (r − 1) cell widths from the target: nothing there can beat the k-th best so far.
      if (heap.full() && (r - 1) * this.width + this.leastPenalty > heap.worstScore()) break;
      for (let d = -r; d <= r; d++) {
        this.scan(grids, tx + d, ty - r, target, heap, exclude, open);
        this.scan(grids, tx + d, ty + r, target, heap, exclude, open);
        if (d > -r && d < r) {
          this.scan(grids, tx - r, ty + d, target, heap, exclude, open);
          this.scan(grids, tx + r, ty + d, target, heap, exclude, open);
        }
      }
    }
    return heap.drain().map((i) => this.order[i]!);
  }

  /**
   * How many songs of the quadrants `accept` lets through rank before a song of score `score` and
   * id `id` for `target` (a better score, or the same and a smaller id).
   */
  countBefore(target: VA, score: number, id: number, accept: (q: Quadrant) => boolean): number {
    const { v, a, penalty, ids } = this;
    let n = 0;
    for (const [q, starts] of this.grids) {
      if (!accept(q)) continue;
      for (let i = starts[0]!, end = starts[starts.length - 1]!; i < end; i++) {
        const dv = v[i]! - target.valence;
        const da = a[i]! - target.arousal;
        const x = Math.sqrt(dv * dv + da * da) + penalty[i]!;
        if (x < score || (x === score && ids[i]! < id)) n++;
      }
    }
    return n;
  }

  /** A set of songs to leave out of searches, empty at first (songs used as often as allowed). */
  exclusion(): Exclusion {
    const openByCell = new Map<Quadrant, Int32Array>();
    for (const [q, starts] of this.grids) {
      const counts = new Int32Array(starts.length - 1);
      for (let c = 0; c < counts.length; c++) counts[c] = starts[c + 1]! - starts[c]!;
      openByCell.set(q, counts);
    }
    return new Exclusion(this.songs, this.cellByPosition, openByCell);
  }

  /** How many songs of the quadrants `accept` lets through. */
  count(accept: (q: Quadrant) => boolean): number {
    let n = 0;
    for (const [q, starts] of this.grids) if (accept(q)) n += starts[starts.length - 1]! - starts[0]!;
    return n;
  }

  /** Offers the songs of cell (x, y) of each grid to the heap. */
  private scan(grids: readonly Int32Array[], x: number, y: number, target: VA, heap: WorstFirst, exclude?: Exclusion, open?: readonly Int32Array[]): void {
    const side = this.side;
    if (x < 0 || y < 0 || x >= side || y >= side) return;
    const c = y * side + x;
    const { v, a, penalty } = this;
    const tv = target.valence;
    const ta = target.arousal;
    for (let g = 0; g < grids.length; g++) {
      // A cell whose songs are all excluded is passed over whole: late in a crowded playlist most are.
      if (open && open[g]![c] === 0) continue;
      const starts = grids[g]!;
      for (let i = starts[c]!, end = starts[c + 1]!; i < end; i++) {
        if (exclude && exclude.excluded[this.order[i]!]) continue;
        const dv = v[i]! - tv;
        const da = a[i]! - ta;
        heap.offer(i, Math.sqrt(dv * dv + da * da) + penalty[i]!);
      }
    }
  }
}

/** Songs left out of SongIndex.best, by position, with how many are still in per cell. */
export class Exclusion {
  readonly excluded: Uint8Array;

  constructor(
    private readonly songs: readonly IndexedSong[],
    private readonly cellByPosition: Int32Array,
    readonly openByCell: ReadonlyMap<Quadrant, Int32Array>,
  ) {
    this.excluded = new Uint8Array(songs.length);
  }

  exclude(position: number): void {
    if (this.excluded[position]) return;
    this.excluded[position] = 1;
    this.openByCell.get(this.songs[position]!.quadrant)![this.cellByPosition[position]!]!--;
  }
}

/**
 * The k best (score, id) seen so far, in a binary heap with the worst on top: a song enters only
 * if it beats the worst, and the worst is the bound that ends the search.
 */
class WorstFirst {
  private readonly score: Float64Array;
  private readonly pos: Int32Array;
  private n = 0;

  constructor(private readonly k: number, private readonly ids: Float64Array) {
    this.score = new Float64Array(k);
    this.pos = new Int32Array(k);
  }

  full(): boolean {
    return this.n === this.k;
  }

  worstScore(): number {
    return this.score[0]!;
  }

  /** Whether entry i is worse than entry j: a higher score, or the same score and a higher id. */
  private worse(i: number, j: number): boolean {
    const si = this.score[i]!;
    const sj = this.score[j]!;
    return si > sj || (si === sj && this.ids[this.pos[i]!]! > this.ids[this.pos[j]!]!);
  }

  private swap(i: number, j: number): void {
    const s = this.score[i]!;
    this.score[i] = this.score[j]!;
    this.score[j] = s;
    const p = this.pos[i]!;
    this.pos[i] = this.pos[j]!;
    this.pos[j] = p;
  }

  private down(i: number, n: number): void {
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) return;
      const r = l + 1;
      const w = r < n && this.worse(r, l) ? r : l;
      if (!this.worse(w, i)) return;
      this.swap(i, w);
      i = w;
    }
  }

  offer(pos: number, score: number): void {
    if (this.n < this.k) {
      let i = this.n++;
      this.score[i] = score;
      this.pos[i] = pos;
      while (i > 0) {
        const up = (i - 1) >> 1;
        if (!this.worse(i, up)) break;
        this.swap(i, up);
        i = up;
      }
      return;
    }
    const top = this.score[0]!;
    if (score > top || (score === top && this.ids[pos]! >= this.ids[this.pos[0]!]!)) return;
    this.score[0] = score;
    this.pos[0] = pos;
    this.down(0, this.n);
  }

  /**
   * The entries best first. The scores are sorted natively and each entry placed by binary search
   * (a comparator sort or a heapsort was most of a search's time); only exact ties go by id.
   */
  drain(): number[] {
    const m = this.n;
    const sorted = this.score.slice(0, m).sort();
    const out = new Array<number>(m);
    const placed = new Int32Array(m);
    let ties = false;
    for (let j = 0; j < m; j++) {
      const x = this.score[j]!;
      let lo = 0;
      let hi = m;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (sorted[mid]! < x) lo = mid + 1;
        else hi = mid;
      }
      if (placed[lo]! > 0) ties = true;
      out[lo + placed[lo]!++] = this.pos[j]!;
    }
    for (let p = 0; ties && p < m; ) {
      const q = p + Math.max(1, placed[p]!);
      if (q - p > 1) {
        const group = out.slice(p, q).sort((x, y) => this.ids[x]! - this.ids[y]!);
        for (let t = 0; t < group.length; t++) out[p + t] = group[t]!;
      }
      p = q;
    }
    return out;
  }

}
