import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CATALOG_VERSION, openCatalog } from './open-catalog.ts';
import { FoldersTable, PortraitsTable, toPortrait } from './portraits-table.ts';
import { SongsTable } from './songs-table.ts';

test('a catalog written by the earlier better-sqlite3 build opens and reads back unchanged', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ps-cat-'));
  try {
    const file = path.join(dir, 'catalog.sqlite');
    fs.copyFileSync(path.join(import.meta.dirname, 'fixtures', 'catalog-v2-better-sqlite3.sqlite'), file);
    const db = openCatalog(file);
    assert.equal(db.pragma('journal_mode'), 'wal');
    // Written at version 2; opening it runs the later migrations on top, keeping every row.
    assert.equal(db.pragma('user_version'), CATALOG_VERSION);
    assert.ok(CATALOG_VERSION > 2);
    assert.deepEqual(db.prepare('SELECT COUNT(*) AS n FROM corrections').get(), { n: 0 });
    const portraits = new PortraitsTable(db);
    const row = portraits.get('/art/portraits/lady.jpg');
    assert.ok(row);
    assert.equal(Object.hasOwn(row, '_metadata'), false, 'binding bookkeeping must not leak into rows');
    const p = toPortrait(row, '/art/portraits');
    assert.equal(p.name, 'lady.jpg');
    assert.deepEqual(p.faces[0]!.box, [10, 20, 100, 120]);
    assert.equal(portraits.listUnder('/art').length, 1);
    const song = new SongsTable(db).get('/art/music/battle.ogg');
    assert.equal(song?.title, 'Battle');
    assert.equal(song?.duration, 61.5);
    assert.deepEqual(new FoldersTable(db).listRecent().map((f) => f.path), ['/art/portraits']);
    assert.equal(db.pragma('integrity_check'), 'ok');
    db.close();
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a transaction commits all or nothing, and nested transactions join the outer one', () => {
  const db = openCatalog(':memory:');
  const folders = new FoldersTable(db);
  const both = db.transaction(() => {
    folders.remember('/a', 'portraits');
    db.transaction(() => folders.remember('/b', 'music'))();
  });
  both();
  assert.equal(folders.listRecent().length, 2);
  assert.throws(
    db.transaction(() => {
      folders.remember('/c', 'portraits');
      throw new Error('boom');
    }),
    /boom/,
  );
  assert.equal(folders.listRecent().length, 2, 'the failed transaction left nothing behind');
  db.close();
});
