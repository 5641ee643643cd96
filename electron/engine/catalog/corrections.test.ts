import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { FaceResult } from '../../../shared/api.ts';
import { faceReading, songReading, summariseFaces } from '../../../shared/emotion.ts';
import { buildPlaylist } from '../../../shared/match.ts';
import { openCatalog } from './open-catalog.ts';
import { PortraitsTable, toPortrait } from './portraits-table.ts';
import { SongsTable, toSong } from './songs-table.ts';
import { CorrectionsTable, iou, withFaceCorrections, withSongCorrection } from './corrections-table.ts';

const face = (box: FaceResult['box'], valence: number, arousal: number): FaceResult => ({
  box,
  score: 0.9,
  quadrant: 'Q2',
  probs: { Q1: 0.05, Q2: 0.8, Q3: 0.1, N: 0.05 },
  expressions: { angry: 0.8, disgust: 0, fear: 0, happy: 0.05, sad: 0.1, surprise: 0, neutral: 0.05 },
  valence,
  arousal,
});

function portraitRow(faces: FaceResult[], analyser = 'model-a') {
  return { path: '/art/lady.jpg', size: 1, mtime_ms: 1, hash: 'h', analyser, width: 400, height: 500, faces, quadrant: 'Q2', valence: -0.6, arousal: 0.6, error: null, thumb: null };
}

test('a face correction is stored beside the model reading, survives re-analysis with moved boxes, and can be undone', () => {
  const db = openCatalog(':memory:');
  const portraits = new PortraitsTable(db);
  const corrections = new CorrectionsTable(db);
  portraits.save(portraitRow([face([10, 10, 100, 120], -0.6, 0.6), face([200, 40, 80, 90], -0.5, 0.5)]));
  corrections.setFace('/art/lady.jpg', [10, 10, 100, 120], { quadrant: 'Q4', valence: 0.6, arousal: -0.6 });
  const read = () => withFaceCorrections(toPortrait(portraits.get('/art/lady.jpg')!, '/art'), corrections.of('/art/lady.jpg'));

  let p = read();
  assert.equal(p.faces[0]!.correction?.quadrant, 'Q4');
  assert.equal(p.faces[0]!.quadrant, 'Q2', "the model's class stays as it was");
  assert.equal(p.faces[0]!.valence, -0.6, "the model's point stays as it was");
  assert.equal(p.faces[1]!.correction, null, 'the other face keeps the model reading');
  assert.equal(faceReading(p.faces[0]!).quadrant, 'Q4');
  assert.equal(faceReading(p.faces[0]!).certainty, 'person');
  assert.match(faceReading(p.faces[0]!).phrase, /set by you/);

  // A new model finds the faces in the other order with slightly different boxes.
  portraits.save(portraitRow([face([204, 38, 78, 92], -0.4, 0.4), face([12, 8, 98, 124], -0.7, 0.7)], 'model-b'));
  const again = read();
  assert.equal(again.faces[0]!.correction ?? null, null);
  assert.equal(again.faces[1]!.correction?.quadrant, 'Q4', 'the correction follows its face by box, not by index');

  // Setting again replaces, never stacks; null undoes.
  corrections.setFace('/art/lady.jpg', [12, 8, 98, 124], { quadrant: 'Q1', valence: 0.6, arousal: 0.6 });
  assert.equal(corrections.of('/art/lady.jpg').length, 1);
  assert.equal(read().faces[1]!.correction?.quadrant, 'Q1');
  corrections.setFace('/art/lady.jpg', [12, 8, 98, 124], null);
  assert.equal(corrections.of('/art/lady.jpg').length, 0);
  assert.equal(faceReading(read().faces[1]!).quadrant, 'Q2', "undo brings the model's reading back");
  db.close();
});

test("the portrait's overall reading and the playlist follow a corrected face", () => {
  const db = openCatalog(':memory:');
  const portraits = new PortraitsTable(db);
  const corrections = new CorrectionsTable(db);
  portraits.save(portraitRow([face([10, 10, 100, 120], -0.6, 0.6)]));
  corrections.setFace('/art/lady.jpg', [10, 10, 100, 120], { quadrant: 'Q4', valence: 0.6, arousal: -0.6 });
  const p = withFaceCorrections(toPortrait(portraits.get('/art/lady.jpg')!, '/art'), corrections.of('/art/lady.jpg'));
  assert.equal(p.quadrant, 'Q4');
  assert.equal(summariseFaces(p.faces)?.quadrant, 'Q4');
  assert.equal(summariseFaces(p.faces)?.certainty, 'person');
  const songs = [
    { id: 1, path: '/m/battle.ogg', quadrant: 'Q2' as const, probs: { Q1: 0, Q2: 1, Q3: 0, Q4: 0 }, valence: -0.6, arousal: 0.6 },
    { id: 2, path: '/m/calm.ogg', quadrant: 'Q4' as const, probs: { Q1: 0, Q2: 0, Q3: 0, Q4: 1 }, valence: 0.6, arousal: -0.6 },
  ];
  const [entry] = buildPlaylist([p], songs, { mode: 'match', order: 'gallery' });
  assert.equal(entry!.songId, 2, 'matched on the reading the person set');
  assert.equal(entry!.faceQuadrant, 'Q4');
  db.close();
});

test('a song correction replaces the reading for matching, follows the song when it moves, and undoes', () => {
  const db = openCatalog(':memory:');
  const songs = new SongsTable(db);
  const corrections = new CorrectionsTable(db);
  const row = songs.save({ path: '/m/battle.ogg', size: 1, mtime_ms: 1, hash: 'x', analyser: 'a', title: 'Battle', artist: null, album: null, duration: 60, cover: null, quadrant: 'Q4', probs_json: '{"Q1":0.1,"Q2":0.2,"Q3":0.1,"Q4":0.6}', valence: 0.4, arousal: -0.5, error: null });
  corrections.setSong('/m/battle.ogg', { quadrant: 'Q2', valence: -0.6, arousal: 0.6 });
  let s = withSongCorrection(toSong(songs.get('/m/battle.ogg')!, '/m'), corrections.of('/m/battle.ogg'));
  assert.equal(s.quadrant, 'Q4', "the model's class stays");
  assert.equal(songReading(s)?.quadrant, 'Q2');
  assert.equal(songReading(s)?.certainty, 'person');
  songs.move(row.id, '/m/epic/battle.ogg', 1, 2);
  s = withSongCorrection(toSong(songs.get('/m/epic/battle.ogg')!, '/m'), corrections.of('/m/epic/battle.ogg'));
  assert.equal(songReading(s)?.quadrant, 'Q2', 'the correction moved with the file');
  corrections.setSong('/m/epic/battle.ogg', null);
  s = withSongCorrection(toSong(songs.get('/m/epic/battle.ogg')!, '/m'), corrections.of('/m/epic/battle.ogg'));
  assert.equal(songReading(s)?.quadrant, 'Q4');
  db.close();
});

test('iou', () => {
  assert.equal(iou([0, 0, 10, 10], [0, 0, 10, 10]), 1);
  assert.equal(iou([0, 0, 10, 10], [20, 20, 10, 10]), 0);
  assert.ok(Math.abs(iou([0, 0, 10, 10], [5, 0, 10, 10]) - 1 / 3) < 1e-9);
});
