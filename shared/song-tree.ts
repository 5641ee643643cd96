/**
 * A k-d tree over one quadrant's songs for the two questions a crowded playlist asks once its
 * nearest songs are used as often as allowed: which song still open ranks first for a target,
 * and how many songs rank before a given one. The grid (song-index.ts) answers them only by
 * walking ring after ring of closed cells, or by scoring every song; here a subtree is passed
 * over or counted whole when its box and penalties settle it.
 *
 * Exact: bounds use the same floating-point operations as a song's score, and those are
 * monotone, so a box's least score is never above a song's inside it (nor its most below).
 */

/** Songs per leaf: a few scored directly cost less than another level of boxes. */
const LEAF = 8;

export interface SongArrays {
  v: Float64Array;
  a: Float64Array;
  penalty: Float64Array;
  ids: Float64Array;
}

export class SongTree {
  /** Song positions, each node's songs contiguous in it. */
  private readonly items: Int32Array;
  private readonly start: Int32Array;
  private readonly end: Int32Array;
  /** Children of a node; -1 at a leaf. */
  private readonly left: Int32Array;
  private readonly right: Int32Array;
  private readonly parent: Int32Array;
  private readonly loV: Float64Array;
  private readonly hiV: Float64Array;
  private readonly loA: Float64Array;
  private readonly hiA: Float64Array;
  private readonly minPen: Float64Array;
  private readonly maxPen: Float64Array;
  private nodes = 0;

  constructor(positions: readonly number[], private readonly s: SongArrays, private readonly leafOf: Int32Array) {
    this.items = Int32Array.from(positions);
    const max = Math.max(1, 2 * Math.ceil(positions.length / (LEAF / 2)) + 1);
    this.start = new Int32Array(max);
    this.end = new Int32Array(max);
    this.left = new Int32Array(max);
    this.right = new Int32Array(max);
    this.parent = new Int32Array(max);
    this.loV = new Float64Array(max);
    this.hiV = new Float64Array(max);
    this.loA = new Float64Array(max);
    this.hiA = new Float64Array(max);
    this.minPen = new Float64Array(max);
    this.maxPen = new Float64Array(max);
    if (positions.length > 0) this.build(0, positions.length, -1);
  }

  get size(): number {
    return this.items.length;
  }

  private build(from: number, to: number, parent: number): number {
    const n = this.nodes++;
    const { v, a, penalty } = this.s;
    let loV = Infinity, hiV = -Infinity, loA = Infinity, hiA = -Infinity, minP = Infinity, maxP = -Infinity;
    for (let i = from; i < to; i++) {
      const p = this.items[i]!;
      loV = Math.min(loV, v[p]!); hiV = Math.max(hiV, v[p]!);
      loA = Math.min(loA, a[p]!); hiA = Math.max(hiA, a[p]!);
      minP = Math.min(minP, penalty[p]!); maxP = Math.max(maxP, penalty[p]!);
    }
    this.start[n] = from;
    this.end[n] = to;
    this.parent[n] = parent;
    this.loV[n] = loV; this.hiV[n] = hiV; this.loA[n] = loA; this.hiA[n] = hiA;
    this.minPen[n] = minP; this.maxPen[n] = maxP;
    if (to - from <= LEAF) {
      this.left[n] = -1;
      this.right[n] = -1;
      for (let i = from; i < to; i++) this.leafOf[this.items[i]!] = n;
      return n;
    }
    // Split the wider side at its median.
    const axis = hiV - loV >= hiA - loA ? v : a;
    const part = Array.from(this.items.subarray(from, to)).sort((x, y) => axis[x]! - axis[y]! || x - y);
    this.items.set(part, from);
    const mid = (from + to) >> 1;
    this.left[n] = this.build(from, mid, n);
    this.right[n] = this.build(mid, to, n);
    return n;
  }

  /** Songs under each node not yet closed: all of them, for a new search over open songs. */
  openCounts(): Int32Array {
    const open = new Int32Array(this.nodes);
    for (let n = 0; n < this.nodes; n++) open[n] = this.end[n]! - this.start[n]!;
    return open;
  }

