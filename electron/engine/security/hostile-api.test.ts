/**
 * Hostile calls through the dispatcher (issue 14), as a compromised or buggy page could make
 * them: reading the catalog of folders not opened this session, deleting a folder on the page's
 * word, and arguments built to make the dispatcher throw or stall. Each row or case is one attack;
 * the count is printed as a diagnostic.
 */
import { test, before, beforeEach, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { API_CHANNELS, type ApiHandlers, type AppInfo, type Envelope } from '../../../shared/api.ts';
import { defaultSpec } from '../../../shared/match.ts';
import { MAX_SPEC_KEYS } from '../../../shared/api-schema.ts';
import { Engine } from '../engine.ts';
import { FoldersTable, PortraitsTable } from '../catalog/portraits-table.ts';
import { SongsTable } from '../catalog/songs-table.ts';
import { createApiHandlers, type ApiHost } from '../api/api-handlers.ts';
import { dispatch } from '../api/dispatch.ts';
import { SessionScope } from '../api/session-scope.ts';
import { serveMedia } from '../media/serve-media.ts';

let tmp: string;
let attacks = 0;
const engines: Engine[] = [];

before(() => {
  tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'ps-hostile-api-')));
});
after(async (t) => {
  if ('diagnostic' in t) t.diagnostic(`api attacks: ${attacks}`);
  for (const e of engines) {
    await e.idle();
    e.close();
  }
  fs.rmSync(tmp, { recursive: true, force: true });
});

interface Session {
  engine: Engine;
  scope: SessionScope;
  handlers: ApiHandlers;
  /** Stand-ins for the host's dialogs, answered in order. */
  folderAnswers: (string | null)[];
  exportAnswers: (string | null)[];
  replaceAnswers: boolean[];
  replaceAsked: string[];
  roots: Set<string>;
  call(channel: keyof typeof API_CHANNELS, arg?: unknown): Promise<Envelope<unknown>>;
}

function session(engine: Engine): Session {
  const s = { folderAnswers: [], exportAnswers: [], replaceAnswers: [], replaceAsked: [], roots: new Set<string>(), scope: new SessionScope(), engine } as unknown as Session;
  const host: ApiHost = {
    mediaBase: 'ps-media://media/',
    thumbsDir: engine.thumbsDir,
    allowRoot: (f) => s.roots.add(f),
    pickFolder: async () => s.folderAnswers.shift() ?? null,
    pickExportFolder: async () => s.exportAnswers.shift() ?? null,
    confirmReplace: async (folder) => {
      s.replaceAsked.push(folder);
      return s.replaceAnswers.shift() ?? false;
    },
  };
  s.handlers = createApiHandlers(engine, host, s.scope);
  s.call = (channel, arg) => dispatch(s.handlers, API_CHANNELS[channel], arg);
  return s;
}

function newEngine(name: string): Engine {
  const engine = new Engine({ dataDir: path.join(tmp, name) });
  engines.push(engine);
  return engine;
}

const mkdir = (...parts: string[]) => {
  const dir = path.join(tmp, ...parts);
  fs.mkdirSync(dir, { recursive: true });
  return dir;
};

/** The error of an envelope; a dispatcher that threw instead of answering is an error too. */
const errorOf = (res: Envelope<unknown> | null) => (res === null ? { code: 'dispatch threw instead of answering', message: '' } : res.ok ? null : res.error);

describeCatalog();
describeExport();
describeDispatch();

