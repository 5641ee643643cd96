// `npm start` after the build: the app in Electron where its binary is (or can be downloaded);
// otherwise the same app in browser mode (the bundled server, the bundled engine), in one sentence.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { findElectronBinary } from './electron-binary.mjs';

const ROOT = path.resolve(import.meta.dirname, '..');
const args = process.argv.slice(2);
const electron = process.env.PORTRAIT_SONGS_NO_ELECTRON
  ? { path: null, reason: 'PORTRAIT_SONGS_NO_ELECTRON is set' }
  : findElectronBinary({ download: true });

let child;
if (electron.path) {
  child = spawn(electron.path, [ROOT, ...args], { stdio: 'inherit', cwd: ROOT });
} else {
  console.log(`Electron cannot start here (${electron.reason}), so Portrait Songs runs in your browser instead.`);
  child = spawn(process.execPath, [path.join(ROOT, 'dist', 'web', 'serve.js'), ...args], { stdio: 'inherit', cwd: ROOT });
}
// Ctrl+C reaches the child from the terminal too; wait for it to stop cleanly instead of dying first.
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
