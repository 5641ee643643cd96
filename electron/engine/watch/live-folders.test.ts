/** Which re-scans the watchers ask for: after the queue is idle, one per burst, only for open folders. */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { FolderKind } from '../../../shared/api.ts';
import { isImageFile } from '../scan/walk-files.ts';
import { isAudioFile } from '../music/index-music-folder.ts';
import type { FileChange } from './change-batch.ts';
import { LiveFolders } from './live-folders.ts';

let tmp: string;
before(() => (tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ps-live-'))));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

interface Rescan {
  kind: FolderKind;
  folder: string;
  changes: Record<string, FileChange>;
}

function setup(startDelayMs = 0) {
  const rescans: Rescan[] = [];
  let release: () => void = () => undefined;
  let busy: Promise<void> = Promise.resolve();
  const live = new LiveFolders({
    accept: (kind) => (kind === 'music' ? isAudioFile : isImageFile),
    whenIdle: () => busy,
    rescan: async (kind, folder, changes) => {
      rescans.push({ kind, folder, changes: Object.fromEntries([...changes].map(([p, c]) => [path.basename(p), c])) });
    },
    timing: { quietMs: 100, maxWaitMs: 2000 },
    writeSettleMs: 50,
    startDelayMs,
  });
  return {
    live,
    rescans,
    /** Watches and waits until the watcher is ready and its catch-up re-scan ran; then forgets that re-scan. */
    async follow(kind: FolderKind, dir: string) {
      await (await live.watch(kind, dir))!.ready;
      await live.idle();
      const last = rescans.pop();
      assert.deepEqual(last, { kind, folder: dir, changes: {} }, 'one catch-up re-scan once the watcher is ready');
    },
    /** Makes the job queue look busy until release() is called. */
    holdQueue() {
      busy = new Promise<void>((r) => (release = r));
    },
    release: () => release(),
  };
}

async function until(cond: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

function folder(name: string): string {
  const dir = path.join(tmp, name);
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

test('an added, a changed and a deleted file each lead to a re-scan of the open folder', async () => {
  const art = folder('art1');
  fs.writeFileSync(path.join(art, 'old.jpg'), 'x');
  const s = setup();
  try {
    await s.follow('portraits', art);
    fs.writeFileSync(path.join(art, 'new.jpg'), 'n');
    await until(() => s.rescans.length === 1, 'a re-scan after an add');
    assert.deepEqual(s.rescans[0], { kind: 'portraits', folder: art, changes: { 'new.jpg': 'added' } });
    fs.appendFileSync(path.join(art, 'old.jpg'), 'y');
    await until(() => s.rescans.length === 2, 'a re-scan after a change');
    assert.deepEqual(s.rescans[1]!.changes, { 'old.jpg': 'changed' });
    fs.rmSync(path.join(art, 'new.jpg'));
    await until(() => s.rescans.length === 3, 'a re-scan after a delete');
    assert.deepEqual(s.rescans[2]!.changes, { 'new.jpg': 'removed' });
    await s.live.idle();
    assert.equal(s.live.busy, false);
  } finally {
    await s.live.close();
  }
});

test('while the job queue is busy, changes wait, and all of them make one re-scan', async () => {
  const music = folder('music1');
  const s = setup();
  try {
    await s.follow('music', music);
    s.holdQueue();
    fs.writeFileSync(path.join(music, 'a.mp3'), 'a');
    await until(() => s.live.busy, 'a re-scan waiting for the queue');
    await sleep(300);
    fs.writeFileSync(path.join(music, 'b.flac'), 'b');
    fs.writeFileSync(path.join(music, 'cover.jpg'), 'not audio: not followed in a music folder');
    await sleep(500);
    assert.equal(s.rescans.length, 0, 'nothing re-scanned while the queue is busy');
    s.release();
    await s.live.idle();
    assert.deepEqual(s.rescans, [{ kind: 'music', folder: music, changes: { 'a.mp3': 'added', 'b.flac': 'added' } }]);
  } finally {
    await s.live.close();
  }
});

test('opening another folder of the same kind stops following the first; close stops all', async () => {
  const first = folder('art2');
  const second = folder('art3');
  const songs = folder('music2');
  const s = setup();
  try {
    await s.follow('portraits', first);
    await s.follow('music', songs);
    await s.follow('portraits', second);
    assert.equal(s.live.watching('portraits'), second);
    assert.equal(s.live.watching('music'), songs, 'the music folder stays followed');
    fs.writeFileSync(path.join(first, 'x.jpg'), 'x');
    fs.writeFileSync(path.join(second, 'y.jpg'), 'y');
    await until(() => s.rescans.length >= 1, 'a re-scan of the open folder');
    await sleep(400);
    assert.deepEqual(s.rescans.map((r) => r.folder), [second], 'the folder no longer open is not re-scanned');
  } finally {
    await s.live.close();
  }
  assert.equal(s.live.watching('music'), null);
  fs.writeFileSync(path.join(songs, 'z.mp3'), 'z');
  await sleep(500);
  assert.equal(s.rescans.length, 1, 'nothing is followed after close');
});

test('a watcher starts after the opening scan and its delay; what changed before it was ready is re-scanned once', async () => {
  const art = folder('art4');
  const s = setup(300);
  let scanDone: () => void = () => undefined;
  const scanned = new Promise<void>((r) => (scanDone = r));
  try {
    const started = Date.now();
    const watch = (await s.live.watch('portraits', art, scanned))!;
    assert.equal(s.live.busy, true, 'a watcher on its way counts as busy');
    await sleep(200);
    // Written after the scan's walk, before any watcher: only the catch-up re-scan can see it.
    fs.writeFileSync(path.join(art, 'early.jpg'), 'e');
    scanDone();
    await watch.ready;
    assert.ok(Date.now() - started >= 500, 'not before the scan settled and the delay passed');
    await s.live.idle();
    assert.deepEqual(s.rescans, [{ kind: 'portraits', folder: art, changes: {} }]);
    fs.writeFileSync(path.join(art, 'later.jpg'), 'l');
    await until(() => s.rescans.length === 2, 'a re-scan after an add once ready');
    assert.deepEqual(s.rescans[1]!.changes, { 'later.jpg': 'added' });
  } finally {
    await s.live.close();
  }
});

test('a folder let go before its watcher started is never watched nor re-scanned', async () => {
  const first = folder('art5');
  const second = folder('art6');
  const s = setup(200);
  try {
    const early = (await s.live.watch('portraits', first))!;
    await s.live.watch('portraits', second);
    await early.ready;
    fs.writeFileSync(path.join(first, 'x.jpg'), 'x');
    await s.live.idle();
    await sleep(400);
    assert.deepEqual(s.rescans.map((r) => r.folder), [second], 'only the folder open now is caught up');
  } finally {
    await s.live.close();
  }
});
