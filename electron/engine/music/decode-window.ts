/**
 * Decode a bounded window of an audio file to mono Float32 at a fixed rate.
 *
 * Window policy (shared by training and inference): the model was trained on the 4Q clips,
 * which are AllMusic previews of at most 30 s. So a track of at most WINDOW_SECONDS is
 * used whole; a longer one contributes the WINDOW_SECONDS centred on its middle, which
 * skips intros and fade-outs the way a preview does.
 *
 * Cost: audio-decode has no seek, only whole-file decode and a chunked stream decoder.
 * Decoding everything and then slicing is O(track length) (about 0.25 s of CPU per
 * minute of audio, see DECODING.md), so for the formats whose bitstreams can be entered
 * mid-file we feed the stream decoder only the codec headers plus the bytes around the
 * window, and stop as soon as the window is full:
 *   - Ogg Vorbis / Ogg Opus: the header pages (granule 0) + pages from the first "OggS"
 *     capture at the estimated offset. Vorbis/Opus packets are self-contained once the
 *     headers are known; the first decoded packet after the jump is pre-roll.
 *   - FLAC: "fLaC" + metadata blocks + bytes from the offset; the parser re-syncs on the
 *     next frame header (frames are independent).
 *   - MP3: bytes from the offset (after the ID3v2 tag); mpg123 re-syncs on the next frame
 *     header, the first frames after the jump lack their bit reservoir (pre-roll).
 *   - WAV: exact; the header is re-emitted with the data chunk cut to the window.
 * The byte offset comes from the duration (music-metadata, which reads headers and the
 * last Ogg page only) assuming a roughly constant bitrate; for VBR files the window lands
 * near, not exactly on, the middle. MP4/M4A (the sample table lives in `moov`) and any
 * format not listed fall back to decoding the whole file and slicing, which is O(length):
 * MAX_WHOLE_DECODE_BYTES bounds the damage.
 * If the partial route throws or yields less than half the expected audio, we fall back to
 * the whole-file route too, so a strange file costs time rather than a wrong window.
 */
import { open, readFile, stat } from 'node:fs/promises';
import decode from 'audio-decode';
import { parseFile } from 'music-metadata';

/** Every feature is computed at this rate so that features do not depend on the file's rate. */
export const TARGET_RATE = 22050;
/** Longest stretch analysed; matches the ≤30 s training clips. */
export const WINDOW_SECONDS = 30;
/** Decoded and discarded before the window on the partial route (decoder warm-up). */
const PREROLL_SECONDS = 1;
const CHUNK_BYTES = 64 * 1024;
/** Whole-file fallback refuses files bigger than this (≈ 1 h of 320 kbit/s MP3). */
export const MAX_WHOLE_DECODE_BYTES = 150 * 1024 * 1024;

export type DecodeRoute = 'whole' | 'partial' | 'whole-then-slice';

export interface DecodedWindow {
  /** Mono samples at `sampleRate`, at most WINDOW_SECONDS long. */
  samples: Float32Array;
  sampleRate: number;
  /** Where the window starts in the track (approximate on the partial route). */
  startSeconds: number;
  /** Track duration from the container, or the decoded length when unknown. */
  trackSeconds: number;
  route: DecodeRoute;
  /** Encoded bytes handed to the decoder: the cost driver. */
  bytesDecoded: number;
}

export interface WindowOptions {
  windowSeconds?: number;
  targetRate?: number;
  /**
   * The container as the caller already parsed it (reading the tags: music-metadata's
   * `format.duration`, as it came), so the file is not parsed a second time. Ogg durations
   * come from the last page either way.
   */
  parsed?: { duration: number | undefined };
}

/** Start and length (seconds) of the analysed window for a track of `duration` seconds. */
export function chooseWindow(duration: number, windowSeconds = WINDOW_SECONDS): { start: number; length: number } {
  if (!(duration > windowSeconds)) return { start: 0, length: Math.max(0, duration) };
  return { start: (duration - windowSeconds) / 2, length: windowSeconds };
}