function describeCatalog(): void {
  let engine: Engine;
  let s: Session;
  let A: string;
  let B: string;
  let M: string;
  const ids: Record<string, number> = {};
  const thumb = (c: string) => `${c.repeat(40)}.jpg`;

  before(async () => {
    engine = newEngine('catalog-data');
    await engine.faceRuntimeInfo();
    A = mkdir('catalog', 'Earlier session');
    B = mkdir('catalog', 'Opened');
    M = mkdir('catalog', 'Music');
    mkdir('catalog', 'Opened-evil');
    // What earlier sessions left in the catalog: rows of three portrait folders and a music one.
    const portraits = new PortraitsTable(engine.db);
    // The files exist and their rows are up to date: opening a folder prunes rows of missing files
    // and re-analyses stale ones, and neither is what these attacks are about.
    const row = (file: string, t: string) => {
      fs.writeFileSync(file, `image ${t}`);
      const st = fs.statSync(file);
      return {
        path: file, size: st.size, mtime_ms: st.mtimeMs, hash: t, analyser: engine.analyser, width: 10, height: 10, faces: [],
        quadrant: 'Q3', valence: -0.5, arousal: -0.5, error: null, thumb: thumb(t),
      };
    };
    portraits.save(row(path.join(A, 'private diary.jpg'), 'a'));
    portraits.save(row(path.join(B, 'shown.jpg'), 'b'));
    portraits.save(row(path.join(tmp, 'catalog', 'Opened-evil', 'sibling.jpg'), 'c'));
    for (const [key, file] of [['a', 'private diary.jpg'], ['b', 'shown.jpg']] as const) ids[key] = portraits.get(path.join(key === 'a' ? A : B, file))!.id;
    ids.c = portraits.get(path.join(tmp, 'catalog', 'Opened-evil', 'sibling.jpg'))!.id;
    new SongsTable(engine.db).save({
      path: path.join(M, 'song.ogg'), size: 1, mtime_ms: 1, hash: 'd', analyser: 'x', title: 'Secret', artist: null, album: null,
      duration: 1, cover: thumb('d'), quadrant: 'Q1', probs_json: null, valence: 0.5, arousal: 0.5, error: null,
    });
    const folders = new FoldersTable(engine.db);
    folders.remember(A, 'portraits');
    folders.remember(M, 'music');
    for (const c of 'abcd') fs.writeFileSync(path.join(engine.thumbsDir, thumb(c)), `thumb ${c}`);
    s = session(engine);
  });

  /** The media handler's status for a thumbnail; readThumbnails must agree (a data: URI exactly when 200). */
  const thumbStatus = async (c: string) => {
    const status = (await serveMedia(new Request(`ps-media://media/thumb/${thumb(c)}`), { roots: () => s.roots, thumbsDir: engine.thumbsDir, mayServeThumb: (n) => s.scope.mayServeThumb(n) })).status;
    const res = await s.call('readThumbnails', { names: [thumb(c)] });
    assert.ok(res.ok, JSON.stringify(res));
    const uri = (res.value as (string | null)[])[0];
    assert.equal(uri === null ? 404 : 200, status, `readThumbnails and the media handler disagree on ${c}`);
    if (uri) assert.equal(Buffer.from(uri.replace('data:image/jpeg;base64,', ''), 'base64').toString(), `thumb ${c}`);
    return status;
  };

  const refusedList = async (channel: 'listPortraits' | 'listSongs', folder: string) => {
    attacks++;
    const res = await s.call(channel, { folder });
    assert.equal(errorOf(res)?.code, 'forbidden', `${channel}(${folder}) → ${JSON.stringify(res).slice(0, 120)}`);
  };
  const hiddenPortrait = async (id: number) => {
    attacks++;
    const hidden = errorOf(await s.call('getPortrait', { id }));
    const missing = errorOf(await s.call('getPortrait', { id: 987654 }));
    assert.equal(hidden?.code, 'not-found', `getPortrait(${id}) disclosed a row`);
    assert.equal(hidden?.message.replace(String(id), 'N'), missing?.message.replace('987654', 'N'), 'hidden and missing answer alike');
  };

  test('finding 4: nothing in the catalog is readable before a folder is opened this session', async () => {
    for (const folder of ['/', tmp, path.join(tmp, 'catalog'), A, B]) await refusedList('listPortraits', folder);
    for (const folder of ['/', tmp, M]) await refusedList('listSongs', folder);
    for (const id of [ids.a!, ids.b!, ids.c!]) await hiddenPortrait(id);
    for (const c of 'abd') {
      attacks++;
      assert.equal(await thumbStatus(c), 404, `thumbnail ${c} served before its row was shown`);
    }
  });

  test('finding 4: opening one folder shows that folder only: not its siblings, its parent, or another kind', async () => {
    s.folderAnswers.push(B);
    assert.ok((await s.call('chooseFolder', { kind: 'portraits' })).ok);
    const listed = await s.call('listPortraits', { folder: B });
    assert.ok(listed.ok);
    assert.deepEqual((listed.value as { name: string }[]).map((p) => p.name), ['shown.jpg']);
    assert.equal(await thumbStatus('b'), 200, 'a listed row shows its thumbnail');
    assert.ok((await s.call('getPortrait', { id: ids.b })).ok);
    await refusedList('listPortraits', `${B}-evil`);
    await refusedList('listPortraits', path.dirname(B));
    await refusedList('listPortraits', `${B}/..`);
    await refusedList('listSongs', B);
    await hiddenPortrait(ids.a!);
    await hiddenPortrait(ids.c!);
    attacks += 2;
    assert.equal(await thumbStatus('a'), 404);
    assert.equal(await thumbStatus('c'), 404);
    attacks++;
    const exported = await s.call('exportPairs', { portraitFolder: A, musicFolder: M, spec: defaultSpec(), copyMedia: false, overwrite: false });
    assert.equal(errorOf(exported)?.code, 'forbidden', 'an export read a folder that is only in the recent list');
  });

  test('finding 4: a folder re-opened from the recent list becomes readable', async () => {
    assert.ok((await s.call('openRecentFolder', { path: A, kind: 'portraits' })).ok);
    assert.ok((await s.call('listPortraits', { folder: A })).ok);
    assert.ok((await s.call('getPortrait', { id: ids.a })).ok);
    assert.equal(await thumbStatus('a'), 200);
  });
}

