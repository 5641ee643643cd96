import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildPlaylist, dominantFace, rankSongs, swapSong, targetFor, type MatchFace, type MatchPortrait, type MatchSong } from './match.ts';
import { quadrantOfPoint } from './emotion.ts';

const face = (quadrant: MatchFace['quadrant'], valence: number, arousal: number, box: MatchFace['box'] = [0, 0, 100, 100], score = 0.9): MatchFace => ({
  box, score, quadrant, probs: { Q1: 0, Q2: 0, Q3: 0, N: 0, [quadrant]: 1 }, valence, arousal,
});
const song = (id: number, quadrant: MatchSong['quadrant'], valence: number, arousal: number, conf = 0.9): MatchSong => ({
  id, path: `/m/${id}.ogg`, quadrant, valence, arousal, probs: quadrant ? { Q1: 0, Q2: 0, Q3: 0, Q4: 0, [quadrant]: conf } : null,
});
const SONGS = [
  song(1, 'Q1', 0.7, 0.6), song(2, 'Q1', 0.4, 0.3), song(3, 'Q2', -0.6, 0.7), song(4, 'Q3', -0.6, -0.5),
  song(5, 'Q4', 0.5, -0.5), song(6, 'Q4', 0.2, -0.2), song(7, 'Q3', -0.3, -0.2), song(8, null, null as unknown as number, null as unknown as number),
];

test('the dominant face is the largest and most confident', () => {
  assert.equal(dominantFace([face('Q1', 0.5, 0.5, [0, 0, 10, 10]), face('Q3', -0.5, -0.5, [0, 0, 50, 50], 0.5)]), 1);
  assert.equal(dominantFace([]), null);
});

test('same quadrant first, then nearest; unanalysed songs never match', () => {
  const ranked = rankSongs({ valence: 0.45, arousal: 0.35 }, 'Q1', SONGS);
  assert.deepEqual(ranked.slice(0, 2).map((c) => c.songId), [2, 1]);
  assert.ok(ranked.slice(2).every((c) => !c.sameQuadrant));
  assert.ok(!ranked.some((c) => c.songId === 8));
});

test('an unsure song counts as farther away', () => {
  const a = song(10, 'Q1', 0.5, 0.5, 0.3);
  const b = song(11, 'Q1', 0.52, 0.5, 0.95);
  assert.equal(rankSongs({ valence: 0.5, arousal: 0.5 }, 'Q1', [a, b])[0]!.songId, 11);
});

test('goals move the target: lift toward Q1, calm toward Q4; neutral asks for calm', () => {
  const sad = { quadrant: 'Q3' as const, valence: -0.6, arousal: -0.5 };
  assert.equal(targetFor(sad, 'match').quadrant, 'Q3');
  const lifted = targetFor(sad, 'lift').point;
  assert.ok(lifted.valence > -0.6 && lifted.arousal > -0.5);
  const angry = { quadrant: 'Q2' as const, valence: -0.6, arousal: 0.7 };
  const calmed = targetFor(angry, 'calm');
  assert.ok(calmed.point.arousal < 0.7 && calmed.point.valence > -0.6);
  assert.equal(targetFor({ quadrant: 'N', valence: 0, arousal: 0 }, 'match').quadrant, 'Q4');
  // A gradual shift: one step toward calm, not the whole way to the corner.
  const happyCalmed = targetFor({ quadrant: 'Q1', valence: 0.6, arousal: 0.6 }, 'calm').point;
  assert.ok(Math.abs(happyCalmed.arousal - 0.1) < 1e-9 && happyCalmed.valence === 0.6);
  assert.equal(quadrantOfPoint(targetFor({ quadrant: 'Q1', valence: 0.6, arousal: 0.2 }, 'calm').point, 0), 'Q4');
  // Different faces keep different targets.
  const a = targetFor({ quadrant: 'Q3', valence: -0.7, arousal: -0.45 }, 'lift').point;
  const b = targetFor({ quadrant: 'Q2', valence: -0.6, arousal: 0.7 }, 'lift').point;
  assert.ok(Math.hypot(a.valence - b.valence, a.arousal - b.arousal) > 0.5);
});

