/** The openDroppedPaths call through dispatch: the host's gate, the folder opened, and its scope. */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { API_CHANNELS, type FolderKind, type FolderOpened } from '../../../shared/api.ts';
import type { EngineApi } from '../engine.ts';
import { createApiHandlers, type ApiHost } from './api-handlers.ts';
import { dispatch } from './dispatch.ts';
import { SessionScope } from './session-scope.ts';

let tmp: string;
before(() => {
  tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'ps-open-dropped-')));
  fs.mkdirSync(path.join(tmp, 'songs'));
  fs.writeFileSync(path.join(tmp, 'songs', 'a.ogg'), 'x');
});
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

function setup(gate?: (paths: readonly string[]) => boolean) {
  const opened: { path: string; kind: FolderKind }[] = [];
  const allowed: string[] = [];
  const engine = {
    async openFolder(req: { path: string; kind: FolderKind }): Promise<FolderOpened> {
      opened.push(req);
      return { folder: req.path, kind: req.kind, jobId: null, total: 1, skipped: [] };
    },
  } as unknown as EngineApi;
  const host: ApiHost = {
    mediaBase: '/media/',
    thumbsDir: '/nonexistent/thumbs',
    allowRoot: (f) => allowed.push(f),
    pickFolder: async () => null,
    pickExportFolder: async () => null,
    confirmReplace: async () => false,
    ...(gate ? { mayOpenDropped: gate } : {}),
  };
  const scope = new SessionScope();
  return { handlers: createApiHandlers(engine, host, scope), opened, allowed, scope };
}

test('a dropped music folder opens as music and becomes readable', async () => {
  const { handlers, opened, allowed, scope } = setup();
  const res = await dispatch(handlers, API_CHANNELS.openDroppedPaths, { paths: [path.join(tmp, 'songs')] });
  assert.ok(res.ok, JSON.stringify(res));
  assert.deepEqual(opened, [{ path: path.join(tmp, 'songs'), kind: 'music' }]);
  assert.deepEqual(allowed, [path.join(tmp, 'songs')]);
  assert.equal(scope.covers(path.join(tmp, 'songs', 'a.ogg'), 'music'), true);
});

test('where the host gates drops (Electron), a path it did not see dropped is refused and nothing opens', async () => {
  const { handlers, opened, allowed } = setup((paths) => paths.every((p) => p === '/somewhere/else'));
  const res = await dispatch(handlers, API_CHANNELS.openDroppedPaths, { paths: [path.join(tmp, 'songs')] });
  assert.equal(res.ok ? null : res.error.code, 'forbidden');
  assert.deepEqual(opened, []);
  assert.deepEqual(allowed, []);
});

test('malformed and unusable arguments are refused before anything opens', async () => {
  const { handlers, opened } = setup();
  for (const arg of [{ paths: [] }, { paths: 'x' }, { paths: ['/a\0b'] }, { paths: ['relative'] }, { paths: [path.join(tmp, 'nope')] }, { paths: [tmp + '/songs'], extra: 1 }]) {
    const res = await dispatch(handlers, API_CHANNELS.openDroppedPaths, arg);
    assert.equal(res.ok, false, JSON.stringify(arg));
    if (!res.ok) assert.ok(['invalid-argument', 'not-found'].includes(res.error.code), `${JSON.stringify(arg)} → ${res.error.code}`);
  }
  assert.deepEqual(opened, []);
});
