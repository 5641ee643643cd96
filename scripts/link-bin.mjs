// npm links the bins of dependencies into node_modules/.bin but not the project's own, so
// `npx portrait-songs` from the project root would look for it on the registry instead.
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const binDir = path.join(root, 'node_modules', '.bin');
const target = path.join(root, 'electron', 'cli', 'portrait-songs.mjs');
fs.mkdirSync(binDir, { recursive: true });
const link = path.join(binDir, 'portrait-songs');
fs.rmSync(link, { force: true });
if (process.platform === 'win32') {
  fs.writeFileSync(`${link}.cmd`, `@node "${target}" %*\r\n`);
} else {
  fs.symlinkSync(path.relative(binDir, target), link);
  fs.chmodSync(target, 0o755);
}
