/**
 * Songs bucketed on a grid over the valence/arousal plane, one grid per reading quadrant, so the
 * matcher finds a target's best songs by looking at the cells around it instead of scoring the
 * whole library for every portrait (20,000 portraits × 5,000 songs).
 *
 * Exact, not approximate: a song's score is its distance plus a non-negative uncertainty, so no
 * song outside a box of cells farther than the k-th best score found so far can still enter the
 * top k; the box widens ring by ring until that holds, and the result equals a full sort by
 * (score, id).
 */
import type { Quadrant, VA } from './emotion.ts';
import { SongTree, type SongArrays } from './song-tree.ts';

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

/**
 * Songs found for one target, unordered: position, score and a group number (a ranking puts
 * lower groups first). Reused across targets; `n` is how many are filled.
 */
export class Head {
  readonly pos: Int32Array;
  readonly score: Float64Array;
  readonly group: Uint8Array;
  n = 0;

  constructor(capacity: number) {
    this.pos = new Int32Array(capacity);
    this.score = new Float64Array(capacity);
    this.group = new Uint8Array(capacity);
  }
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
  /** The same songs by quadrant in k-d trees, for the searches that skip closed songs and for counting ranks. */
  private readonly trees = new Map<Quadrant, SongTree>();
  /** Each song's leaf in its quadrant's tree, by position. */
  private readonly leafOf: Int32Array;
  /** Each song's quadrant and id, by position: what ranking songs by position reads. */
  readonly quadrantOf: readonly Quadrant[];
  readonly idOf: Float64Array;
  private readonly at: SongArrays;
  private readonly heaps = new Map<number, WorstFirst>();

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
    this.quadrantOf = songs.map((s) => s.quadrant);
    this.leafOf = new Int32Array(songs.length);
    const byPosition: SongArrays = {
      v: Float64Array.from(songs, (s) => s.valence),
      a: Float64Array.from(songs, (s) => s.arousal),
      penalty: Float64Array.from(songs, (s) => s.penalty),
      ids: Float64Array.from(songs, (s) => s.id),
    };
    this.idOf = byPosition.ids;
    this.at = byPosition;
    for (const q of quadrants) {
      const members: number[] = [];
      songs.forEach((s, i) => s.quadrant === q && members.push(i));
      this.trees.set(q, new SongTree(members, byPosition, this.leafOf));
    }
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
   * `accept` lets through, best first: score ascending, then id.
   */
  best(target: VA, k: number, accept: (q: Quadrant) => boolean): number[] {
    const heap = this.fill(target, k, accept);
    return heap ? heap.drain(this.order) : [];
  }

  /**
   * The same songs as `best`, in no order, appended to `head` with their scores and `group`: for
   * a caller that needs only the best few of them and their ranks, which a sort would overpay for.
   */
  collect(target: VA, k: number, accept: (q: Quadrant) => boolean, head: Head, group: number): void {
    this.fill(target, k, accept)?.copyInto(head, group, this.order);
  }

  private fill(target: VA, k: number, accept: (q: Quadrant) => boolean): WorstFirst | null {
    const grids: Int32Array[] = [];
    for (const [q, g] of this.grids) if (accept(q)) grids.push(g);
    if (k <= 0 || grids.length === 0) return null;
    const heap = this.heapFor(Math.min(k, this.songs.length));
    const { side, width } = this;
    const last = side - 1;
    const tx = this.axis(target.valence);
    const ty = this.axis(target.arousal);
    // A first box about large enough for k songs, scanned row by row, then one ring at a time.
    const r0 = Math.max(0, Math.ceil((Math.sqrt(k / SONGS_PER_CELL) - 1) / 2));
    let x0 = Math.max(0, tx - r0);
    let x1 = Math.min(last, tx + r0);
    let y0 = Math.max(0, ty - r0);
    let y1 = Math.min(last, ty + r0);
    this.box(grids, x0, x1, y0, y1, target, heap);
    while (x0 > 0 || x1 < last || y0 > 0 || y1 < last) {
      if (heap.full()) {
        // The nearest a song outside the box can be: the target's distance to the box's nearest open side.
        let gap = Infinity;
        if (x0 > 0) gap = Math.min(gap, target.valence - (x0 * width - 1));
        if (x1 < last) gap = Math.min(gap, (x1 + 1) * width - 1 - target.valence);
        if (y0 > 0) gap = Math.min(gap, target.arousal - (y0 * width - 1));
        if (y1 < last) gap = Math.min(gap, (y1 + 1) * width - 1 - target.arousal);
        // The margin covers rounding between a cell's edge and the coordinates floor() put in it.
        if (gap - 1e-9 + this.leastPenalty > heap.worstScore()) break;
      }
      const nx0 = Math.max(0, x0 - 1);
      const nx1 = Math.min(last, x1 + 1);
      if (y0 > 0) this.box(grids, nx0, nx1, y0 - 1, y0 - 1, target, heap);
      if (y1 < last) this.box(grids, nx0, nx1, y1 + 1, y1 + 1, target, heap);
      if (nx0 < x0) this.box(grids, nx0, nx0, y0, y1, target, heap);
      if (nx1 > x1) this.box(grids, nx1, nx1, y0, y1, target, heap);
      x0 = nx0;
      x1 = nx1;
      y0 = Math.max(0, y0 - 1);
      y1 = Math.min(last, y1 + 1);
    }
    return heap;
  }