function describeExport(): void {
  let s: Session;
  let target: string;
  const thesis = () => path.join(target, 'thesis.docx');
  const request = (overwrite: boolean) => ({ portraitFolder: path.join(tmp, 'export', 'art'), musicFolder: path.join(tmp, 'export', 'music'), spec: defaultSpec(), copyMedia: false, overwrite });

  before(async () => {
    s = session(newEngine('export-data'));
    s.folderAnswers.push(mkdir('export', 'art'), mkdir('export', 'music'));
    assert.ok((await s.call('chooseFolder', { kind: 'portraits' })).ok);
    assert.ok((await s.call('chooseFolder', { kind: 'music' })).ok);
    await s.engine.idle();
    target = path.join(tmp, 'export', 'Picked folder');
  });
  // Each test starts from a picked folder holding someone's thesis, and no question asked yet.
  beforeEach(() => {
    fs.rmSync(target, { recursive: true, force: true });
    fs.mkdirSync(target);
    fs.writeFileSync(thesis(), 'four years of work');
    s.replaceAsked.length = 0;
  });

  test('finding 2: overwrite from the page on the first call deletes nothing without the host asking', async () => {
    attacks++;
    s.exportAnswers.push(target);
    const res = await s.call('exportPairs', request(true));
    assert.ok(fs.existsSync(thesis()), 'the picked folder was wiped without a question');
    assert.deepEqual(s.replaceAsked, [target], 'the host asked about exactly the picked folder');
    assert.deepEqual(res, { ok: true, value: { status: 'cancelled' } });
  });

  test('finding 2: after "Replace?" is declined, a later overwrite from the page deletes nothing', async () => {
    attacks++;
    s.exportAnswers.push(target);
    s.replaceAnswers.push(false);
    const declined = await s.call('exportPairs', request(false));
    // The page now insists; the export dialog is cancelled, so there is no folder to replace.
    const insisted = await s.call('exportPairs', request(true));
    assert.ok(fs.existsSync(thesis()), 'a remembered folder was wiped with no dialog');
    assert.deepEqual([declined, insisted], [{ ok: true, value: { status: 'cancelled' } }, { ok: true, value: { status: 'cancelled' } }]);
    assert.deepEqual(s.replaceAsked, [target], 'only the first call asked');
  });

  test('finding 2: an empty folder is written without a question; yes in the host dialog replaces', async () => {
    const fresh = path.join(tmp, 'export', 'New folder');
    s.exportAnswers.push(fresh);
    const first = await s.call('exportPairs', request(false));
    assert.equal(first.ok && (first.value as { status: string }).status, 'written');
    assert.deepEqual(s.replaceAsked, []);
    s.exportAnswers.push(target);
    s.replaceAnswers.push(true);
    const replaced = await s.call('exportPairs', request(false));
    assert.equal(replaced.ok && (replaced.value as { status: string }).status, 'written');
    assert.deepEqual(s.replaceAsked, [target]);
    assert.ok(!fs.existsSync(thesis()) && fs.existsSync(path.join(target, 'pairs.json')));
  });
}

