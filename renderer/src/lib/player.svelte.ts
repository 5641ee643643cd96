/**
 * The embedded player: howler in html5 mode, so long files stream through the media protocol
 * (which answers Range requests) instead of being decoded whole into memory.
 */
import { Howl } from 'howler';

/**
 * Howler points an unloaded html5 node at a `data:` URL to stop its download; the app's CSP
 * (rightly) refuses that and logs it whenever no new song takes the node over at once (a node
 * outside Howler's pool, or one faded out on its own). Emptying the node stops the download
 * just as well, and asks the CSP for nothing.
 */
function unloadQuietly(howl: Howl): void {
  const sounds = (howl as unknown as { _sounds?: { _node?: unknown }[] })._sounds ?? [];
  const nodes = sounds.map((s) => s._node).filter((n): n is HTMLMediaElement => n instanceof HTMLMediaElement);
  howl.unload();
  for (const node of nodes) node.removeAttribute('src');
}

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

  /**
   * `fadeMs` crossfades: what plays now fades out (and is then unloaded) while the new song
   * fades in. Callbacks of a howl that is fading out no longer touch the player's state.
   * `startAt` (seconds) starts the song there: a playlist pair's best-fitting stretch.
   */
  load(src: string, autoplay: boolean, fadeMs = 0, startAt = 0): void {
    const old = this.howl;
    if (fadeMs > 0 && old?.playing()) {
      this.howl = null;
      old.fade(old.volume(), 0, fadeMs);
      setTimeout(() => unloadQuietly(old), fadeMs + 50);
    }
    this.stop();
    this.src = src;
    this.error = null;
    this.position = startAt;
    this.duration = 0;
    const ext = /\.([a-z0-9]+)$/i.exec(decodeURIComponent(src))?.[1]?.toLowerCase();
    const howl: Howl = new Howl({
      src: [src],
      html5: true,
      volume: this.volume,
      preload: 'metadata',
      ...(ext ? { format: [ext === 'oga' ? 'ogg' : ext] } : {}),
      onload: () => mine() && (this.duration = howl.duration()),
      onplay: () => {
        if (!mine()) return;
        this.playing = true;
        this.duration = howl.duration();
        this.startClock();
      },
      onpause: () => mine() && (this.playing = false),
      onstop: () => mine() && (this.playing = false),
      onend: () => {
        if (!mine()) return;
        this.playing = false;
        this.onend?.();
      },
      onloaderror: (_id, err) => mine() && (this.error = `This song could not be loaded (${String(err)}).`),
      onplayerror: (_id, err) => mine() && (this.error = `This song could not be played (${String(err)}).`),
    });
    const mine = (): boolean => this.howl === howl;
    this.howl = howl;
    // Queued by howler until the file's metadata is in, and before play() so that playing begins
    // there instead of jumping after a moment of the song's opening.
    if (startAt > 0) howl.seek(startAt);
    if (autoplay) {
      if (fadeMs > 0) howl.once('play', () => howl.fade(0, this.volume, fadeMs));
      howl.volume(fadeMs > 0 ? 0 : this.volume);
      howl.play();
    }
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
    if (this.howl) unloadQuietly(this.howl);
    this.howl = null;
    this.playing = false;
  }
}

export const player = new Player();
