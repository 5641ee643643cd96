/**
 * Which catalog rows under a folder have lost their file: not found by the walk, and not on
 * disk either (a file the walk passes over, such as one in a hidden folder, keeps its row).
 * A re-scan, a re-open and the folder watcher all prune by this one rule.
 */
import fs from 'node:fs';

export function missingRows<Row extends { path: string }>(rows: Row[], walked: Iterable<string>): Row[] {
  const present = new Set(walked);
  return rows.filter((r) => !present.has(r.path) && !fs.existsSync(r.path));
}
