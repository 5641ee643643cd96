/**
 * Indexing reads each thing once: a song's container is parsed once (the tags' parse hands its
 * duration to the decoder), and a music folder is walked once per opening (the job takes the
 * walk the opening made). Neither may change what is stored.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseFile } from 'music-metadata';
import { openCatalog } from '../catalog/open-catalog.ts';
import { SongsTable } from '../catalog/songs-table.ts';
import { walkFiles } from '../scan/walk-files.ts';
import { decodeWindow } from './decode-window.ts';
import { indexMusicFolder, isAudioFile } from './index-music-folder.ts';
import { readTags } from './read-tags.ts';
import type { SongAnalysis } from './analyse-song.ts';

const LIBRARY = path.resolve(import.meta.dirname, '../../../../shared/data/music/library');
// One of each container the decoder enters mid-file (or slices whole), each longer than the window.
const FILES = ['asc-music/frontiers.mp3', 'drascula-music/track29.flac', 'xblast-tnt-musics/xbsng2.wav', 'npm-audio-lena/lena.m4a'].map((f) => path.join(LIBRARY, f));

test('the tags\' parse gives the decoder the very duration its own parse would', async () => {
  for (const file of FILES) {
    const tags = await readTags(file);
    const own = (await parseFile(file, { duration: false, skipCovers: true })).format.duration;
    assert.equal(tags.containerDuration, own, path.basename(file));
  }
});

test('given the parsed duration, the decoder reads the same window without parsing again', async () => {
  for (const file of FILES) {
    const tags = await readTags(file);
    const alone = await decodeWindow(file);
    const handed = await decodeWindow(file, { parsed: { duration: tags.containerDuration } });
    assert.equal(handed.route, alone.route, path.basename(file));
    assert.equal(handed.startSeconds, alone.startSeconds);
    assert.deepEqual(handed.samples, alone.samples, `${path.basename(file)}: the same samples`);
  }
  // The decoder trusts what it is handed: with no duration it cannot enter the file mid-way,
  // which shows it did not parse the container again behind the caller's back.
  const mp3 = FILES[0]!;
  assert.equal((await decodeWindow(mp3)).route, 'partial');
  assert.notEqual((await decodeWindow(mp3, { parsed: { duration: undefined } })).route, 'partial');
});

test('the indexer takes the walk it is given instead of walking the folder again', async () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ps-walk-once-'));
  try {
    for (const n of ['a.mp3', 'b.mp3', 'c.mp3']) fs.writeFileSync(path.join(tmp, n), n);
    const walked = await walkFiles([tmp], isAudioFile);
    // Files that change after the walk: one more appears (the watcher's next re-scan takes it), one goes.
    fs.writeFileSync(path.join(tmp, 'd.mp3'), 'd');
    fs.rmSync(path.join(tmp, 'c.mp3'));
    const db = openCatalog(':memory:');
    const analysed: string[] = [];
    const fake = (file: string): Promise<SongAnalysis> => {
      analysed.push(path.basename(file));
      return Promise.resolve({ title: path.basename(file), artist: null, album: null, duration: 1, cover: null, quadrant: 'Q1', probs: null, valence: 0.5, arousal: 0.5, error: null, timeline: null });
    };
    const summary = await indexMusicFolder(tmp, { songs: new SongsTable(db), analyse: fake, analyser: 'fake', concurrency: 1 }, walked);
    assert.deepEqual(analysed.sort(), ['a.mp3', 'b.mp3'], 'only the walked files that still exist');
    assert.deepEqual(summary.skipped, [], 'a file gone since the walk is not a problem to report');
    db.close();
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});