  /** Counts a song closed (used as often as allowed) in `open`; `leaf` is the node leafOf gave it. */
  close(leaf: number, open: Int32Array): void {
    for (let n = leaf; n >= 0; n = this.parent[n]!) open[n]!--;
  }

  /** The least score any song of node n can have for the target (penalties included). */
  private least(n: number, tv: number, ta: number): number {
    const dv = tv < this.loV[n]! ? this.loV[n]! - tv : tv > this.hiV[n]! ? tv - this.hiV[n]! : 0;
    const da = ta < this.loA[n]! ? this.loA[n]! - ta : ta > this.hiA[n]! ? ta - this.hiA[n]! : 0;
    return Math.sqrt(dv * dv + da * da) + this.minPen[n]!;
  }

  /** The most score any song of node n can have for the target. */
  private most(n: number, tv: number, ta: number): number {
    const dv = Math.max(Math.abs(this.loV[n]! - tv), Math.abs(this.hiV[n]! - tv));
    const da = Math.max(Math.abs(this.loA[n]! - ta), Math.abs(this.hiA[n]! - ta));
    return Math.sqrt(dv * dv + da * da) + this.maxPen[n]!;
  }

  /**
   * The open song (not marked in `closed`; `open` counts them per node) ranking first for the
   * target (score, then id), if it beats `best`; `best` is updated in place, so several trees can be searched in turn for one answer.
   */
  firstOpen(tv: number, ta: number, closed: Uint8Array, open: Int32Array, best: { position: number; score: number }): void {
    if (this.items.length > 0) this.search(0, tv, ta, closed, open, best);
  }

  private search(n: number, tv: number, ta: number, closed: Uint8Array, open: Int32Array, best: { position: number; score: number }): void {
    if (open[n] === 0 || this.least(n, tv, ta) > best.score) return;
    const l = this.left[n]!;
    if (l < 0) {
      const { v, a, penalty, ids } = this.s;
      for (let i = this.start[n]!, end = this.end[n]!; i < end; i++) {
        const p = this.items[i]!;
        if (closed[p]) continue;
        const dv = v[p]! - tv;
        const da = a[p]! - ta;
        const x = Math.sqrt(dv * dv + da * da) + penalty[p]!;
        if (x < best.score || (x === best.score && (best.position < 0 || ids[p]! < ids[best.position]!))) {
          best.score = x;
          best.position = p;
        }
      }
      return;
    }
    const r = this.right[n]!;
    // The nearer child first: its best tightens the bound that may spare the other.
    if (this.least(l, tv, ta) <= this.least(r, tv, ta)) {
      this.search(l, tv, ta, closed, open, best);
      this.search(r, tv, ta, closed, open, best);
    } else {
      this.search(r, tv, ta, closed, open, best);
      this.search(l, tv, ta, closed, open, best);
    }
  }

  /** How many songs (open or not) rank before one of score `score` and id `id`: a better score, or the same and a smaller id. */
  countBefore(tv: number, ta: number, score: number, id: number): number {
    return this.items.length > 0 ? this.count(0, tv, ta, score, id) : 0;
  }

  private count(n: number, tv: number, ta: number, score: number, id: number): number {
    if (this.least(n, tv, ta) > score) return 0;
    if (this.most(n, tv, ta) < score) return this.end[n]! - this.start[n]!;
    const l = this.left[n]!;
    if (l >= 0) return this.count(l, tv, ta, score, id) + this.count(this.right[n]!, tv, ta, score, id);
    const { v, a, penalty, ids } = this.s;
    let k = 0;
    for (let i = this.start[n]!, end = this.end[n]!; i < end; i++) {
      const p = this.items[i]!;
      const dv = v[p]! - tv;
      const da = a[p]! - ta;
      const x = Math.sqrt(dv * dv + da * da) + penalty[p]!;
      if (x < score || (x === score && ids[p]! < id)) k++;
    }
    return k;
  }
}
