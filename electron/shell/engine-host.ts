/**
 * Runs the engine in a utility process (TensorFlow on the main process would freeze the UI),
 * proxies EngineApi calls to it, and restarts it when it dies, telling the window why.
 */
import { utilityProcess, type UtilityProcess } from 'electron';
import type { EngineApi } from '../engine/engine.ts';
import { EngineError } from '../engine/engine-error.ts';
import type { EngineEvent } from '../../shared/api.ts';
import type { FromEngine, ToEngine, EngineMethod } from '../engine/host/rpc.ts';

type Pending = { resolve: (v: unknown) => void; reject: (e: Error) => void };

export class EngineHost {
  private child: UtilityProcess | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private stopping = false;
  private restarts = 0;

  constructor(
    private readonly entry: string,
    private readonly dataDir: string,
    private readonly onEvent: (event: EngineEvent) => void,
  ) {}

  start(): void {
    const child = utilityProcess.fork(this.entry, [`--data-dir=${this.dataDir}`], {
      serviceName: 'Portrait Songs engine',
      stdio: 'inherit',
    });
    child.on('message', (msg: FromEngine) => {
      if ('event' in msg) this.onEvent(msg.event);
      else if ('id' in msg) {
        const p = this.pending.get(msg.id);
        if (!p) return;
        this.pending.delete(msg.id);
        if (msg.ok) p.resolve(msg.value);
        else p.reject(new EngineError(msg.error.code as EngineError['code'], msg.error.message));
      }
    });
    child.on('exit', (code) => {
      this.child = null;
      for (const p of this.pending.values()) p.reject(new Error('The analysis engine stopped unexpectedly; it has been restarted. Please try again.'));
      this.pending.clear();
      if (this.stopping) return;
      this.restarts++;
      // A crash loop must not spin forever; after a few tries the person is told to restart.
      if (this.restarts > 5) {
        this.onEvent({ type: 'engine-restarted', reason: `The analysis engine keeps stopping (exit code ${code}). Please restart Portrait Songs.` });
        return;
      }
      this.start();
      this.onEvent({ type: 'engine-restarted', reason: `The analysis engine stopped (exit code ${code}) and was restarted. Work already saved is kept.` });
    });
    this.child = child;
  }

  private call(method: EngineMethod, arg?: unknown): Promise<unknown> {
    const child = this.child;
    if (!child) return Promise.reject(new Error('The analysis engine is not running.'));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      const msg: ToEngine = { id, method, arg };
      child.postMessage(msg);
    });
  }

  readonly api: EngineApi = {
    getInfo: () => this.call('getInfo') as ReturnType<EngineApi['getInfo']>,
    openFolder: (req) => this.call('openFolder', req) as ReturnType<EngineApi['openFolder']>,
    listPortraits: (req) => this.call('listPortraits', req) as ReturnType<EngineApi['listPortraits']>,
    getPortrait: (req) => this.call('getPortrait', req) as ReturnType<EngineApi['getPortrait']>,
    cancelJob: (req) => this.call('cancelJob', req) as ReturnType<EngineApi['cancelJob']>,
    recentFolders: () => this.call('recentFolders') as ReturnType<EngineApi['recentFolders']>,
  };

  stop(): void {
    this.stopping = true;
    this.child?.kill();
  }
}
