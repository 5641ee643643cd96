/**
 * The matcher at archive size ranks through a grid of songs (shared/song-index.ts) and ranks a
 * portrait further only when it must. These tests hold it to the plain method it replaced: every
 * song scored and sorted for every portrait, the first 200 considered.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { autoMaxUses, buildPlaylist, dominantFace, KEEP_CANDIDATES, rankable, rankSongs, rankTop, swapSong, targetFor, type MatchMode, type MatchPortrait, type MatchSong } from '../../shared/match.ts';
import { faceReading } from '../../shared/emotion.ts';
import { pictureMoodReading } from '../../shared/picture-mood.ts';
import { syntheticCollection } from './match-synthetic.ts';
import { rng } from '../../electron/engine/ml/rng.ts';

test('the index ranks exactly as a full sort: continuous readings, points off the plane, ties, any limit', () => {
  const r = rng(7);
  const songs: MatchSong[] = Array.from({ length: 1500 }, (_, i) => {
    // A few songs sit off the plane or on cell borders; some share a point, so the id decides.
    const valence = i % 97 === 0 ? 1.3 : i % 89 === 0 ? -1.2 : i % 50 === 0 ? 0.5 : r() * 2 - 1;
    const arousal = i % 83 === 0 ? -1.4 : i % 50 === 0 ? -0.25 : r() * 2 - 1;
    const top = 0.25 + r() * 0.75;
    const q = valence >= 0 ? (arousal >= 0 ? 'Q1' : 'Q4') : arousal >= 0 ? 'Q2' : 'Q3';
    return { id: 5000 - 3 * i, path: '', quadrant: q, valence, arousal, probs: { Q1: (1 - top) / 3, Q2: (1 - top) / 3, Q3: (1 - top) / 3, Q4: (1 - top) / 3, [q]: top } } as MatchSong;
  });
  const targets = [{ valence: 0.5, arousal: -0.25 }, { valence: 0.99, arousal: 0.99 }, { valence: -1, arousal: 0 }, { valence: 0.013, arousal: -0.77 }, { valence: 0, arousal: 0 }];
  sameAsFullSort(songs, targets, [1, 24, 200, 1499, 1500, 4000]);
});

test('the index ranks exactly as a full sort where every song is certain: the search stops at the tightest bound', () => {
  // Without uncertainty a song's score is its distance alone, so a song just outside the searched box can tie the last one in.
  const r = rng(11);
  const songs = Array.from({ length: 1500 }, (_, i) => {
    const valence = r() * 2 - 1;
    const arousal = r() * 2 - 1;
    const q = valence >= 0 ? (arousal >= 0 ? 'Q1' : 'Q4') : arousal >= 0 ? 'Q2' : 'Q3';
    return { id: i + 1, path: '', quadrant: q, valence, arousal, probs: { Q1: 0, Q2: 0, Q3: 0, Q4: 0, [q]: 1 } } as MatchSong;
  });
  sameAsFullSort(songs, Array.from({ length: 40 }, () => ({ valence: r() * 2 - 1, arousal: r() * 2 - 1 })), [1, 24, 200]);
});

function sameAsFullSort(songs: MatchSong[], targets: { valence: number; arousal: number }[], limits: number[]): void {
  const index = rankable(songs);
  for (const t of targets) {
    for (const q of ['Q1', 'Q3', 'N'] as const) {
      for (const first of [true, false]) {
        const full = rankSongs(t, q, songs, first);
        for (const limit of limits) {
          const top = rankTop(t, q, index, first, limit);
          assert.deepEqual(top.map((c) => c.songId), full.slice(0, limit).map((c) => c.songId), `${JSON.stringify(t)} ${q} ${first} ${limit}`);
          assert.deepEqual(top.map((c) => c.rank), full.slice(0, limit).map((c) => c.rank));
        }
      }
    }
  }
}

/** The method the index replaced: the 200 best of a full sort per portrait, then the same choice rules. */
function plainPlaylist(portraits: MatchPortrait[], songs: MatchSong[], mode: MatchMode): { portraitId: number; songId: number | null; rank: number | null }[] {
  const usable = songs.filter((s) => s.quadrant && s.valence !== null && s.arousal !== null);
  const looks = portraits.map((p) => {
    const fi = dominantFace(p.faces);
    const mood = fi === null && p.mood ? p.mood : null;
    if (fi === null && !mood) return null;
    const reading = mood ? pictureMoodReading(mood) : faceReading(p.faces[fi!]!);
    const { point, quadrant } = targetFor(reading, mode);
    const whole = rankSongs(point, quadrant, usable, mode === 'match' && !mood);
    return { held: mode === 'match' && !mood, whole, all: whole.slice(0, 200) };
  });
  const cap = autoMaxUses(looks.filter(Boolean).length, usable.length);
  const uses = new Map<number, number>();
  const used = (id: number): number => uses.get(id) ?? 0;
  return portraits.map((p, i) => {
    const look = looks[i];
    if (!look) return { portraitId: p.id, songId: null, rank: null };
    const open = look.all.filter((c) => used(c.songId) < cap);
    if (open.length === 0) {
      // All of the 200 best used as often as allowed: the next song in the whole ranking that is not.
      const next = look.whole.find((c) => used(c.songId) < cap);
      if (!next) return { portraitId: p.id, songId: null, rank: null };
      uses.set(next.songId, used(next.songId) + 1);
      return { portraitId: p.id, songId: next.songId, rank: look.whole.indexOf(next) + 1 };
    }
    const same = look.held ? open.filter((c) => c.sameQuadrant) : [];
    const pool = same.length ? same : open;
    const good = pool.filter((c) => c.score <= pool[0]!.score + 0.25);
    const fewest = Math.min(...good.map((c) => used(c.songId)));
    const pick = good.find((c) => used(c.songId) === fewest)!;
    uses.set(pick.songId, used(pick.songId) + 1);
    return { portraitId: p.id, songId: pick.songId, rank: look.all.indexOf(pick) + 1 };
  });
}

