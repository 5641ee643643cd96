/**
 * The shipped path the scale bench drives: browser mode as `npm start` falls back to it
 * (`node dist/web/serve.js`, which runs the bundled engine in its own process), its event
 * stream and API from this process (with the session cookie, as the page sends it), and the
 * engine process's memory and CPU time from /proc.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import readline from 'node:readline';
import type { EngineEvent } from '../../shared/api.ts';
import { API_CHANNELS, type ApiMethod, type Envelope } from '../../shared/api.ts';
import { REPO } from '../paths.ts';

export const SERVE_BUNDLE = path.join(REPO, 'dist', 'web', 'serve.js');

export interface Served {
  child: ChildProcess;
  url: string;
  origin: string;
  token: string;
  /** The engine's own process (dist/electron/engine-process.js), a child of the server. */
  enginePid: number;
  /** When the server printed its address, ms after it was spawned. */
  startMs: number;
}

/** Starts `node dist/web/serve.js --no-open --port 0 --data-dir DIR` and waits for its engine process. */
export async function startServe(dataDir: string, env: NodeJS.ProcessEnv = {}): Promise<Served> {
  if (!fs.existsSync(SERVE_BUNDLE)) throw new Error('Build first: npm run build (or pass --build)');
  const t0 = performance.now();
  const child = spawn(process.execPath, [SERVE_BUNDLE, '--no-open', '--port', '0', '--data-dir', dataDir], {
    cwd: REPO,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, DISPLAY: '', WAYLAND_DISPLAY: '', ...env },
  });
  const errLines: string[] = [];
  readline.createInterface({ input: child.stderr! }).on('line', (l) => {
    errLines.push(l);
    if (errLines.length > 200) errLines.shift();
    if (process.env.BENCH_SCALE_VERBOSE) process.stderr.write(`[serve] ${l}\n`);
  });
  const url = await new Promise<string>((resolve, reject) => {
    const lines = readline.createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      const m = /running at (http:\/\/127\.0\.0\.1:\d+\/\S*)/.exec(line);
      if (m) resolve(m[1]!);
    });
    child.once('exit', (code) => reject(new Error(`serve exited with ${code} before printing its URL:\n${errLines.join('\n')}`)));
  });
  const startMs = performance.now() - t0;
  const u = new URL(url);
  const enginePid = await waitFor(() => engineChild(child.pid!), 30_000, 'the engine process did not start');
  return { child, url, origin: u.origin, token: u.searchParams.get('token') ?? '', enginePid, startMs };
}