test('a gallery playlist does not repeat songs while good ones remain, and is deterministic', () => {
  const portraits: MatchPortrait[] = [1, 2, 3].map((id) => ({ id, path: `/p/${id}.jpg`, faces: [face('Q1', 0.5, 0.5)] }));
  portraits.push({ id: 4, path: '/p/4.jpg', faces: [] });
  const list = buildPlaylist(portraits, SONGS, { mode: 'match', order: 'gallery' });
  const [a, b, c] = list.map((e) => e.songId);
  assert.notEqual(a, b, 'the second portrait gets the unused Q1 song');
  assert.deepEqual([a, b].sort(), [1, 2]);
  assert.ok(c === 1 || c === 2, 'with both Q1 songs used, a repeat stays in Q1');
  assert.equal(list[3]!.songId, null);
  assert.match(list[3]!.reason, /No face/);
  assert.deepEqual(buildPlaylist(portraits, SONGS, { mode: 'match', order: 'gallery' }), list);
  assert.match(list[0]!.reason, /^Happy face → \w+, happy track; the best fit\.$/);
});

test('the person can pick another face; swap walks the candidates', () => {
  const p: MatchPortrait = { id: 1, path: '/p.jpg', faces: [face('Q1', 0.6, 0.6, [0, 0, 100, 100]), face('Q3', -0.6, -0.5, [0, 0, 10, 10])] };
  const [auto] = buildPlaylist([p], SONGS, { mode: 'match', order: 'gallery' });
  assert.equal(auto!.faceIndex, 0);
  const [picked] = buildPlaylist([p], SONGS, { mode: 'match', order: 'gallery', faceChoice: { 1: 1 } });
  assert.equal(picked!.targetQuadrant, 'Q3');
  assert.equal(picked!.songId, 4);
  swapSong(picked!);
  assert.equal(picked!.rank, 2);
  assert.notEqual(picked!.songId, 4);
});

test('an arc orders portraits sad → calm → happy → tense', () => {
  const ps: MatchPortrait[] = [
    { id: 1, path: '', faces: [face('Q2', -0.6, 0.7)] },
    { id: 2, path: '', faces: [face('Q1', 0.6, 0.6)] },
    { id: 3, path: '', faces: [face('Q3', -0.6, -0.5)] },
  ];
  assert.deepEqual(buildPlaylist(ps, SONGS, { mode: 'match', order: 'arc' }).map((e) => e.portraitId), [3, 2, 1]);
});

test('a spec rebuilds the same edited playlist: face choice, swaps and order', async () => {
  const { playlistFromSpec, defaultSpec } = await import('./match.ts');
  const ps: MatchPortrait[] = [1, 2, 3].map((id) => ({ id, path: '', faces: [face('Q1', 0.5, 0.5), face('Q3', -0.6, -0.5, [0, 0, 5, 5])] }));
  const spec = { ...defaultSpec(), faceChoice: { 2: 1 }, picks: { 1: 3 }, sequence: [3, 1] };
  const list = playlistFromSpec(ps, SONGS, spec);
  assert.deepEqual(list.map((e) => e.portraitId), [3, 1, 2]);
  assert.equal(list.find((e) => e.portraitId === 1)!.rank, 3);
  assert.equal(list.find((e) => e.portraitId === 2)!.targetQuadrant, 'Q3');
  assert.deepEqual(playlistFromSpec(ps, SONGS, spec), list);
});

// A library shaped like the one the review used: a few songs in each corner, one a favourite.
const LIB: MatchSong[] = [];
for (let i = 0; i < 30; i++) {
  const angle = (i / 30) * 2 * Math.PI + 0.1;
  const r = 0.35 + 0.5 * ((i * 7) % 10) / 10;
  const v = r * Math.cos(angle);
  const a = r * Math.sin(angle);
  const q = v >= 0 ? (a >= 0 ? 'Q1' : 'Q4') : a >= 0 ? 'Q2' : 'Q3';
  LIB.push(song(100 + i, q, v, a, 0.5 + (i % 5) / 10));
}
const GALLERY: MatchPortrait[] = Array.from({ length: 60 }, (_, i) => {
  const kinds: [MatchFace['quadrant'], number, number][] = [['N', 0.02, -0.03], ['Q3', -0.6, -0.4], ['Q1', 0.7, 0.45], ['Q2', -0.5, 0.6], ['N', -0.05, 0.05]];
  const [q, v, a] = kinds[i % kinds.length]!;
  return { id: i + 1, path: `/p/${i}.jpg`, faces: [face(q, v + ((i * 13) % 7) / 100, a - ((i * 5) % 7) / 100)] };
});

