/**
 * Exhibition mode's state machine: which pair of the playlist is on the wall, when the next one
 * comes, and what pausing does to the clock. Pure and clock-injected, so it is unit-tested without
 * a page; the view (renderer ExhibitionView.svelte) turns its effects into pictures and sound.
 */

/** When the next portrait comes: when its song ends, or after a fixed number of seconds. */
export type AdvanceSetting = 'song-end' | number;

/** The choices the playlist view offers; seconds are short enough for a test, long enough for a wall. */
export const ADVANCE_CHOICES: readonly AdvanceSetting[] = ['song-end', 5, 10, 20, 30, 60, 120, 300];

/** A song that will not load must not leave a gallery wall stuck on one portrait. */
export const FAILED_SONG_GRACE_MS = 5000;

export function parseAdvance(value: unknown): AdvanceSetting {
  if (value === 'song-end') return 'song-end';
  const n = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : NaN;
  return Number.isFinite(n) && n >= 1 && n <= 3600 ? Math.round(n) : 'song-end';
}

export function describeAdvance(a: AdvanceSetting): string {
  if (a === 'song-end') return 'when the song ends';
  return a < 60 ? `every ${a} s` : `every ${a / 60} min`;
}

/** Index `delta` steps from `index` in a loop of `count`; a wall plays its playlist round and round. */
export function wrapIndex(index: number, delta: number, count: number): number {
  if (count <= 0) return 0;
  return (((index + delta) % count) + count) % count;
}

export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export type ShowReason = 'start' | 'next' | 'prev' | 'auto';

export interface ExhibitionEffects {
  /** Put pair `index` on the wall and start its song (crossfading from what was there). */
  show(index: number, reason: ShowReason): void;
  /** Pause or resume the sound; the picture stays. */
  setPaused(paused: boolean): void;
}

export class Exhibition {
  index = 0;
  paused = false;
  private timer: unknown = null;
  /** Milliseconds the current portrait still has in timed mode (kept while paused). */
  private remaining: number | null = null;
  private deadline: number | null = null;
  private disposed = false;

  constructor(
    private count: number,
    private advance: AdvanceSetting,
    private readonly effects: ExhibitionEffects,
    private readonly clock: Clock,
  ) {}

  start(index = 0): void {
    if (this.count === 0) return;
    this.go(wrapIndex(index, 0, this.count), 'start');
  }

  next(): void {
    this.go(wrapIndex(this.index, 1, this.count), 'next');
  }

  prev(): void {
    this.go(wrapIndex(this.index, -1, this.count), 'prev');
  }

  togglePause(): void {
    if (this.disposed || this.count === 0) return;
    this.paused = !this.paused;
    if (this.paused) {
      if (this.deadline !== null) this.remaining = Math.max(0, this.deadline - this.clock.now());
      this.clearTimer();
    } else if (this.remaining !== null) {
      this.arm(this.remaining);
    }
    this.effects.setPaused(this.paused);
  }

  /** The song of the current portrait ended: in "song end" mode the next one comes. */
  songEnded(): void {
    if (this.disposed || this.paused) return;
    if (this.advance === 'song-end') this.go(wrapIndex(this.index, 1, this.count), 'auto');
  }

  /** The song could not be played: move on after a grace period, whatever the mode. */
  songFailed(): void {
    if (this.disposed || this.paused || this.advance !== 'song-end') return;
    this.arm(FAILED_SONG_GRACE_MS);
  }

  /** The setting changed while running: the current portrait's time starts again under it. */
  setAdvance(advance: AdvanceSetting): void {
    this.advance = advance;
    this.remaining = null;
    this.clearTimer();
    if (!this.paused) this.armForMode();
  }

  /** The playlist changed under the wall (a portrait removed): stay in range. */
  setCount(count: number): void {
    this.count = count;
    if (count === 0) this.clearTimer();
    else if (this.index >= count) this.go(count - 1, 'auto');
  }

  dispose(): void {
    this.disposed = true;
    this.clearTimer();
  }

  /** The time the current portrait has left in timed mode, for display and tests. */
  timeLeft(): number | null {
    if (this.paused) return this.remaining;
    return this.deadline === null ? null : Math.max(0, this.deadline - this.clock.now());
  }

  private go(index: number, reason: ShowReason): void {
    if (this.disposed || this.count === 0) return;
    this.index = index;
    this.paused = false;
    this.remaining = null;
    this.clearTimer();
    this.effects.show(index, reason);
    this.armForMode();
  }

  private armForMode(): void {
    if (typeof this.advance === 'number') this.arm(this.advance * 1000);
  }

  private arm(ms: number): void {
    this.clearTimer();
    this.remaining = ms;
    this.deadline = this.clock.now() + ms;
    this.timer = this.clock.setTimeout(() => {
      this.timer = null;
      this.deadline = null;
      this.go(wrapIndex(this.index, 1, this.count), 'auto');
    }, ms);
  }

  private clearTimer(): void {
    if (this.timer !== null) this.clock.clearTimeout(this.timer);
    this.timer = null;
    this.deadline = null;
  }
}