function engineChild(parent: number): number | null {
  let kids: number[] = [];
  try {
    for (const task of fs.readdirSync(`/proc/${parent}/task`)) {
      kids.push(...fs.readFileSync(`/proc/${parent}/task/${task}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number));
    }
  } catch {
    kids = [];
  }
  for (const pid of kids) {
    try {
      if (fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('engine-process')) return pid;
    } catch {
      // gone
    }
  }
  return null;
}

export async function stopServe(s: Served): Promise<number> {
  const t0 = performance.now();
  if (s.child.exitCode === null) {
    await new Promise<void>((resolve) => {
      s.child.once('exit', () => resolve());
      s.child.kill('SIGINT');
    });
  }
  return performance.now() - t0;
}

export async function waitFor<T>(check: () => T | null | undefined | false | Promise<T | null | undefined | false>, ms: number, what: string, everyMs = 100): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out after ${Math.round(ms / 1000)} s: ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** VmRSS and VmHWM (peak) of a process, in MB; null once it is gone. */
export function procMemory(pid: number): { rssMB: number; peakMB: number } | null {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
    return { rssMB: kb('VmRSS') / 1024, peakMB: kb('VmHWM') / 1024 };
  } catch {
    return null;
  }
}

/** User + system CPU seconds of a process, all its threads. */
export function procCpuSeconds(pid: number): number | null {
  return statCpuSeconds(`/proc/${pid}/stat`);
}

/**
 * Waits until a process spends under `busyShare` of a core for a whole second (its background
 * work done: a watcher's start-up crawl, a catch-up re-scan); resolves with the seconds waited,
 * or null when it never went quiet within `timeoutMs`.
 */
export async function processQuiet(pid: number, timeoutMs = 60_000, busyShare = 0.05): Promise<number | null> {
  const t0 = performance.now();
  let before = procCpuSeconds(pid) ?? 0;
  while (performance.now() - t0 < timeoutMs) {
    await new Promise((r) => setTimeout(r, 1000));
    const now = procCpuSeconds(pid) ?? 0;
    if (now - before < busyShare) return (performance.now() - t0) / 1000;
    before = now;
  }
  return null;
}

/** User + system CPU seconds from a /proc stat file: a process's, or one thread's (/proc/PID/task/TID/stat). */
export function statCpuSeconds(statFile: string): number | null {
  try {
    const stat = fs.readFileSync(statFile, 'utf8');
    // The command name may hold spaces; the fields after its closing parenthesis are fixed.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}

export interface TimedEvent {
  at: number;
  event: EngineEvent;
}

/**
 * The server's Server-Sent Events, as the page gets them, read by this process with the session
 * cookie (the page keeps its own stream; this one adds no work to the page).
 */
export class EventTap {
  readonly events: TimedEvent[] = [];
  private req: http.ClientRequest | null = null;
  private waiters = new Set<() => void>();
  onEvent: ((e: EngineEvent) => void) | null = null;

  constructor(private readonly s: Served) {}

  async open(): Promise<void> {
    const u = new URL('/events', this.s.origin);
    await new Promise<void>((resolve, reject) => {
      this.req = http.get(u, { headers: { Cookie: `ps_session=${this.s.token}` } }, (res) => {
        if (res.statusCode !== 200) return reject(new Error(`/events answered ${res.statusCode}`));
        res.setEncoding('utf8');
        let buf = '';
        res.on('data', (chunk: string) => {
          buf += chunk;
          let i: number;
          while ((i = buf.indexOf('\n\n')) >= 0) {
            const block = buf.slice(0, i);
            buf = buf.slice(i + 2);
            for (const line of block.split('\n')) {
              if (!line.startsWith('data: ')) continue;
              const event = JSON.parse(line.slice(6)) as EngineEvent;
              // Rows are big at scale and only their paths and times matter here.
              if (event.type === 'portrait-analysed') this.events.push({ at: performance.now(), event: { type: 'portrait-analysed', portrait: { path: event.portrait.path } as never } });
              else if (event.type === 'song-indexed') this.events.push({ at: performance.now(), event: { type: 'song-indexed', song: { path: event.song.path } as never } });
              else if (event.type !== 'job-progress') this.events.push({ at: performance.now(), event });
              this.onEvent?.(event);
              for (const w of this.waiters) w();
            }
          }
        });
        resolve();
      });
      this.req.on('error', (err) => {
        if (!this.closed) reject(err);
      });
    });
  }

  private closed = false;

  close(): void {
    this.closed = true;
    this.req?.destroy();
  }

  /** The first event at or after `since` (performance.now()) that `pred` accepts. */
  async next(pred: (e: EngineEvent) => boolean, since: number, ms: number, what: string): Promise<TimedEvent> {
    const find = () => this.events.find((t) => t.at >= since && pred(t.event));
    const end = Date.now() + ms;
    for (;;) {
      const hit = find();
      if (hit) return hit;
      if (Date.now() > end) throw new Error(`timed out after ${Math.round(ms / 1000)} s waiting for ${what}`);
      await new Promise<void>((resolve) => {
        const done = () => {
          this.waiters.delete(done);
          clearTimeout(timer);
          resolve();
        };
        const timer = setTimeout(done, 1000);
        this.waiters.add(done);
      });
    }
  }
}

/** One API call as the page makes it (POST, same origin, session cookie); resolves with the value and its size on the wire. */
export async function apiCall<M extends ApiMethod>(s: Served, method: M, arg: unknown): Promise<{ value: unknown; bytes: number; ms: number }> {
  const t0 = performance.now();
  const res = await fetch(`${s.origin}/api/${encodeURIComponent(API_CHANNELS[method])}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Origin: s.origin, Cookie: `ps_session=${s.token}` },
    body: JSON.stringify({ arg }),
  });
  const text = await res.text();
  const ms = performance.now() - t0;
  if (!res.ok) throw new Error(`${method} answered ${res.status}: ${text}`);
  const env = JSON.parse(text) as Envelope<unknown>;
  if (!env.ok) throw new Error(`${method}: ${env.error.message}`);
  return { value: env.value, bytes: Buffer.byteLength(text), ms };
}

/** Samples a process's memory every `everyMs` and keeps the peak. */
export class MemorySampler {
  peakMB = 0;
  private timer: NodeJS.Timeout;
  constructor(private readonly pid: number, everyMs = 1000) {
    this.timer = setInterval(() => this.sample(), everyMs);
    this.timer.unref();
  }
  sample(): number | null {
    const m = procMemory(this.pid);
    if (m) this.peakMB = Math.max(this.peakMB, m.rssMB, m.peakMB);
    return m?.rssMB ?? null;
  }
  stop(): void {
    clearInterval(this.timer);
  }
}

export function dirBytes(dir: string): number {
  let total = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) total += dirBytes(p);
    else if (e.isFile()) total += fs.statSync(p).size;
  }
  return total;
}

/**
 * The disk's own write pace, MB/s: 1 GiB written in 64 MiB blocks and synced, then removed. The
 * media export is mostly copying, so this is the figure to read its time against.
 */
export function diskWritePace(dir: string): number {
  const file = path.join(dir, `disk-pace-${process.pid}.bin`);
  const block = Buffer.alloc(64 * 1024 * 1024, 0x5a);
  const t0 = performance.now();
  const fd = fs.openSync(file, 'w');
  try {
    for (let i = 0; i < 16; i++) fs.writeSync(fd, block);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  const s = (performance.now() - t0) / 1000;
  fs.rmSync(file, { force: true });
  return (16 * 64 * 1024 * 1024) / 1e6 / s;
}