export async function decodeWindow(path: string, options: WindowOptions = {}): Promise<DecodedWindow> {
  const windowSeconds = options.windowSeconds ?? WINDOW_SECONDS;
  const targetRate = options.targetRate ?? TARGET_RATE;
  const size = (await stat(path)).size;
  const head = await readRange(path, 0, Math.min(size, 64 * 1024));
  const kind = sniff(head);
  let duration: number | undefined;
  try {
    duration =
      kind === 'oga' || kind === 'opus'
        ? await oggDuration(path, size, head, kind)
        : options.parsed
          ? options.parsed.duration
          : (await parseFile(path, { duration: false, skipCovers: true })).format.duration;
  } catch {
    duration = undefined;
  }

  if (kind && duration !== undefined && duration > windowSeconds) {
    try {
      const part = await decodePartial(path, size, head, kind, duration, windowSeconds);
      if (part) {
        return {
          samples: resample(part.mono, part.rate, targetRate),
          sampleRate: targetRate,
          startSeconds: part.start,
          trackSeconds: duration,
          route: 'partial',
          bytesDecoded: part.bytes,
        };
      }
    } catch {
      // A file the partial route cannot enter is still decodable whole, below.
    }
  }

  if (size > MAX_WHOLE_DECODE_BYTES) throw new Error(`${path}: ${size} bytes is too big to decode whole`);
  const whole = await decode(await readFile(path));
  const mono = toMono(whole.channelData);
  const total = mono.length / whole.sampleRate;
  const { start, length } = chooseWindow(total, windowSeconds);
  const from = Math.round(start * whole.sampleRate);
  const slice = mono.subarray(from, from + Math.round(length * whole.sampleRate));
  return {
    samples: resample(slice, whole.sampleRate, targetRate),
    sampleRate: targetRate,
    startSeconds: start,
    trackSeconds: duration ?? total,
    route: start > 0 ? 'whole-then-slice' : 'whole',
    bytesDecoded: size,
  };
}

type Kind = 'oga' | 'opus' | 'flac' | 'mp3' | 'wav';

function sniff(b: Uint8Array): Kind | undefined {
  const ascii = (at: number, s: string) => [...s].every((c, i) => b[at + i] === c.charCodeAt(0));
  if (ascii(0, 'OggS')) {
    const first = new TextDecoder('latin1').decode(b.subarray(0, Math.min(b.length, 256)));
    if (first.includes('OpusHead')) return 'opus';
    if (first.includes('vorbis')) return 'oga';
    return undefined;
  }
  if (ascii(0, 'fLaC')) return 'flac';
  if (ascii(0, 'RIFF') && ascii(8, 'WAVE')) return 'wav';
  if (ascii(0, 'ID3')) return 'mp3';
  if (b[0] === 0xff && ((b[1] ?? 0) & 0xe0) === 0xe0) return 'mp3';
  return undefined;
}

interface WindowPart {
  mono: Float32Array;
  rate: number;
  start: number;
  bytes: number;
}

async function decodePartial(
  path: string,
  size: number,
  head: Uint8Array,
  kind: Kind,
  duration: number,
  windowSeconds: number,
): Promise<WindowPart | undefined> {
  const { start } = chooseWindow(duration, windowSeconds);
  if (kind === 'wav') return wavWindow(path, head, start, windowSeconds);

  const layout = await streamLayout(path, size, head, kind);
  const audioBytes = layout.audioEnd - layout.audioStart;
  const seekSeconds = Math.max(0, start - PREROLL_SECONDS);
  let offset = layout.audioStart + Math.floor((seekSeconds / duration) * audioBytes);
  if (kind === 'oga' || kind === 'opus') offset = await nextOggPage(path, offset, layout.audioEnd);
  const preroll = start - seekSeconds;

  const dec = await decode[kind]();
  const pieces: Float32Array[] = [];
  let rate = 0;
  let have = 0;
  let fed = 0;
  const need = (s: number) => (rate ? Math.ceil(s * rate) : Infinity);
  try {
    let out = await dec(layout.header);
    fed += layout.header.length;
    collect(out);
    for (let pos = offset; pos < layout.audioEnd && have < need(preroll + windowSeconds); pos += CHUNK_BYTES) {
      const chunk = await readRange(path, pos, Math.min(CHUNK_BYTES, layout.audioEnd - pos));
      fed += chunk.length;
      out = await dec(chunk);
      collect(out);
    }
    collect(await dec.flush());
  } finally {
    dec.free();
  }
  if (!rate) return undefined;
  const mono = concat(pieces);
  const from = Math.min(mono.length, Math.round(preroll * rate));
  const window = mono.subarray(from, from + Math.round(windowSeconds * rate));
  const expected = Math.min(windowSeconds, duration - start);
  if (window.length < 0.5 * expected * rate) return undefined;
  return { mono: window, rate, start, bytes: fed };

  function collect(data: { channelData: Float32Array[]; sampleRate: number }): void {
    if (!data.channelData.length) return;
    rate = data.sampleRate;
    const m = toMono(data.channelData);
    pieces.push(m);
    have += m.length;
  }
}

