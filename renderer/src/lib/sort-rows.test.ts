import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sortRows, type SortValue } from './sort-rows.ts';

/** The song table's comparison before sort-rows.ts, kept here as the reference. */
function reference<T>(rows: readonly T[], value: (row: T) => SortValue, ascending: boolean): T[] {
  const dir = ascending ? 1 : -1;
  return [...rows].sort((a, b) => {
    const x = value(a);
    const y = value(b);
    if (x === null || y === null) return Number(x === null) - Number(y === null);
    if (typeof x === 'number' && typeof y === 'number') return (x - y) * dir;
    return String(x).localeCompare(String(y), undefined, { numeric: true, sensitivity: 'base' }) * dir;
  });
}

type Row = { id: number; title: string | null; n: number | null };

function rows(count: number, seed: number): Row[] {
  let s = seed;
  const rnd = (): number => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const words = ['Track', 'track', 'Élan', 'elan', 'Zebra', 'alpha', 'Ärger', 'Song', ''];
  return Array.from({ length: count }, (_, id) => ({
    id,
    title: rnd() < 0.1 ? null : `${words[Math.floor(rnd() * words.length)]} ${Math.floor(rnd() * 30)}`,
    n: rnd() < 0.1 ? null : Math.round(rnd() * 20) / 4,
  }));
}

test('sorting by text or number gives the order of the old comparison, both directions, ties kept', () => {
  for (let seed = 1; seed <= 20; seed++) {
    const list = rows(300, seed);
    for (const ascending of [true, false]) {
      assert.deepEqual(sortRows(list, (r) => r.title, ascending).map((r) => r.id), reference(list, (r) => r.title, ascending).map((r) => r.id), `titles, seed ${seed}`);
      assert.deepEqual(sortRows(list, (r) => r.n, ascending).map((r) => r.id), reference(list, (r) => r.n, ascending).map((r) => r.id), `numbers, seed ${seed}`);
    }
  }
});

test('numbers inside titles sort as numbers, case and accents aside, and missing values go last', () => {
  const list: Row[] = [
    { id: 1, title: 'Track 10', n: 3 },
    { id: 2, title: null, n: null },
    { id: 3, title: 'track 2', n: 1 },
    { id: 4, title: 'Élan', n: 2 },
  ];
  assert.deepEqual(sortRows(list, (r) => r.title, true).map((r) => r.id), [4, 3, 1, 2]);
  assert.deepEqual(sortRows(list, (r) => r.title, false).map((r) => r.id), [1, 3, 4, 2]);
  assert.deepEqual(sortRows(list, (r) => r.n, false).map((r) => r.id), [1, 4, 3, 2]);
  assert.deepEqual(list.map((r) => r.id), [1, 2, 3, 4], 'the input is left as it was');
});
