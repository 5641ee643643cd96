import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Exhibition, FAILED_SONG_GRACE_MS, parseAdvance, wrapIndex, type AdvanceSetting, type Clock, type ShowReason } from './exhibition.ts';

/** A clock the test moves by hand. */
function fakeClock() {
  let t = 0;
  let seq = 0;
  const timers = new Map<number, { at: number; fn: () => void }>();
  const clock: Clock = {
    now: () => t,
    setTimeout(fn, ms) {
      const id = ++seq;
      timers.set(id, { at: t + ms, fn });
      return id;
    },
    clearTimeout(h) {
      timers.delete(h as number);
    },
  };
  const advance = (ms: number) => {
    const end = t + ms;
    for (;;) {
      const due = [...timers.entries()].filter(([, x]) => x.at <= end).sort((a, b) => a[1].at - b[1].at)[0];
      if (!due) break;
      timers.delete(due[0]);
      t = due[1].at;
      due[1].fn();
    }
    t = end;
  };
  return { clock, advance, pending: () => timers.size };
}

function setup(count: number, advance: AdvanceSetting) {
  const c = fakeClock();
  const shown: [number, ShowReason][] = [];
  const paused: boolean[] = [];
  const ex = new Exhibition(count, advance, { show: (i, r) => shown.push([i, r]), setPaused: (p) => paused.push(p) }, c.clock);
  return { ...c, ex, shown, paused };
}

test('wrapIndex loops both ways and copes with an empty playlist', () => {
  assert.equal(wrapIndex(0, -1, 5), 4);
  assert.equal(wrapIndex(4, 1, 5), 0);
  assert.equal(wrapIndex(2, 7, 5), 4);
  assert.equal(wrapIndex(0, 1, 0), 0);
});

test('parseAdvance keeps "song end" and whole seconds in range, else falls back to song end', () => {
  assert.equal(parseAdvance('song-end'), 'song-end');
  assert.equal(parseAdvance('10'), 10);
  assert.equal(parseAdvance(4.6), 5);
  assert.equal(parseAdvance('0'), 'song-end');
  assert.equal(parseAdvance('nonsense'), 'song-end');
  assert.equal(parseAdvance(null), 'song-end');
});

test('song-end mode: next, previous and the song ending move through the playlist in a loop', () => {
  const { ex, shown, pending } = setup(3, 'song-end');
  ex.start(2);
  ex.next();
  ex.prev();
  ex.prev();
  ex.songEnded();
  assert.deepEqual(shown, [[2, 'start'], [0, 'next'], [2, 'prev'], [1, 'prev'], [2, 'auto']]);
  assert.equal(pending(), 0, 'no timer runs in song-end mode');
});

test('timed mode: advances on its own after N seconds, and next restarts the count', () => {
  const { ex, shown, advance } = setup(4, 10);
  ex.start();
  advance(9_999);
  assert.equal(shown.length, 1);
  advance(1);
  assert.deepEqual(shown.at(-1), [1, 'auto']);
  advance(6_000);
  ex.next();
  advance(9_000);
  assert.deepEqual(shown.at(-1), [2, 'next'], 'the manual step gave the new portrait its full time');
  advance(1_000);
  assert.deepEqual(shown.at(-1), [3, 'auto']);
  ex.songEnded();
  assert.deepEqual(shown.at(-1), [3, 'auto'], 'a song ending does not skip in timed mode');
  assert.equal(shown.length, 4);
});

test('pause stops the clock and keeps the time left; resuming finishes it', () => {
  const { ex, shown, advance, paused } = setup(3, 10);
  ex.start();
  advance(4_000);
  ex.togglePause();
  assert.equal(ex.paused, true);
  assert.equal(ex.timeLeft(), 6_000);
  advance(60_000);
  assert.equal(shown.length, 1, 'nothing advances while paused');
  ex.songEnded();
  assert.equal(shown.length, 1);
  ex.togglePause();
  advance(5_999);
  assert.equal(shown.length, 1);
  advance(1);
  assert.deepEqual(shown.at(-1), [1, 'auto']);
  assert.deepEqual(paused, [true, false]);
});

test('stepping while paused plays the new portrait', () => {
  const { ex, advance, shown } = setup(3, 5);
  ex.start();
  ex.togglePause();
  ex.next();
  assert.equal(ex.paused, false);
  advance(5_000);
  assert.deepEqual(shown.at(-1), [2, 'auto']);
});

test('a song that fails moves on after a grace period, in song-end mode', () => {
  const { ex, shown, advance } = setup(2, 'song-end');
  ex.start();
  ex.songFailed();
  advance(FAILED_SONG_GRACE_MS - 1);
  assert.equal(shown.length, 1);
  advance(1);
  assert.deepEqual(shown.at(-1), [1, 'auto']);
});

test('changing the setting while running restarts the time; disposing stops everything', () => {
  const { ex, shown, advance, pending } = setup(3, 'song-end');
  ex.start();
  ex.setAdvance(5);
  advance(5_000);
  assert.deepEqual(shown.at(-1), [1, 'auto']);
  ex.dispose();
  assert.equal(pending(), 0);
  advance(60_000);
  ex.next();
  assert.equal(shown.length, 2);
});

test('an empty playlist shows nothing; a shrinking one keeps the index in range', () => {
  const empty = setup(0, 5);
  empty.ex.start();
  empty.ex.next();
  empty.ex.togglePause();
  assert.deepEqual(empty.shown, []);
  const { ex, shown } = setup(5, 'song-end');
  ex.start(4);
  ex.setCount(3);
  assert.deepEqual(shown.at(-1), [2, 'auto']);
  assert.equal(ex.index, 2);
});
