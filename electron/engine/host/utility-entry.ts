/**
 * Entry of the engine when Electron runs it as a utility process. It talks over
 * `process.parentPort`, which Electron provides to utility processes; nothing here imports
 * `electron`, so the same engine also runs under plain Node.
 */
import { Engine } from '../engine.ts';
import { EngineError } from '../engine-error.ts';
import { defaultDataDir } from '../data-dir.ts';
import { ENGINE_METHODS, type FromEngine, type ToEngine } from './rpc.ts';

interface ParentPort {
  on(event: 'message', listener: (e: { data: unknown }) => void): void;
  postMessage(message: FromEngine): void;
}

const port = (process as unknown as { parentPort?: ParentPort }).parentPort;
if (!port) throw new Error('utility-entry must run inside an Electron utility process');

const dataDirArg = process.argv.find((a) => a.startsWith('--data-dir='));
const engine = new Engine({
  dataDir: dataDirArg ? dataDirArg.slice('--data-dir='.length) : defaultDataDir(),
  // The folders a person opens in the app stay current while open.
  watchFolders: true,
  emit: (event) => port.postMessage({ event }),
});

port.on('message', async ({ data }) => {
  const msg = data as ToEngine;
  if (typeof msg?.id !== 'number' || !ENGINE_METHODS.includes(msg.method)) return;
  try {
    const fn = engine[msg.method] as (arg: unknown) => Promise<unknown>;
    port.postMessage({ id: msg.id, ok: true, value: await fn.call(engine, msg.arg) });
  } catch (err) {
    const code = err instanceof EngineError ? err.code : 'failed';
    port.postMessage({ id: msg.id, ok: false, error: { code, message: (err as Error).message } });
  }
});
// A clean stop (Ctrl+C in browser mode, app quit): close the catalog so its WAL is checkpointed.
// Work already committed is kept either way; the file in flight is analysed again next time.
process.once('SIGTERM', () => {
  engine.close();
  process.exit(0);
});
port.postMessage({ ready: true });
