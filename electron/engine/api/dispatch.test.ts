import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { API_CHANNELS, API_METHODS, type ApiHandlers } from '../../../shared/api.ts';
import { Engine } from '../engine.ts';
import { createApiHandlers } from './api-handlers.ts';
import { dispatch } from './dispatch.ts';
import { SessionScope } from './session-scope.ts';

let tmp: string;
let engine: Engine;
let handlers: ApiHandlers;
const allowed: string[] = [];

before(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ps-dispatch-'));
  engine = new Engine({ dataDir: tmp });
  handlers = createApiHandlers(
    engine,
    { mediaBase: 'ps-media://media/', thumbsDir: path.join(tmp, 'thumbs'), allowRoot: (f) => allowed.push(f), pickFolder: async () => null, pickExportFolder: async () => null, confirmReplace: async () => false },
    new SessionScope(),
  );
});
after(() => {
  engine.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

const MALFORMED: unknown[] = [
  undefined, null, 0, -1, 1.5, NaN, '', 'x'.repeat(10_000), true, [], [1, 2], {}, { id: 'x' }, { id: -3 }, { id: 1.5 },
  { folder: 42 }, { folder: '' }, { path: '/tmp', kind: 'videos' }, { kind: 'portraits', extra: 1 }, { jobId: '' },
  { jobId: 'x'.repeat(500) }, { __proto__: { polluted: true } }, { folder: '/tmp\0/x' }, Symbol.for('x').description,
  { id: Number.MAX_SAFE_INTEGER + 2 }, new Array(1000).fill({ a: 1 }),
];

test('every channel answers malformed arguments with a clean error envelope', async () => {
  for (const method of API_METHODS) {
    for (const arg of MALFORMED) {
      const res = await dispatch(handlers, API_CHANNELS[method], arg);
      if (res.ok) {
        // Only argument-free calls may succeed on junk-free input.
        assert.equal(method, 'getAppInfo');
        assert.equal(arg, undefined);
        continue;
      }
      // Some junk is a valid argument for some method (`{}` for browseFolders): it is then
      // refused for what it asks, as forbidden or missing, never served.
      assert.ok(['invalid-argument', 'not-found', 'forbidden'].includes(res.error.code), `${method}(${String(JSON.stringify(arg)).slice(0, 40)}) → ${res.error.code}`);
      assert.ok(res.error.message.length > 0);
    }
  }
  assert.deepEqual(allowed, [], 'no malformed call widened what may be served');
});

test('unknown channels and non-string channels are refused', async () => {
  for (const ch of ['ps:nope', '', 42, null, {}, 'ps:get-app-info '.trim() + 'x']) {
    const res = await dispatch(handlers, ch, undefined);
    assert.equal(res.ok, false);
    if (!res.ok) assert.equal(res.error.code, 'unknown-channel');
  }
});

test('valid calls pass through; engine errors keep their code', async () => {
  const info = await dispatch(handlers, API_CHANNELS.getAppInfo, undefined);
  assert.ok(info.ok);
  const missing = await dispatch(handlers, API_CHANNELS.getPortrait, { id: 999 });
  assert.deepEqual(missing.ok ? null : missing.error.code, 'not-found');
  const notRecent = await dispatch(handlers, API_CHANNELS.openRecentFolder, { path: tmp, kind: 'portraits' });
  assert.deepEqual(notRecent.ok ? null : notRecent.error.code, 'forbidden');
  const cancelled = await dispatch(handlers, API_CHANNELS.chooseFolder, { kind: 'portraits' });
  assert.deepEqual(cancelled, { ok: true, value: null });
});
