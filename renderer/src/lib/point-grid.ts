/**
 * Nearest-point lookup for the emotion plane when its points are drawn on a canvas (too many for
 * one SVG element each): points are bucketed in square cells, so a pointer move looks at nine
 * cells, not at 20,000 points.
 */
export interface GridPoint {
  x: number;
  y: number;
}

export class PointGrid<T extends GridPoint> {
  private readonly cells = new Map<number, T[]>();

  constructor(
    points: readonly T[],
    private readonly cell = 24,
  ) {
    for (const p of points) {
      const k = this.key(Math.floor(p.x / cell), Math.floor(p.y / cell));
      const list = this.cells.get(k);
      if (list) list.push(p);
      else this.cells.set(k, [p]);
    }
  }

  private key(cx: number, cy: number): number {
    return (cx + 4096) * 8192 + (cy + 4096);
  }

  /** The point nearest (x, y) within `radius` (at most one cell), or null. Later points win ties (they are drawn on top). */
  nearest(x: number, y: number, radius: number): T | null {
    const cx = Math.floor(x / this.cell);
    const cy = Math.floor(y / this.cell);
    let best: T | null = null;
    let bestD = radius * radius;
    for (let i = cx - 1; i <= cx + 1; i++) {
      for (let j = cy - 1; j <= cy + 1; j++) {
        for (const p of this.cells.get(this.key(i, j)) ?? []) {
          const d = (p.x - x) ** 2 + (p.y - y) ** 2;
          if (d <= bestD) {
            bestD = d;
            best = p;
          }
        }
      }
    }
    return best;
  }
}
