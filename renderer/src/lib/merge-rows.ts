/**
 * Applies a batch of updated rows to a list in one pass, for the engine's per-file events:
 * applied one by one, each event copied the whole list and re-ran every view derived from it,
 * which at 20,000 portraits kept the page busy for half a core while the engine analysed.
 */

interface Row {
  id: number;
}

/** Rows of `batch` put in place of the rows with their id (the last version of a repeat wins); the rest, in first-seen order. */
function replaceById<T extends Row>(list: readonly T[], batch: readonly T[]): { out: T[]; fresh: T[] } {
  const latest = new Map<number, T>();
  for (const row of batch) latest.set(row.id, row);
  const out = list.map((row) => {
    const next = latest.get(row.id);
    if (next) latest.delete(row.id);
    return next ?? row;
  });
  return { out, fresh: [...latest.values()] };
}

/**
 * Rows of `batch` replace the rows with their id; the others are inserted in `key` order
 * (the list is kept sorted by `key`, ties after the rows already there). O(list + batch log batch).
 */
export function mergeSorted<T extends Row>(list: readonly T[], batch: readonly T[], key: (row: T) => string): T[] {
  const { out, fresh } = replaceById(list, batch);
  if (!fresh.length) return out;
  fresh.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  const merged: T[] = [];
  let i = 0;
  for (const row of fresh) {
    const k = key(row);
    while (i < out.length && key(out[i]!) <= k) merged.push(out[i++]!);
    merged.push(row);
  }
  while (i < out.length) merged.push(out[i++]!);
  return merged;
}

/** Rows of `batch` replace the rows with their id; the others are appended in the order they came. */
export function mergeAppend<T extends Row>(list: readonly T[], batch: readonly T[]): T[] {
  const { out, fresh } = replaceById(list, batch);
  return [...out, ...fresh];
}
