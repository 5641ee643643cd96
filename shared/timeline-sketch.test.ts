import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeTimeline, sketchTimeline } from './timeline-sketch.ts';
import type { SongTimeline } from './api.ts';

const tl = (patch: number, ...points: [number, number, number][]): SongTimeline => ({ patchSeconds: patch, points: points.map(([start, valence, arousal]) => ({ start, valence, arousal })) });
/** `n` patches of 3 s: the first `k` at `a`, the rest at `b`. */
const twoPart = (n: number, k: number, a: [number, number], b: [number, number]) =>
  tl(3, ...Array.from({ length: n }, (_, i): [number, number, number] => [i * 3, ...(i < k ? a : b)]));

test('a song that turns says from what to what, and when', () => {
  // Calm (pleasant, low energy) for 70 s, then tense: the turn is at the first tense patch.
  const t = twoPart(40, 24, [0.4, -0.5], [-0.5, 0.6]);
  assert.equal(describeTimeline(t), 'Energy and mood over time: rises from calm to tense at 1:12');
  assert.equal(describeTimeline(twoPart(40, 10, [-0.5, 0.6], [0.4, -0.5])), 'Energy and mood over time: falls from tense to calm at 0:30');
  assert.equal(describeTimeline(twoPart(20, 10, [-0.5, -0.1], [0.5, -0.1])), 'Energy and mood over time: turns from sad to calm at 0:30');
});

test('a song that moves within one quadrant, or hardly at all, says so', () => {
  assert.equal(describeTimeline(twoPart(20, 5, [0.3, 0.1], [0.4, 0.8])), 'Energy and mood over time: builds up at 0:15, staying happy');
  assert.equal(describeTimeline(twoPart(20, 5, [-0.1, -0.4], [-0.8, -0.5])), 'Energy and mood over time: darkens at 0:15, staying sad');
  assert.equal(describeTimeline(twoPart(20, 8, [0.5, 0.5], [0.55, 0.45])), 'Energy and mood over time: steady, happy throughout');
  assert.equal(describeTimeline(tl(3, [0, -0.4, 0.5])), 'Energy and mood over time: steady, tense throughout');
  // One odd patch at the very end is not the song's turn.
  const spike = twoPart(30, 29, [0.5, -0.5], [-0.9, 0.9]);
  assert.match(describeTimeline(spike), /steady|at 1:27/);
});

test('the sketch maps time across the width and +1..−1 down the height', () => {
  const s = sketchTimeline(tl(10, [0, 1, -1], [10, 0, 0], [20, -1, 1]), 30, 20, 30);
  // Points sit at the middle of their patch: 5, 15, 25 s of 30 s → x 5, 15, 25.
  assert.equal(s.valence, 'M5 0L15 10L25 20');
  assert.equal(s.arousal, 'M5 20L15 10L25 0');
  assert.match(s.label, /^Energy and mood over time: /);
  // Without a duration the last patch's end is the right edge.
  assert.equal(sketchTimeline(tl(10, [0, 0, 0], [10, 0, 0]), 20, 20).valence, 'M5 10L15 10');
  // A single reading is a short stroke (centred on its patch's middle), not an empty path.
  assert.equal(sketchTimeline(tl(3, [0, 0, 0]), 80, 20, 3).valence, 'M37 10h6');
});

test('a long timeline costs the path no more than its width', () => {
  const long = tl(3, ...Array.from({ length: 5000 }, (_, i): [number, number, number] => [i * 3, Math.sin(i / 50), Math.cos(i / 50)]));
  const s = sketchTimeline(long, 80, 20);
  assert.ok(s.arousal.split(/[ML]/).filter(Boolean).length <= 81, 'one point per pixel column at most');
  for (const v of s.valence.match(/-?\d+(\.\d+)?/g)!.map(Number)) assert.ok(v >= 0 && v <= 80);
});
