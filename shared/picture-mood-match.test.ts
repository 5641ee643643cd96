/** Matching portraits without a face by their picture mood (shared/picture-mood.ts), and the switch that turns it off. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { playlistFromSpec, defaultSpec, type MatchFace, type MatchPortrait, type MatchSong } from './match.ts';
import { pictureMoodFrom, type PictureMood } from './picture-mood.ts';
import { playlistSpecSchema } from './api-schema.ts';

const face = (quadrant: MatchFace['quadrant'], valence: number, arousal: number): MatchFace => ({
  box: [0, 0, 100, 100], score: 0.9, quadrant, probs: { Q1: 0, Q2: 0, Q3: 0, N: 0, [quadrant]: 1 }, valence, arousal,
});
const song = (id: number, quadrant: MatchSong['quadrant'], valence: number, arousal: number): MatchSong => ({
  id, path: `/m/${id}.ogg`, quadrant, valence, arousal, probs: quadrant ? { Q1: 0.1, Q2: 0.1, Q3: 0.1, Q4: 0.1, [quadrant]: 0.7 } : null,
});
const SONGS = [song(1, 'Q1', 0.7, 0.6), song(2, 'Q2', -0.6, 0.7), song(3, 'Q3', -0.6, -0.5), song(4, 'Q4', 0.5, -0.5)];
/** Bright and colourful: a pleasant, lively picture mood. */
const SUNNY: PictureMood = pictureMoodFrom({ brightness: 0.72, saturation: 0.3 });
/** Dark and grey: an unpleasant one. */
const GLOOM: PictureMood = pictureMoodFrom({ brightness: 0.12, saturation: 0.03 });

const portrait = (id: number, faces: MatchFace[], mood: PictureMood | null): MatchPortrait => ({ id, path: `/p/${id}.jpg`, faces, mood });

test('a portrait without a face gets a song by its picture mood, named as such', () => {
  const [e] = playlistFromSpec([portrait(1, [], SUNNY)], SONGS, defaultSpec());
  assert.equal(e!.readingKind, 'picture-mood');
  assert.equal(e!.faceIndex, null, 'no face is claimed');
  assert.equal(e!.songId, 1, 'bright and colourful → the happy, lively song');
  assert.match(e!.reason, /picture mood/);
  assert.doesNotMatch(e!.reason, /Happy face|Neutral face/);
  const [g] = playlistFromSpec([portrait(2, [], GLOOM)], SONGS, defaultSpec());
  assert.ok(g!.face!.valence < 0);
  assert.ok(g!.songId === 2 || g!.songId === 3, `gloom matched to song ${g!.songId}`);
});

test('a face always wins over the picture mood when the portrait has one', () => {
  const [e] = playlistFromSpec([portrait(1, [face('Q3', -0.6, -0.5)], SUNNY)], SONGS, defaultSpec());
  assert.equal(e!.readingKind, 'faces');
  assert.equal(e!.faceIndex, 0);
  assert.equal(e!.songId, 3, 'the sad face chooses, not the sunny colours');
  assert.match(e!.reason, /Sad face/);
});

test('turned off, a portrait without a face gets no song and says why', () => {
  const spec = { ...defaultSpec(), pictureMood: false };
  const [e, f] = playlistFromSpec([portrait(1, [], SUNNY), portrait(2, [face('Q1', 0.6, 0.5)], SUNNY)], SONGS, spec);
  assert.equal(e!.songId, null);
  assert.equal(e!.readingKind, null);
  assert.equal(e!.target, null);
  assert.match(e!.reason, /picture moods are turned off/);
  assert.equal(f!.songId, 1, 'faces are matched as before');
});

test('without a measured mood a faceless portrait stays unmatched', () => {
  const [e] = playlistFromSpec([portrait(1, [], null)], SONGS, defaultSpec());
  assert.equal(e!.songId, null);
  assert.match(e!.reason, /No face was found/);
});

test('a picture mood is matched by distance alone, not held to its quadrant like a face', () => {
  // A point just inside Q4, nearer a Q1 song than to the only Q4 song.
  const mood: PictureMood = { valence: 0.5, arousal: -0.05, brightness: 0.5, saturation: 0.15, confidence: 0.3 };
  const songs = [song(1, 'Q1', 0.5, 0.05), song(4, 'Q4', 0.6, -0.8)];
  const [m] = playlistFromSpec([portrait(1, [], mood)], songs, defaultSpec());
  assert.equal(m!.faceQuadrant, 'Q4');
  assert.equal(m!.songId, 1, 'the nearest song, across the border');
  assert.doesNotMatch(m!.reason, /no .* song/, 'no excuse for leaving the quadrant');
  // The same point read from a face is held to Q4 in mode match.
  const [f] = playlistFromSpec([portrait(2, [{ ...face('N', 0.5, -0.05), probs: { Q1: 0.2, Q2: 0.1, Q3: 0.1, N: 0.6 } }], null)], songs, defaultSpec());
  assert.equal(f!.songId, 4);
});

test('lift and calm move a picture mood like a face, and the arc orders it among faces', () => {
  const spec = { ...defaultSpec(), mode: 'lift' as const };
  const [e] = playlistFromSpec([portrait(1, [], GLOOM)], SONGS, spec);
  assert.ok(e!.target!.valence > e!.face!.valence, 'lifted toward pleasant');
  const arc = playlistFromSpec([portrait(1, [face('Q1', 0.6, 0.5)], null), portrait(2, [], GLOOM), portrait(3, [], null)], SONGS, { ...defaultSpec(), order: 'arc' });
  assert.equal(arc.at(-1)!.portraitId, 3, 'the portrait without any reading comes last');
});

test('the switch crosses the process boundary as a boolean or not at all', () => {
  assert.equal(playlistSpecSchema.safeParse({ ...defaultSpec(), pictureMood: false }).success, true);
  assert.equal(playlistSpecSchema.safeParse(defaultSpec()).success, true, 'absent: on');
  assert.equal(playlistSpecSchema.safeParse({ ...defaultSpec(), pictureMood: 'off' }).success, false);
  assert.equal(playlistSpecSchema.safeParse({ ...defaultSpec(), pictureMood: null }).success, false);
});
