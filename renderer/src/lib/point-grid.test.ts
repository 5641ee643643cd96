import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PointGrid } from './point-grid.ts';

test('finds the nearest point within the radius, across cell borders', () => {
  const pts = [{ id: 1, x: 10, y: 10 }, { id: 2, x: 23, y: 10 }, { id: 3, x: 25, y: 10 }, { id: 4, x: 300, y: 300 }];
  const g = new PointGrid(pts, 24);
  assert.equal(g.nearest(24.5, 10, 12)?.id, 3);
  assert.equal(g.nearest(22, 11, 12)?.id, 2);
  assert.equal(g.nearest(11, 9, 12)?.id, 1);
  assert.equal(g.nearest(150, 150, 12), null);
  assert.equal(g.nearest(290, 300, 12)?.id, 4);
  assert.equal(g.nearest(280, 300, 12), null);
});

test('agrees with a linear scan on 20,000 random points', () => {
  let seed = 7;
  const rnd = (): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) * 640;
  const pts = Array.from({ length: 20_000 }, (_, id) => ({ id, x: rnd(), y: rnd() }));
  const g = new PointGrid(pts, 24);
  for (let k = 0; k < 300; k++) {
    const x = rnd();
    const y = rnd();
    let best: number | null = null;
    let bd = 144;
    for (const p of pts) {
      const d = (p.x - x) ** 2 + (p.y - y) ** 2;
      if (d <= bd) (bd = d), (best = p.id);
    }
    assert.equal(g.nearest(x, y, 12)?.id ?? null, best);
  }
});