test('lift and calm spread over the library: many distinct songs, no song past the automatic limit', async () => {
  const { playlistStats, autoMaxUses } = await import('./match.ts');
  const cap = autoMaxUses(60, 30);
  assert.equal(cap, 3);
  for (const mode of ['match', 'lift', 'calm'] as const) {
    const list = buildPlaylist(GALLERY, LIB, { mode, order: 'gallery' });
    const stats = playlistStats(list);
    assert.equal(stats.pairs, 60, mode);
    assert.ok(stats.worst!.uses <= cap, `${mode}: worst repeat ${stats.worst!.uses}`);
    assert.ok(stats.distinct >= 20, `${mode}: ${stats.distinct} distinct songs`);
  }
  // Lift really lifts: on average the chosen songs are more pleasant than the faces.
  const lift = buildPlaylist(GALLERY, LIB, { mode: 'lift', order: 'gallery' });
  const songV = (e: (typeof lift)[number]) => LIB.find((s) => s.id === e.songId)!.valence!;
  const meanGain = lift.reduce((n, e) => n + songV(e) - e.face!.valence, 0) / lift.length;
  assert.ok(meanGain > 0.15, `lift mean valence gain ${meanGain.toFixed(2)}`);
  const calm = buildPlaylist(GALLERY, LIB, { mode: 'calm', order: 'gallery' });
  const songA = (e: (typeof calm)[number]) => LIB.find((s) => s.id === e.songId)!.arousal!;
  const meanDrop = calm.reduce((n, e) => n + e.face!.arousal - songA(e), 0) / calm.length;
  assert.ok(meanDrop > 0.15, `calm mean arousal drop ${meanDrop.toFixed(2)}`);
});

test('a max-uses setting is honoured; portraits past it are told why', async () => {
  const { playlistFromSpec, defaultSpec, playlistStats } = await import('./match.ts');
  const once = playlistFromSpec(GALLERY, LIB, { ...defaultSpec(), maxUses: 1 });
  const stats = playlistStats(once);
  assert.equal(stats.worst!.uses, 1);
  assert.equal(stats.distinct, 30);
  const left = once.filter((e) => e.songId === null);
  assert.equal(left.length, 30);
  assert.match(left[0]!.reason, /Every song is already used 1 time, the most allowed/);
  const twice = playlistStats(playlistFromSpec(GALLERY, LIB, { ...defaultSpec(), mode: 'lift', maxUses: 2 }));
  assert.equal(twice.pairs, 60);
  assert.equal(twice.worst!.uses, 2);
});

test('the reason is one plain sentence without numbers; swaps and spreading say so', () => {
  const list = buildPlaylist(GALLERY, LIB, { mode: 'match', order: 'gallery' });
  for (const e of list) {
    assert.match(e.reason, /^(Happy|Sad|Tense|Neutral|Calm) face → (gentle|quiet|steady|lively|energetic), (happy|sad|tense|calm) track; /, e.reason);
    assert.doesNotMatch(e.reason, /\d\.\d|Q[1-4]|V\/A/, e.reason);
  }
  assert.ok(list.some((e) => /best fit, to avoid repeats/.test(e.reason)));
  const e = list[0]!;
  swapSong(e);
  assert.match(e.reason, /2nd-best fit, your pick/);
  const lifted = buildPlaylist(GALLERY.slice(0, 2), LIB, { mode: 'lift', order: 'gallery' });
  assert.match(lifted[1]!.reason, /^Sad face, lifted a step → /);
});

