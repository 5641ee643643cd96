import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { EngineHost } from './engine-host.ts';
import { spawnNodeEngine } from './node-child.ts';
import type { EngineEvent } from '../../../shared/api.ts';

const ENTRY = path.join(import.meta.dirname, 'utility-entry.ts');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ps-host-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

const waitFor = <T>(probe: () => T | undefined, ms = 30_000): Promise<T> =>
  new Promise((resolve, reject) => {
    const t0 = Date.now();
    const tick = () => {
      const v = probe();
      if (v !== undefined) return resolve(v);
      if (Date.now() - t0 > ms) return reject(new Error('timed out'));
      setTimeout(tick, 50);
    };
    tick();
  });

test('the engine runs in a child process; a kill -9 restarts it and the window is told', async () => {
  const events: EngineEvent[] = [];
  const host = new EngineHost(spawnNodeEngine, ENTRY, tmp, (e) => events.push(e));
  host.start();
  try {
    const info = await host.api.getInfo();
    assert.equal(info.dataDir, tmp);
    // A choice made before the kill is read back by the restarted engine, from the data folder.
    assert.equal((await host.api.setFaceSearch({ mode: 'quick' })).faceSearch, 'quick');
    const firstPid = (host.running as unknown as { pid: number }).pid;

    // A call in flight when the process dies is answered with an error, not left hanging.
    const inFlight = host.api.getInfo().then(() => 'answered', (e: Error) => e.message);
    process.kill(firstPid, 'SIGKILL');
    const outcome = await inFlight;
    assert.ok(outcome === 'answered' || /stopped while working/.test(outcome), outcome);

    const restarted = await waitFor(() => events.find((e) => e.type === 'engine-restarted'));
    assert.match(restarted.type === 'engine-restarted' ? restarted.reason : '', /restarted/);
    const again = await host.api.getInfo();
    assert.equal(again.dataDir, tmp);
    assert.equal(again.faceSearch, 'quick');
    assert.notEqual((host.running as unknown as { pid: number }).pid, firstPid);
  } finally {
    host.stop();
  }
});
