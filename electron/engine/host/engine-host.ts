/**
 * Runs the engine in a child process and proxies EngineApi calls to it; when the child dies it
 * is restarted and the window is told why. The Electron shell passes `utilityProcess.fork`;
 * the tests pass a Node child process, so the crash handling is tested without Electron.
 */
import type { EngineApi } from '../engine.ts';
import { EngineError } from '../engine-error.ts';
import type { EngineEvent } from '../../../shared/api.ts';
import { ENGINE_METHODS, type EngineMethod, type FromEngine, type ToEngine } from './rpc.ts';

/** The part of Electron's UtilityProcess (or a Node ChildProcess adapter) the host uses. */
export interface EngineChild {
  on(event: 'message', listener: (msg: FromEngine) => void): void;
  on(event: 'exit', listener: (code: number | null) => void): void;
  postMessage(msg: ToEngine): void;
  kill(): boolean;
}

export type SpawnEngine = (entry: string, args: string[]) => EngineChild;

type Pending = { resolve: (v: unknown) => void; reject: (e: Error) => void };

/** Restarts allowed in a row before the person is asked to restart the app. */
export const MAX_RESTARTS = 5;

export class EngineHost {
  private child: EngineChild | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private stopping = false;
  private restarts = 0;
  readonly api: EngineApi;

  constructor(
    private readonly spawn: SpawnEngine,
    private readonly entry: string,
    private readonly dataDir: string,
    private readonly onEvent: (event: EngineEvent) => void,
  ) {
    const api: Record<string, (arg?: unknown) => Promise<unknown>> = {};
    for (const method of ENGINE_METHODS) api[method] = (arg?: unknown) => this.call(method, arg);
    this.api = api as unknown as EngineApi;
  }

  start(): void {
    const child = this.spawn(this.entry, [`--data-dir=${this.dataDir}`]);
    child.on('message', (msg: FromEngine) => {
      if ('event' in msg) this.onEvent(msg.event);
      else if ('ready' in msg) this.restarts = 0;
      else if ('id' in msg) {
        const p = this.pending.get(msg.id);
        if (!p) return;
        this.pending.delete(msg.id);
        if (msg.ok) p.resolve(msg.value);
        else p.reject(new EngineError(msg.error.code as EngineError['code'], msg.error.message));
      }
    });
    child.on('exit', (code) => this.onExit(child, code));
    this.child = child;
  }

  private onExit(child: EngineChild, code: number | null): void {
    if (this.child !== child) return;
    this.child = null;
    for (const p of this.pending.values()) {
      p.reject(new EngineError('failed', 'The analysis engine stopped while working on this; it has been restarted. Please try again.'));
    }
    this.pending.clear();
    if (this.stopping) return;
    this.restarts++;
    if (this.restarts > MAX_RESTARTS) {
      this.onEvent({ type: 'engine-restarted', reason: `The analysis engine keeps stopping (exit code ${code}). Please restart Portrait Songs.` });
      return;
    }
    this.start();
    this.onEvent({
      type: 'engine-restarted',
      reason: `The analysis engine stopped unexpectedly (exit code ${code}) and was restarted. Finished work is kept; open the folder again to continue.`,
    });
  }

  private call(method: EngineMethod, arg?: unknown): Promise<unknown> {
    const child = this.child;
    if (!child) return Promise.reject(new EngineError('failed', 'The analysis engine is not running.'));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      child.postMessage({ id, method, arg });
    });
  }

  /** For tests and diagnostics: the running child, if any. */
  get running(): EngineChild | null {
    return this.child;
  }

  stop(): void {
    this.stopping = true;
    this.child?.kill();
  }

  /** Asks the engine to stop (it closes the catalog on SIGTERM) and waits for it to exit. */
  async shutdown(timeoutMs = 10_000): Promise<void> {
    this.stopping = true;
    const child = this.child;
    if (!child) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, timeoutMs);
      child.on('exit', () => {
        clearTimeout(timer);
        resolve();
      });
      child.kill();
    });
  }
}