interface Layout {
  /** Bytes the decoder needs before any audio: codec headers. */
  header: Uint8Array;
  audioStart: number;
  audioEnd: number;
}

async function streamLayout(path: string, size: number, head: Uint8Array, kind: Exclude<Kind, 'wav'>): Promise<Layout> {
  if (kind === 'mp3') {
    let audioStart = 0;
    if (head[0] === 0x49 && head[1] === 0x44 && head[2] === 0x33) {
      const syncsafe = ((head[6]! & 0x7f) << 21) | ((head[7]! & 0x7f) << 14) | ((head[8]! & 0x7f) << 7) | (head[9]! & 0x7f);
      audioStart = 10 + syncsafe + ((head[5]! & 0x10) !== 0 ? 10 : 0);
    }
    const tail = await readRange(path, Math.max(0, size - 128), Math.min(128, size));
    const hasId3v1 = tail[0] === 0x54 && tail[1] === 0x41 && tail[2] === 0x47;
    return { header: new Uint8Array(0), audioStart, audioEnd: size - (hasId3v1 ? 128 : 0) };
  }
  if (kind === 'flac') {
    // Metadata blocks: 1 byte flags (bit 7 = last) + 24-bit length. Pictures can be large,
    // so read each block header from the file rather than from `head`.
    let pos = 4;
    for (;;) {
      const h = await readRange(path, pos, 4);
      const len = (h[1]! << 16) | (h[2]! << 8) | h[3]!;
      pos += 4 + len;
      if ((h[0]! & 0x80) !== 0 || pos >= size) break;
    }
    return { header: await readRange(path, 0, pos), audioStart: pos, audioEnd: size };
  }
  // Ogg: header pages carry granule position 0; the first audio page has a positive one.
  let pos = 0;
  for (;;) {
    const h = await readRange(path, pos, 27);
    if (h.length < 27 || String.fromCharCode(h[0]!, h[1]!, h[2]!, h[3]!) !== 'OggS') throw new Error('bad Ogg page');
    const granule = new DataView(h.buffer, h.byteOffset, 27).getBigInt64(6, true);
    if (granule > 0n) break;
    const segs = await readRange(path, pos + 27, h[26]!);
    pos += 27 + h[26]! + segs.reduce((a, v) => a + v, 0);
  }
  return { header: await readRange(path, 0, pos), audioStart: pos, audioEnd: size };
}

/**
 * music-metadata leaves Ogg durations out unless asked to scan the whole file, so read
 * the granule position of the last page instead (samples at the codec's clock).
 */
async function oggDuration(path: string, size: number, head: Uint8Array, kind: 'oga' | 'opus'): Promise<number | undefined> {
  const latin = new TextDecoder('latin1').decode(head.subarray(0, Math.min(head.length, 512)));
  let clock: number;
  let preSkip = 0;
  const view = new DataView(head.buffer, head.byteOffset, head.length);
  if (kind === 'opus') {
    const at = latin.indexOf('OpusHead');
    if (at < 0) return undefined;
    clock = 48000;
    preSkip = view.getUint16(at + 10, true);
  } else {
    const at = latin.indexOf('\x01vorbis');
    if (at < 0) return undefined;
    clock = view.getUint32(at + 12, true);
  }
  const tailLen = Math.min(size, 64 * 1024);
  const tail = await readRange(path, size - tailLen, tailLen);
  for (let i = tail.length - 27; i >= 0; i--) {
    if (tail[i] === 0x4f && tail[i + 1] === 0x67 && tail[i + 2] === 0x67 && tail[i + 3] === 0x53) {
      const granule = new DataView(tail.buffer, tail.byteOffset + i, 27).getBigInt64(6, true);
      if (granule > 0n) return (Number(granule) - preSkip) / clock;
    }
  }
  return undefined;
}

async function nextOggPage(path: string, from: number, end: number): Promise<number> {
  const buf = await readRange(path, from, Math.min(end - from, 128 * 1024));
  for (let i = 0; i + 4 < buf.length; i++) {
    if (buf[i] === 0x4f && buf[i + 1] === 0x67 && buf[i + 2] === 0x67 && buf[i + 3] === 0x53 && buf[i + 4] === 0) return from + i;
  }
  throw new Error('no Ogg page near the window');
}