test('the face a playlist matches is read like the badge: a neutral-leaning sad face counts as sad', () => {
  // 48 % neutral, 47 % sad: the point lies in the sad quadrant, so the playlist treats it as sad.
  const f: MatchFace = { box: [0, 0, 100, 100], score: 0.9, quadrant: 'N', probs: { Q1: 0.02, Q2: 0.03, Q3: 0.47, N: 0.48 }, valence: -0.33, arousal: -0.21 };
  const [e] = buildPlaylist([{ id: 1, path: '', faces: [f] }], SONGS, { mode: 'match', order: 'gallery' });
  assert.equal(e!.faceQuadrant, 'Q3');
  assert.equal(e!.targetQuadrant, 'Q3');
  assert.match(e!.reason, /^Sad face/);
});

test('"why this song" gives a reason for leaving the quadrant only when that reason applied', () => {
  const happy = (id: number): MatchPortrait => ({ id, path: `/p/${id}.jpg`, faces: [face('Q1', 0.5, 0.5)] });
  // One happy song, used once at most: the second happy face has to leave the quadrant, and says why.
  const lib = [song(1, 'Q1', 0.5, 0.5), song(2, 'Q4', 0.5, -0.2), song(3, 'Q2', -0.2, 0.5)];
  const [first, second] = buildPlaylist([happy(1), happy(2)], lib, { mode: 'match', order: 'gallery', maxUses: 1 });
  assert.match(first!.reason, /happy track; the best fit\.$/);
  assert.match(second!.reason, /\(every happy song is already used as often as allowed\)\.$/);
  // No happy song at all.
  const [none] = buildPlaylist([happy(1)], lib.slice(1), { mode: 'match', order: 'gallery' });
  assert.match(none!.reason, /\(no happy song in the library\)\.$/);
  // A person's swap outside the quadrant is their pick, not a shortage.
  const [swapped] = buildPlaylist([happy(1)], lib, { mode: 'match', order: 'gallery' });
  swapSong(swapped!);
  assert.ok(swapped!.songId !== 1);
  assert.match(swapped!.reason, /2nd-best fit, your pick\.$/);
  // Lift and calm rank by distance alone, so a song from another quadrant can win while songs of the
  // target quadrant are unused: no claim that none is left.
  const calmLib = [song(1, 'Q4', 0.9, -0.9), song(2, 'Q1', 0.6, 0.05)];
  const [calmed] = buildPlaylist([{ id: 1, path: '/p/1.jpg', faces: [face('Q1', 0.6, 0.2)] }], calmLib, { mode: 'calm', order: 'gallery' });
  assert.equal(calmed!.targetQuadrant, 'Q4');
  assert.equal(calmed!.songId, 2);
  assert.doesNotMatch(calmed!.reason, /\(/, calmed!.reason);
});

// Clip starts: where each matched song starts playing for its portrait.
const tl = (...points: [number, number, number][]) => ({ patchSeconds: 3, points: points.map(([start, valence, arousal]) => ({ start, valence, arousal })) });
const timed = (id: number, duration: number | null, timeline: ReturnType<typeof tl> | null): MatchSong => ({ ...song(id, 'Q1', 0.5, 0.5), duration, timeline });
const happyAt = (id: number, v = 0.6, a = 0.6): MatchPortrait => ({ id, path: `/p/${id}.jpg`, faces: [face('Q1', v, a)] });

test('a song starts at its stretch closest to the face, and the reason says from where', () => {
  const s = timed(1, 180, tl([0, -0.5, -0.5], [36, 0.1, 0.1], [72, 0.62, 0.58], [108, 0.3, 0.3]));
  const [e] = buildPlaylist([happyAt(1)], [s], { mode: 'match', order: 'gallery' });
  assert.equal(e!.clipStart, 72);
  assert.match(e!.reason, /; the best fit; from 1:12, where it comes closest to the face\.$/);
  // The same face aimed elsewhere picks another stretch: the clip follows the face, not the song.
  const [sad] = buildPlaylist([{ id: 2, path: '', faces: [face('Q3', -0.5, -0.45)] }], [s], { mode: 'match', order: 'gallery' });
  assert.equal(sad!.clipStart, 0, 'the opening is the closest stretch: start at the beginning');
  assert.doesNotMatch(sad!.reason, /from \d/);
});

test('ties go to the earlier stretch', () => {
  const s = timed(1, 300, tl([0, -0.9, -0.9], [30, 0.6, 0.6], [60, 0.6, 0.6], [90, 0.6, 0.6]));
  assert.equal(buildPlaylist([happyAt(1)], [s], { mode: 'match', order: 'gallery' })[0]!.clipStart, 30);
});

test('a stretch that would leave less than ten seconds of song is passed over', () => {
  const points: [number, number, number][] = [[0, -0.9, -0.9], [40, 0.3, 0.3], [52, 0.6, 0.6]];
  // 60 s long: the closest stretch starts 8 s before the end, so the next-closest one plays.
  assert.equal(buildPlaylist([happyAt(1)], [timed(1, 60, tl(...points))], { mode: 'match', order: 'gallery' })[0]!.clipStart, 40);
  assert.equal(buildPlaylist([happyAt(1)], [timed(1, 62, tl(...points))], { mode: 'match', order: 'gallery' })[0]!.clipStart, 52);
  // Without a duration, the end of the last analysed patch (55 s) is all the song is known to last.
  assert.equal(buildPlaylist([happyAt(1)], [timed(1, null, tl(...points))], { mode: 'match', order: 'gallery' })[0]!.clipStart, 40);
  // A song shorter than a clip plays from its start.
  assert.equal(buildPlaylist([happyAt(1)], [timed(1, 9, tl([0, -0.9, -0.9], [3, 0.6, 0.6]))], { mode: 'match', order: 'gallery' })[0]!.clipStart, 0);
});

test('no timeline, or "start at the beginning", starts at 0 with the reason unchanged', async () => {
  const { playlistFromSpec, defaultSpec } = await import('./match.ts');
  const [plain] = buildPlaylist([happyAt(1)], [timed(1, 180, null)], { mode: 'match', order: 'gallery' });
  assert.equal(plain!.clipStart, 0);
  const s = timed(1, 180, tl([0, -0.5, -0.5], [72, 0.6, 0.6]));
  const [fromStart] = playlistFromSpec([happyAt(1)], [s], { ...defaultSpec(), startAt: 'beginning' });
  assert.equal(fromStart!.clipStart, 0);
  assert.equal(fromStart!.reason, plain!.reason);
  assert.equal(fromStart!.candidates[0]!.clip, null);
  assert.equal(playlistFromSpec([happyAt(1)], [s], defaultSpec())[0]!.clipStart, 72);
  assert.equal(playlistFromSpec([happyAt(1)], [s], { ...defaultSpec(), startAt: 'stretch' })[0]!.clipStart, 72);
});

test('lift and calm aim the clip at the moved target, not at the face', () => {
  // A sad face; the song has a sad stretch (the face's point) and a brighter one (the lifted target).
  const sadFace: MatchPortrait = { id: 1, path: '', faces: [face('Q3', -0.6, -0.5)] };
  const s = { ...timed(1, 240, tl([0, 0.9, 0.9], [30, -0.6, -0.5], [90, -0.2, -0.2])), quadrant: 'Q3' as const, valence: -0.4, arousal: -0.3 };
  const [matched] = buildPlaylist([sadFace], [s], { mode: 'match', order: 'gallery' });
  assert.equal(matched!.clipStart, 30);
  const [lifted] = buildPlaylist([sadFace], [s], { mode: 'lift', order: 'gallery' });
  const t = lifted!.target!;
  const near = (p: [number, number]) => Math.hypot(p[0] - t.valence, p[1] - t.arousal);
  assert.ok(near([-0.2, -0.2]) < near([-0.6, -0.5]), 'the brighter stretch is the nearer to the lifted target');
  assert.equal(lifted!.clipStart, 90);
  assert.match(lifted!.reason, /from 1:30, where it comes closest to the lifted mood\.$/);
});

test('a swap starts the new song at its own best stretch', () => {
  const a = timed(1, 200, tl([0, 0.6, 0.6], [60, 0, 0]));
  const b = { ...timed(2, 200, tl([0, -0.6, -0.6], [100, 0.55, 0.6])), valence: 0.3, arousal: 0.3 };
  const [e] = buildPlaylist([happyAt(1)], [a, b], { mode: 'match', order: 'gallery' });
  assert.equal(e!.songId, 1);
  assert.equal(e!.clipStart, 0);
  swapSong(e!);
  assert.equal(e!.songId, 2);
  assert.equal(e!.clipStart, 100);
  assert.match(e!.reason, /2nd-best fit, your pick; from 1:40, /);
});

test('the start setting crosses the API checked: two words or nothing', async () => {
  const { playlistSpecSchema } = await import('./api-schema.ts');
  const { defaultSpec } = await import('./match.ts');
  for (const startAt of ['stretch', 'beginning']) assert.equal(playlistSpecSchema.safeParse({ ...defaultSpec(), startAt }).success, true, startAt);
  assert.equal(playlistSpecSchema.safeParse(defaultSpec()).success, true, 'absent: the best stretch');
  for (const startAt of ['start', 72, null, true]) assert.equal(playlistSpecSchema.safeParse({ ...defaultSpec(), startAt }).success, false, String(startAt));
});

test('rankTop keeps exactly the head of the full ranking, ties and all', async () => {
  const { rankTop, rankable } = await import('./match.ts');
  let seed = 11;
  const rnd = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  // Coarse readings so that many songs tie on score and the id decides.
  const songs: MatchSong[] = Array.from({ length: 3000 }, (_, i) => {
    const valence = Math.round((rnd() * 2 - 1) * 4) / 4;
    const arousal = Math.round((rnd() * 2 - 1) * 4) / 4;
    const quadrant = valence >= 0 ? (arousal >= 0 ? 'Q1' : 'Q4') : arousal >= 0 ? 'Q2' : 'Q3';
    return { id: 3000 - i, quadrant, valence, arousal, probs: { Q1: 0.25, Q2: 0.25, Q3: 0.25, Q4: 0.25 }, correction: null, timeline: null, duration: 200 } as MatchSong;
  });
  const prepared = rankable(songs);
  for (const [target, q, first] of [[{ valence: 0.3, arousal: 0.2 }, 'Q1', true], [{ valence: -0.5, arousal: -0.5 }, 'Q3', false], [{ valence: 0, arousal: 0 }, 'N', true]] as const) {
    const full = rankSongs(target, q, songs, first);
    for (const limit of [1, 12, 200, 2999, 5000]) {
      assert.deepEqual(rankTop(target, q, prepared, first, limit).map((c) => c.songId), full.slice(0, limit).map((c) => c.songId));
    }
  }
});

test('edits apply over a built playlist without changing it: the same pairs as building with them', async () => {
  const { applyEdits, baseOptions, playlistFromSpec, defaultSpec } = await import('./match.ts');
  const ps: MatchPortrait[] = [1, 2, 3, 4].map((id) => ({ id, path: '', faces: [face('Q1', 0.5, 0.5 - id / 10)] }));
  const spec = { ...defaultSpec(), picks: { 2: 3, 4: 99 }, sequence: [4, 2] };
  const base = buildPlaylist(ps, SONGS, baseOptions(spec));
  const before = structuredClone(base);
  const edited = applyEdits(base, spec);
  assert.deepEqual(base, before, 'the built playlist is not touched');
  assert.deepEqual(edited, playlistFromSpec(ps, SONGS, spec));
  assert.deepEqual(edited.map((e) => e.portraitId), [4, 2, 1, 3]);
  assert.equal(edited.find((e) => e.portraitId === 2)!.rank, 3);
  assert.equal(edited.find((e) => e.portraitId === 4), base.find((e) => e.portraitId === 4), 'a pick past the candidates is ignored');
  assert.equal(edited.find((e) => e.portraitId === 1), base.find((e) => e.portraitId === 1), 'entries without an edit are shared, not copied');
});
