import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mergeAppend, mergeSorted } from './merge-rows.ts';

type R = { id: number; path: string; v?: number };
const byPath = (r: R) => r.path;

/** The one-event-at-a-time rule the batch replaces: replace by id, else insert before the first larger path. */
function oneByOne(list: R[], batch: R[]): R[] {
  let out = list.slice();
  for (const p of batch) {
    const i = out.findIndex((x) => x.id === p.id);
    if (i >= 0) out = out.with(i, p);
    else {
      const at = out.findIndex((x) => x.path > p.path);
      out = at < 0 ? [...out, p] : out.toSpliced(at, 0, p);
    }
  }
  return out;
}

test('a batch lands as the same events applied one by one would leave the list', () => {
  let seed = 7;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  for (let round = 0; round < 200; round++) {
    const n = Math.floor(rnd() * 30);
    const list: R[] = Array.from({ length: n }, (_, i) => ({ id: i, path: `p${String(Math.floor(rnd() * 50)).padStart(2, '0')}` })).sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    const batch: R[] = Array.from({ length: Math.floor(rnd() * 12) }, () => {
      const id = Math.floor(rnd() * (n + 10)); // some replace, some are new, some repeat within the batch
      const old = list.find((r) => r.id === id);
      return { id, path: old?.path ?? `p${String(Math.floor(rnd() * 50)).padStart(2, '0')}`, v: Math.floor(rnd() * 1000) };
    });
    // A repeated new id takes its last version at its first place; keep paths per id fixed so both rules agree.
    const pathOf = new Map<number, string>();
    for (const r of batch) r.path = pathOf.get(r.id) ?? (pathOf.set(r.id, r.path), r.path);
    assert.deepEqual(mergeSorted(list, batch, byPath), oneByOne(list, batch), `round ${round}`);
  }
});

test('replacements keep their place; the list given is not changed', () => {
  const list: R[] = [{ id: 1, path: 'a' }, { id: 2, path: 'b' }, { id: 3, path: 'c' }];
  const copy = structuredClone(list);
  const out = mergeSorted(list, [{ id: 2, path: 'b', v: 9 }, { id: 4, path: 'bb' }, { id: 5, path: '0' }], byPath);
  assert.deepEqual(out.map((r) => r.id), [5, 1, 2, 4, 3]);
  assert.equal(out[2]!.v, 9);
  assert.deepEqual(list, copy);
  assert.notEqual(mergeSorted(list, [], byPath), list, 'a new array even when nothing changed');
});

test('songs: replaced in place, new ones appended in the order they came, the last version of a repeat wins', () => {
  const list = [{ id: 1, path: 'x' }, { id: 2, path: 'y' }];
  const out = mergeAppend(list, [{ id: 9, path: 'z' }, { id: 1, path: 'x', v: 1 }, { id: 7, path: 'w' }, { id: 9, path: 'z', v: 2 }]);
  assert.deepEqual(out.map((r) => [r.id, r.v]), [[1, 1], [2, undefined], [9, 2], [7, undefined]]);
});