/** WAV is exact: keep the header, cut the data chunk to the window (block-aligned). */
async function wavWindow(path: string, head: Uint8Array, start: number, windowSeconds: number): Promise<WindowPart | undefined> {
  const view = new DataView(head.buffer, head.byteOffset, head.length);
  let pos = 12;
  let rate = 0;
  let blockAlign = 0;
  while (pos + 8 <= head.length) {
    const id = String.fromCharCode(head[pos]!, head[pos + 1]!, head[pos + 2]!, head[pos + 3]!);
    const len = view.getUint32(pos + 4, true);
    if (id === 'fmt ') {
      rate = view.getUint32(pos + 12, true);
      blockAlign = view.getUint16(pos + 20, true);
    }
    if (id === 'data') {
      if (!rate || !blockAlign) return undefined;
      const dataStart = pos + 8;
      const from = dataStart + Math.floor(start * rate) * blockAlign;
      const bytes = Math.floor(windowSeconds * rate) * blockAlign;
      const body = await readRange(path, from, bytes);
      const out = new Uint8Array(dataStart + body.length);
      out.set(head.subarray(0, dataStart));
      out.set(body, dataStart);
      const ov = new DataView(out.buffer);
      ov.setUint32(4, out.length - 8, true);
      ov.setUint32(pos + 4, body.length, true);
      const decoded = await decode(out);
      return { mono: toMono(decoded.channelData), rate: decoded.sampleRate, start, bytes: out.length };
    }
    pos += 8 + len + (len & 1);
  }
  return undefined;
}

async function readRange(path: string, position: number, length: number): Promise<Uint8Array> {
  const fh = await open(path, 'r');
  try {
    const buf = new Uint8Array(Math.max(0, length));
    const { bytesRead } = await fh.read(buf, 0, buf.length, position);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

function concat(parts: Float32Array[]): Float32Array {
  const out = new Float32Array(parts.reduce((a, p) => a + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

export function toMono(channels: readonly Float32Array[]): Float32Array {
  const first = channels[0];
  if (!first) return new Float32Array(0);
  if (channels.length === 1) return first;
  const n = Math.min(...channels.map((c) => c.length));
  const out = new Float32Array(n);
  for (const c of channels) for (let i = 0; i < n; i++) out[i]! += c[i]!;
  const k = 1 / channels.length;
  for (let i = 0; i < n; i++) out[i]! *= k;
  return out;
}

// Windowed-sinc resampler. Half-width in input samples at the cut-off; the Kaiser-ish
// Blackman window keeps alias rejection near 70 dB, plenty for spectral statistics.
const SINC_ZEROS = 16;
const TABLE_STEPS = 512;
let sincTable: Float32Array | undefined;

function kernelTable(): Float32Array {
  if (sincTable) return sincTable;
  const n = SINC_ZEROS * TABLE_STEPS + 2;
  const t = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const x = i / TABLE_STEPS;
    const sinc = x === 0 ? 1 : Math.sin(Math.PI * x) / (Math.PI * x);
    const w = x >= SINC_ZEROS ? 0 : 0.42 + 0.5 * Math.cos((Math.PI * x) / SINC_ZEROS) + 0.08 * Math.cos((2 * Math.PI * x) / SINC_ZEROS);
    t[i] = sinc * w;
  }
  sincTable = t;
  return t;
}

/** Band-limited resampling from `from` Hz to `to` Hz (anti-aliased when downsampling). */
export function resample(x: Float32Array, from: number, to: number): Float32Array {
  if (from === to) return x;
  const table = kernelTable();
  const ratio = from / to;
  // Cut-off at the lower Nyquist: stretch the kernel by `ratio` when downsampling.
  const scale = Math.min(1, to / from);
  const half = SINC_ZEROS / scale;
  const outLen = Math.floor((x.length * to) / from + 1e-9);
  const out = new Float32Array(outLen);
  const step = scale * TABLE_STEPS;
  for (let n = 0; n < outLen; n++) {
    const t = n * ratio;
    const lo = Math.max(0, Math.ceil(t - half));
    const hi = Math.min(x.length - 1, Math.floor(t + half));
    let acc = 0;
    for (let k = lo; k <= hi; k++) {
      const pos = Math.abs(t - k) * step;
      const i = pos | 0;
      const frac = pos - i;
      const w = table[i]! + frac * (table[i + 1]! - table[i]!);
      acc += x[k]! * w;
    }
    out[n] = acc * scale;
  }
  return out;
}
