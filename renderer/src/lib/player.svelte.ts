/**
 * The embedded player: howler in html5 mode, so long files stream through the media protocol
 * (which answers Range requests) instead of being decoded whole into memory.
 */
import { Howl } from 'howler';

class Player {
  playing = $state(false);
  position = $state(0);
  duration = $state(0);
  volume = $state(0.8);
  error = $state<string | null>(null);
  src = $state<string | null>(null);
  private howl: Howl | null = null;
  private timer: ReturnType<typeof setInterval> | null = null;
  onend: (() => void) | null = null;

  load(src: string, autoplay: boolean): void {
    this.stop();
    this.src = src;
    this.error = null;
    this.position = 0;
    this.duration = 0;
    const ext = /\.([a-z0-9]+)$/i.exec(decodeURIComponent(src))?.[1]?.toLowerCase();
    const howl = new Howl({
      src: [src],
      html5: true,
      volume: this.volume,
      preload: 'metadata',
      ...(ext ? { format: [ext === 'oga' ? 'ogg' : ext] } : {}),
      onload: () => (this.duration = howl.duration()),
      onplay: () => {
        this.playing = true;
        this.duration = howl.duration();
        this.startClock();
      },
      onpause: () => (this.playing = false),
      onstop: () => (this.playing = false),
      onend: () => {
        this.playing = false;
        this.onend?.();
      },
      onloaderror: (_id, err) => (this.error = `This song could not be loaded (${String(err)}).`),
      onplayerror: (_id, err) => (this.error = `This song could not be played (${String(err)}).`),
    });
    this.howl = howl;
    if (autoplay) howl.play();
  }

  private startClock(): void {
    // Polled rather than driven by requestAnimationFrame: html5 audio reports time on its own clock.
    this.timer ??= setInterval(() => {
      if (this.howl) this.position = Number(this.howl.seek()) || 0;
    }, 200);
  }

  toggle(): void {
    if (!this.howl) return;
    if (this.howl.playing()) this.howl.pause();
    else this.howl.play();
  }

  seek(seconds: number): void {
    if (!this.howl) return;
    const t = Math.max(0, Math.min(this.duration || seconds, seconds));
    this.howl.seek(t);
    this.position = t;
  }

  setVolume(v: number): void {
    this.volume = Math.max(0, Math.min(1, v));
    this.howl?.volume(this.volume);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.howl?.unload();
    this.howl = null;
    this.playing = false;
  }
}

export const player = new Player();
