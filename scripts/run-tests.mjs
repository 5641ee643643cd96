// Node 20's test runner takes no glob patterns: find the test files ourselves and hand them
// to `node --test` with the TypeScript loader.
// Usage: node scripts/run-tests.mjs SUFFIX DIR... [-- extra node --test flags]
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const args = process.argv.slice(2);
const sep = args.indexOf('--');
const [suffix, ...dirs] = sep < 0 ? args : args.slice(0, sep);
const extra = sep < 0 ? [] : args.slice(sep + 1);

function find(dir) {
  const out = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...find(full));
    else if (entry.name.endsWith(suffix)) out.push(full);
  }
  return out;
}

const files = dirs.flatMap(find).sort();
if (files.length === 0) {
  console.error(`No *${suffix} files under ${dirs.join(', ')}`);
  process.exit(1);
}
const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=spec', ...extra, ...files], { stdio: 'inherit' });
process.exit(r.status ?? 1);