function describeDispatch(): void {
  let s: Session;
  before(() => {
    s = session(newEngine('dispatch-data'));
  });

  test('finding 5: dispatch answers an envelope for any channel value, however hostile', async () => {
    const throwing = () => {
      throw new Error('boom');
    };
    const channels: unknown[] = [
      { toString: throwing },
      { [Symbol.toPrimitive]: throwing },
      Object.create(null),
      new Proxy({}, { get: throwing, getPrototypeOf: throwing, ownKeys: throwing }),
      Symbol('ps:get-app-info'),
      10n,
      () => 'ps:get-app-info',
      ['ps:get-app-info'],
      new String('ps:get-app-info'),
    ];
    for (const channel of channels) {
      attacks++;
      const res = await dispatch(s.handlers, channel, undefined).then((r) => r, () => null);
      assert.equal(errorOf(res)?.code, 'unknown-channel', `channel of type ${typeof channel}`);
    }
  });

  test('finding 5: arguments that throw while being read, and handlers that throw hostile values, still get envelopes', async () => {
    const throwing = () => {
      throw new Error('boom');
    };
    const args: unknown[] = [
      new Proxy({}, { get: throwing, ownKeys: throwing, getOwnPropertyDescriptor: throwing, has: throwing, getPrototypeOf: throwing }),
      Object.defineProperty({}, 'kind', { get: throwing, enumerable: true }),
      Object.create(null),
    ];
    for (const arg of args) {
      attacks++;
      const res = await dispatch(s.handlers, API_CHANNELS.chooseFolder, arg).then((r) => r, () => null);
      assert.equal(errorOf(res)?.code, 'invalid-argument');
    }
    const hostileErrors: unknown[] = [
      Object.create(null),
      { toString: throwing },
      Object.defineProperty(new Error('x'), 'message', { get: throwing }),
      new Proxy(new Error('x'), { get: throwing, getPrototypeOf: throwing }),
      undefined,
      10n,
    ];
    for (const thrown of hostileErrors) {
      attacks++;
      const handlers = { ...s.handlers, getAppInfo: async () => Promise.reject(thrown) } as ApiHandlers;
      const res = await dispatch(handlers, API_CHANNELS.getAppInfo, undefined).then((r) => r, () => null);
      assert.ok(res && !res.ok && typeof res.error.message === 'string', `thrown ${typeof thrown} → ${res === null ? 'dispatch threw' : JSON.stringify(res)}`);
    }
  });

  test('finding 5: faceChoice and picks are bounded in key count', async () => {
    const keys = (n: number, v: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [String(i + 1), v]));
    const folder = path.join(tmp, 'nowhere');
    const call = (spec: object) => s.call('exportPairs', { portraitFolder: folder, musicFolder: folder, spec: { ...defaultSpec(), ...spec }, copyMedia: false, overwrite: false });
    for (const spec of [{ faceChoice: keys(MAX_SPEC_KEYS + 1, 0) }, { picks: keys(MAX_SPEC_KEYS + 1, 1) }, { faceChoice: keys(200_000, 0) }]) {
      attacks++;
      const res = await call(spec);
      assert.equal(errorOf(res)?.code, 'invalid-argument', `${Object.keys(spec)[0]} with ${Object.keys(Object.values(spec)[0]!).length} keys passed`);
      assert.match(errorOf(res)!.message, /at most/);
    }
    // At the bound the argument is valid; the call then fails on the unopened folder, not on its size.
    assert.equal(errorOf(await call({ faceChoice: keys(MAX_SPEC_KEYS, 0), picks: keys(MAX_SPEC_KEYS, 1) }))?.code, 'forbidden');
  });

  test("the face search takes only the contract's names; a refused call stores nothing", async () => {
    const junk: unknown[] = [{ mode: 'art' }, { mode: 'fast' }, { mode: 'QUICK' }, { mode: 'quick', detect: 'fast' }, { mode: ['quick'] }, { mode: { toString: () => 'quick' } }, 'quick', {}];
    for (const arg of junk) {
      attacks++;
      assert.equal(errorOf(await s.call('setFaceSearch', arg))?.code, 'invalid-argument', `setFaceSearch(${JSON.stringify(arg)})`);
    }
    assert.equal(s.engine.detect, 'art');
    const res = await s.call('setFaceSearch', { mode: 'quick' });
    assert.ok(res.ok);
    assert.deepEqual([(res.value as AppInfo).faceSearch, (res.value as AppInfo).mediaBase], ['quick', 'ps-media://media/'], 'the whole app info, as getAppInfo gives it');
    assert.equal(s.engine.detect, 'fast');
    await s.call('setFaceSearch', { mode: 'thorough' });
  });
}