  /** The score of the song at `position` for a target: what `best` ranks by. */
  scoreOf(position: number, target: VA): number {
    const dv = this.at.v[position]! - target.valence;
    const da = this.at.a[position]! - target.arousal;
    return Math.sqrt(dv * dv + da * da) + this.at.penalty[position]!;
  }

  /** One heap per size, emptied for each search: a playlist searches 20,000 times with the same two sizes. */
  private heapFor(k: number): WorstFirst {
    let heap = this.heaps.get(k);
    if (!heap) this.heaps.set(k, (heap = new WorstFirst(k, this.ids)));
    heap.clear();
    return heap;
  }

  /**
   * How many songs of the quadrants `accept` lets through rank before a song of score `score` and
   * id `id` for `target` (a better score, or the same and a smaller id).
   */
  countBefore(target: VA, score: number, id: number, accept: (q: Quadrant) => boolean): number {
    let n = 0;
    for (const [q, tree] of this.trees) if (accept(q)) n += tree.countBefore(target.valence, target.arousal, score, id);
    return n;
  }

  /** A set of songs to leave out of firstOpen, empty at first (songs used as often as allowed). */
  exclusion(): Exclusion {
    return new Exclusion(this.songs.length, this.leafOf, this.quadrantOf, this.trees);
  }

  /**
   * Position of the song ranking first for `target` (score, then id) among those of the
   * quadrants `accept` lets through that `exclude` does not leave out; -1 when there is none.
   */
  firstOpen(target: VA, accept: (q: Quadrant) => boolean, exclude: Exclusion): number {
    const best = { position: -1, score: Infinity };
    for (const [q, tree] of this.trees) if (accept(q)) tree.firstOpen(target.valence, target.arousal, exclude.excluded, exclude.openIn(q), best);
    return best.position;
  }

  /** How many songs of the quadrants `accept` lets through. */
  count(accept: (q: Quadrant) => boolean): number {
    let n = 0;
    for (const [q, starts] of this.grids) if (accept(q)) n += starts[starts.length - 1]! - starts[0]!;
    return n;
  }

  /** Offers the songs of cells x0..x1 × y0..y1 of each grid to the heap: a row's cells are one run of the arrays. */
  private box(grids: readonly Int32Array[], x0: number, x1: number, y0: number, y1: number, target: VA, heap: WorstFirst): void {
    const side = this.side;
    const { v, a, penalty } = this;
    const tv = target.valence;
    const ta = target.arousal;
    for (let g = 0; g < grids.length; g++) {
      const starts = grids[g]!;
      for (let y = y0; y <= y1; y++) {
        for (let i = starts[y * side + x0]!, end = starts[y * side + x1 + 1]!; i < end; i++) {
          const dv = v[i]! - tv;
          const da = a[i]! - ta;
          heap.offer(i, Math.sqrt(dv * dv + da * da) + penalty[i]!);
        }
      }
    }
  }
}

/** Songs left out of SongIndex.firstOpen, by position, with how many are still in under each tree node. */
export class Exclusion {
  readonly excluded: Uint8Array;
  private readonly open = new Map<Quadrant, Int32Array>();

  constructor(songs: number, private readonly leafOf: Int32Array, private readonly quadrantOf: readonly Quadrant[], private readonly trees: ReadonlyMap<Quadrant, SongTree>) {
    this.excluded = new Uint8Array(songs);
    for (const [q, tree] of trees) this.open.set(q, tree.openCounts());
  }

  openIn(q: Quadrant): Int32Array {
    return this.open.get(q)!;
  }

  exclude(position: number): void {
    if (this.excluded[position]) return;
    this.excluded[position] = 1;
    const q = this.quadrantOf[position]!;
    this.trees.get(q)!.close(this.leafOf[position]!, this.open.get(q)!);
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

  /** drain's working arrays, kept between searches. */
  private readonly sorted: Float64Array;
  private readonly placed: Int32Array;

  constructor(private readonly k: number, private readonly ids: Float64Array) {
    this.score = new Float64Array(k);
    this.pos = new Int32Array(k);
    this.sorted = new Float64Array(k);
    this.placed = new Int32Array(k);
  }

  clear(): void {
    this.n = 0;
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

  /** The entries, unordered, onto the end of `head`. */
  copyInto(head: Head, group: number, order: Int32Array): void {
    for (let j = 0; j < this.n; j++) {
      head.pos[head.n] = order[this.pos[j]!]!;
      head.score[head.n] = this.score[j]!;
      head.group[head.n++] = group;
    }
  }

  /**
   * The entries best first, as positions into the songs (`order` maps the heap's to them). The scores are sorted natively and each entry placed by binary search
   * (a comparator sort or a heapsort was most of a search's time); only exact ties go by id.
   */
  drain(order: Int32Array): number[] {
    const m = this.n;
    const sorted = this.sorted.subarray(0, m);
    sorted.set(this.score.subarray(0, m));
    sorted.sort();
    const out = new Array<number>(m);
    const placed = this.placed.fill(0, 0, m);
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
    for (let j = 0; j < m; j++) out[j] = order[out[j]!]!;
    return out;
  }

}