test('the playlist equals the plain method song for song, rank for rank, when repeats push choices far down', () => {
  // Four portraits a song, crowded toward the corners the goals aim at: most choices lie past the first look.
  for (const [np, ns, seed] of [[1200, 300, 3], [600, 40, 4]] as const) {
    const { portraits, songs } = syntheticCollection(np, ns, seed);
    for (const mode of ['match', 'lift', 'calm'] as const) {
      const got = buildPlaylist(portraits, songs, { mode, order: 'gallery' });
      const want = plainPlaylist(portraits, songs, mode);
      assert.deepEqual(got.map((e) => ({ portraitId: e.portraitId, songId: e.songId, rank: e.rank })), want, `${np}×${ns} ${mode}`);
      const deep = got.filter((e) => (e.rank ?? 0) > KEEP_CANDIDATES);
      if (np === 1200) assert.ok(deep.length > 50, `${mode}: ${deep.length} choices past the kept candidates`);
      for (const e of got) assert.ok(e.candidates.length <= KEEP_CANDIDATES + 1, 'the kept candidates and at most the chosen one');
    }
  }
});

test('past the first 200, the first open song of the whole ranking: its own quadrant used up, then the rest', () => {
  // Mostly tense faces: they use up the tense songs, and the rest go to other quadrants' songs far down their ranking.
  const { portraits: all, songs } = syntheticCollection(4000, 880, 5);
  const tense = (p: MatchPortrait): boolean => p.faces.length > 0 && p.faces[0]!.valence < 0 && p.faces[0]!.arousal > 0.1;
  const portraits = all.filter((p) => tense(p) || p.id % 4 === 0);
  for (const mode of ['match', 'lift', 'calm'] as const) {
    const got = buildPlaylist(portraits, songs, { mode, order: 'gallery' });
    assert.deepEqual(got.map((e) => ({ portraitId: e.portraitId, songId: e.songId, rank: e.rank })), plainPlaylist(portraits, songs, mode), mode);
    const far = got.filter((e) => (e.rank ?? 0) > 200);
    // Calm aims away from the tense corner, so its choices stay near the top.
    if (mode !== 'calm') assert.ok(far.length > 10, `${mode}: ${far.length} choices past the 200 best`);
    if (mode === 'match') assert.ok(far.some((e) => e.faceQuadrant === 'Q2' && !e.candidates.at(-1)!.sameQuadrant), 'a tense face matched outside its quadrant');
  }
});

test('a choice far down the ranking is kept after the best candidates; its rank and words are its own; swap goes back to the best', () => {
  const { portraits, songs } = syntheticCollection(1200, 300, 3);
  const list = buildPlaylist(portraits, songs, { mode: 'lift', order: 'gallery' });
  const e = list.find((x) => (x.rank ?? 0) > KEEP_CANDIDATES + 1)!;
  assert.ok(e, 'a deep choice exists');
  assert.equal(e.candidates.length, KEEP_CANDIDATES + 1);
  assert.equal(e.candidates.at(-1)!.songId, e.songId);
  assert.equal(e.candidates.at(-1)!.rank, e.rank);
  assert.match(e.reason, new RegExp(`${e.rank}(st|nd|rd|th)-best fit, to avoid repeats`));
  assert.deepEqual(e.candidates.slice(0, KEEP_CANDIDATES).map((c) => c.rank), Array.from({ length: KEEP_CANDIDATES }, (_, i) => i + 1));
  swapSong(e);
  assert.equal(e.rank, 1);
  assert.equal(e.songId, e.candidates[0]!.songId);
  assert.match(e.reason, /the best fit/);
});
