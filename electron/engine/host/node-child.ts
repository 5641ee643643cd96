/** An EngineChild backed by a Node child process (tests, and a fallback host without Electron). */
import { fork } from 'node:child_process';
import path from 'node:path';
import type { EngineChild, SpawnEngine } from './engine-host.ts';
import type { FromEngine } from './rpc.ts';

/** The engine's TypeScript entry runs through tsx; its bundle (dist/electron/engine-process.js) runs as shipped. */
export const spawnNodeEngine: SpawnEngine = (entry, args) => {
  const shim = ['--import', path.join(import.meta.dirname, 'parent-port-shim.mjs')];
  const child = fork(entry, args, {
    execArgv: entry.endsWith('.ts') ? ['--import', 'tsx', ...shim] : shim,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const adapter: EngineChild & { pid: number | undefined } = {
    pid: child.pid,
    on(event: 'message' | 'exit', listener: ((msg: FromEngine) => void) | ((code: number | null) => void)) {
      if (event === 'message') child.on('message', listener as (msg: FromEngine) => void);
      else child.on('exit', listener as (code: number | null) => void);
    },
    postMessage: (msg) => void child.send(msg),
    kill: () => child.kill(),
  } as EngineChild & { pid: number | undefined };
  return adapter;
};
