/**
 * The scale bench's collections, generated from the shared sets (never copied into the repo):
 *
 * - Portraits: N distinct images made from the 60 demo portraits and the 119 dev images with
 *   sharp: a crop (78–100 % of each side), a scale (longest side 480–2000 px), a brightness
 *   nudge and a re-encode (JPEG q72–95 70 %, WebP q70–90 20 %, PNG ≤1000 px 10 %). A mixed
 *   collection, as an archive is: every fourth image is face-free (the dev set's 24 no-face
 *   images and the face-free crops of the demo portraits, training/faces/face-free-set.ts).
 *   Folders of 500 ("box-000", …).
 * - Music: M distinct audio files. A quarter (at most the 750 sources) are the shared files as
 *   they are (the 30 library tracks in their own formats, then 4Q clips: Ogg Vorbis); the rest
 *   are WAV segments of the 4Q clips decoded in Node (audio-decode; no tool needed): a stretch
 *   of 15–45 s (looping the clip where it is shorter), a gain of −12…+6 dB, 16/22.05/32/44.1 kHz,
 *   16-bit or float, mono or stereo, with RIFF INFO title, artist and album. Folders of 100.
 *
 * Everything is a pure function of (index, seed, the source list): the plan functions are
 * deterministic and tested; a collection is reused while its manifest matches.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import decodeAudio from 'audio-decode';
import { FACE_FREE_CROPS } from '../faces/face-free-set.ts';
import { parseCsv } from '../common/read-csv.ts';
import { PORTRAITS_DEMO, PORTRAITS_DEV, MUSIC_DATA } from '../paths.ts';
import { isAudioFile } from '../../electron/engine/music/index-music-folder.ts';
import { sampledHash } from '../../electron/engine/scan/sampled-hash.ts';
import { rng } from '../../electron/engine/ml/rng.ts';

export const GENERATOR_VERSION = 1;

/** The engine's seedable PRNG (the same stream for the same seed everywhere). */
export const prng = rng;

const itemRng = (seed: number, index: number, salt: number) => prng((Math.imul(index + 1, 0x9e3779b1) ^ Math.imul(seed, 0x85ebca6b) ^ salt) >>> 0);
const pad = (n: number, width: number) => String(n).padStart(width, '0');

// ------------------------------------------------------------------------------------ images

export interface ImageSource {
  file: string;
  faceFree: boolean;
  /** The part of the source the crops stay inside ([x0, y0, x1, y1] fractions); whole image when absent. */
  region?: [number, number, number, number];
}

export type ImageFormat = 'jpeg' | 'webp' | 'png';

export interface ImagePlan {
  index: number;
  /** Path relative to the collection folder. */
  out: string;
  source: number;
  /** Crop as [x0, y0, x1, y1] fractions of the source image. */
  crop: [number, number, number, number];
  longSide: number;
  format: ImageFormat;
  quality: number;
  brightness: number;
}

export const IMAGES_PER_FOLDER = 500;
/** Every FACE_FREE_EVERY-th image comes from a face-free source. */
export const FACE_FREE_EVERY = 4;

export function planImages(n: number, sources: readonly ImageSource[], seed = 1): ImagePlan[] {
  const faces = sources.map((s, i) => ({ s, i })).filter((x) => !x.s.faceFree);
  const free = sources.map((s, i) => ({ s, i })).filter((x) => x.s.faceFree);
  if (faces.length === 0 || free.length === 0) throw new Error('planImages needs sources with and without faces');
  const out: ImagePlan[] = [];
  let nFace = 0;
  let nFree = 0;
  for (let i = 0; i < n; i++) {
    const r = itemRng(seed, i, 0x1a);
    const faceFree = i % FACE_FREE_EVERY === FACE_FREE_EVERY - 1;
    const pick = faceFree ? free[nFree++ % free.length]! : faces[nFace++ % faces.length]!;
    const [rx0, ry0, rx1, ry1] = pick.s.region ?? [0, 0, 1, 1];
    const w = 0.78 + 0.22 * r();
    const h = 0.78 + 0.22 * r();
    const x0 = (1 - w) * r();
    const y0 = (1 - h) * r();
    const crop: [number, number, number, number] = [rx0 + (rx1 - rx0) * x0, ry0 + (ry1 - ry0) * y0, rx0 + (rx1 - rx0) * (x0 + w), ry0 + (ry1 - ry0) * (y0 + h)];
    const f = r();
    const format: ImageFormat = f < 0.7 ? 'jpeg' : f < 0.9 ? 'webp' : 'png';
    let longSide = Math.round(480 + 1520 * r());
    if (format === 'png') longSide = Math.min(longSide, 1000);
    const quality = format === 'jpeg' ? 72 + Math.floor(24 * r()) : format === 'webp' ? 70 + Math.floor(21 * r()) : 100;
    const brightness = Math.round((0.92 + 0.16 * r()) * 1000) / 1000;
    const base = path.basename(pick.s.file).replace(/\.[^.]+$/, '');
    const ext = format === 'jpeg' ? 'jpg' : format;
    out.push({ index: i, out: `box-${pad(Math.floor(i / IMAGES_PER_FOLDER), 3)}/${pad(i, 5)}-${base}.${ext}`, source: pick.i, crop, longSide, format, quality, brightness });
  }
  return out;
}

/** The shared portraits: demo (all with faces), dev (its no-face images face-free), the demo's face-free crops. */
export function imageSources(demo = PORTRAITS_DEMO, dev = PORTRAITS_DEV): ImageSource[] {
  const images = (dir: string) => fs.readdirSync(dir).filter((f) => /\.(jpe?g|png|webp)$/i.test(f)).sort();
  const out: ImageSource[] = images(demo).map((f) => ({ file: path.join(demo, f), faceFree: false }));
  const rows = parseCsv(fs.readFileSync(path.join(dev, 'manifest.csv'), 'utf8'));
  const header = rows[0] ?? [];
  const fileCol = header.indexOf('file');
  const kindCol = header.indexOf('kind');
  const noFace = new Set(rows.slice(1).filter((r) => r[kindCol]?.split(';').includes('no-face')).map((r) => r[fileCol]));
  for (const f of images(dev)) out.push({ file: path.join(dev, f), faceFree: noFace.has(f) });
  for (const [file, x0, y0, x1, y1] of FACE_FREE_CROPS) {
    if (fs.existsSync(path.join(demo, file))) out.push({ file: path.join(demo, file), faceFree: true, region: [x0, y0, x1, y1] });
  }
  return out;
}

const sizeCache = new Map<string, { width: number; height: number }>();

export async function renderImage(plan: ImagePlan, sources: readonly ImageSource[]): Promise<Buffer> {
  const src = sources[plan.source]!;
  let size = sizeCache.get(src.file);
  if (!size) {
    const meta = await sharp(src.file).metadata();
    size = { width: meta.width!, height: meta.height! };
    sizeCache.set(src.file, size);
  }
  const [x0, y0, x1, y1] = plan.crop;
  const left = Math.min(size.width - 2, Math.floor(x0 * size.width));
  const top = Math.min(size.height - 2, Math.floor(y0 * size.height));
  const width = Math.max(2, Math.min(size.width - left, Math.round((x1 - x0) * size.width)));
  const height = Math.max(2, Math.min(size.height - top, Math.round((y1 - y0) * size.height)));
  const scale = plan.longSide / Math.max(width, height);
  let img = sharp(src.file)
    .extract({ left, top, width, height })
    .resize(Math.max(1, Math.round(width * scale)), Math.max(1, Math.round(height * scale)), { fit: 'fill' })
    .modulate({ brightness: plan.brightness });
  if (plan.format === 'jpeg') img = img.jpeg({ quality: plan.quality, chromaSubsampling: plan.quality >= 90 ? '4:4:4' : '4:2:0' });
  else if (plan.format === 'webp') img = img.webp({ quality: plan.quality });
  else img = img.png({ compressionLevel: 6 });
  return img.toBuffer();
}

// ------------------------------------------------------------------------------------- songs

export interface SongSource {
  file: string;
  /** 'track': a library file of its own format; 'clip': a 4Q clip (the WAV segments come from these). */
  kind: 'track' | 'clip';
}

export type SongPlan =
  | { index: number; out: string; kind: 'copy'; source: number }
  | {
      index: number;
      out: string;
      kind: 'wav';
      source: number;
      /** Where the segment starts, as a fraction of the clip. */
      start: number;
      seconds: number;
      gainDb: number;
      rate: number;
      sampleFormat: 'pcm16' | 'float32';
      channels: 1 | 2;
      title: string;
      artist: string;
      album: string;
    };

export const SONGS_PER_FOLDER = 100;
/** At most this share of the songs are the shared files as they are. */
export const COPY_SHARE = 0.25;

export function planSongs(m: number, sources: readonly SongSource[], seed = 1): SongPlan[] {
  const clips = sources.map((s, i) => ({ s, i })).filter((x) => x.s.kind === 'clip');
  if (clips.length === 0) throw new Error('planSongs needs 4Q clips');
  // Library tracks first, then clips: a small run still gets every format.
  const copyOrder = [...sources.map((s, i) => ({ s, i })).filter((x) => x.s.kind === 'track'), ...clips];
  const copies = Math.min(Math.round(m * COPY_SHARE), copyOrder.length);
  const out: SongPlan[] = [];
  for (let i = 0; i < m; i++) {
    const folder = `disc-${pad(Math.floor(i / SONGS_PER_FOLDER), 3)}`;
    if (i < copies) {
      const src = copyOrder[i]!;
      out.push({ index: i, out: `${folder}/${pad(i, 5)}-${path.basename(src.s.file)}`, kind: 'copy', source: src.i });
      continue;
    }
    const r = itemRng(seed, i, 0x5b);
    const k = i - copies;
    const src = clips[k % clips.length]!;
    const rr = r();
    const rate = rr < 0.5 ? 22050 : rr < 0.7 ? 16000 : rr < 0.9 ? 44100 : 32000;
    const sampleFormat = r() < 0.8 ? 'pcm16' : 'float32';
    const channels = rate <= 22050 && r() < 0.3 ? 2 : 1;
    out.push({
      index: i,
      out: `${folder}/${pad(i, 5)}-song.wav`,
      kind: 'wav',
      source: src.i,
      start: Math.round(r() * 1000) / 1000,
      seconds: 15 + Math.floor(31 * r()),
      gainDb: Math.round((-12 + 18 * r()) * 10) / 10,
      rate,
      sampleFormat,
      channels,
      title: `Scale song ${pad(i, 5)}`,
      artist: `Bench artist ${pad(i % 97, 2)}`,
      album: `${path.basename(path.dirname(src.s.file))} ${path.basename(src.s.file).replace(/\.[^.]+$/, '')}`,
    });
  }
  return out;
}

export function songSources(music = MUSIC_DATA): SongSource[] {
  const walk = (dir: string): string[] =>
    fs
      .readdirSync(dir, { withFileTypes: true })
      .flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : isAudioFile(e.name) ? [path.join(dir, e.name)] : []))
      .sort();
  return [
    ...walk(path.join(music, 'library')).map((file) => ({ file, kind: 'track' as const })),
    ...walk(path.join(music, '4q-panda2018', 'audio')).map((file) => ({ file, kind: 'clip' as const })),
  ];
}

/** A RIFF INFO sub-chunk (id, NUL-terminated text, padded to even). */
function infoChunk(id: string, text: string): Buffer {
  const body = Buffer.from(text + '\0', 'utf8');
  const padded = body.length % 2 ? Buffer.concat([body, Buffer.from([0])]) : body;
  const head = Buffer.alloc(8);
  head.write(id, 0, 'ascii');
  head.writeUInt32LE(body.length, 4);
  return Buffer.concat([head, padded]);
}

/** A WAV file: PCM 16-bit or IEEE float 32-bit, interleaved, with a LIST/INFO chunk before the data. */
export function encodeWav(channels: Float32Array[], rate: number, sampleFormat: 'pcm16' | 'float32', tags: { title?: string; artist?: string; album?: string } = {}): Buffer {
  const nch = channels.length;
  const frames = channels[0]!.length;
  const bytesPer = sampleFormat === 'pcm16' ? 2 : 4;
  const data = Buffer.alloc(frames * nch * bytesPer);
  for (let i = 0, o = 0; i < frames; i++) {
    for (let c = 0; c < nch; c++, o += bytesPer) {
      const v = Math.max(-1, Math.min(1, channels[c]![i]!));
      if (sampleFormat === 'pcm16') data.writeInt16LE(Math.round(v < 0 ? v * 32768 : v * 32767), o);
      else data.writeFloatLE(v, o);
    }
  }
  const info = [tags.title && infoChunk('INAM', tags.title), tags.artist && infoChunk('IART', tags.artist), tags.album && infoChunk('IPRD', tags.album)].filter((b): b is Buffer => !!b);
  const infoBody = Buffer.concat([Buffer.from('INFO', 'ascii'), ...info]);
  const list = Buffer.alloc(8);
  list.write('LIST', 0, 'ascii');
  list.writeUInt32LE(infoBody.length, 4);
  const fmt = Buffer.alloc(24);
  fmt.write('fmt ', 0, 'ascii');
  fmt.writeUInt32LE(16, 4);
  fmt.writeUInt16LE(sampleFormat === 'pcm16' ? 1 : 3, 8);
  fmt.writeUInt16LE(nch, 10);
  fmt.writeUInt32LE(rate, 12);
  fmt.writeUInt32LE(rate * nch * bytesPer, 16);
  fmt.writeUInt16LE(nch * bytesPer, 20);
  fmt.writeUInt16LE(bytesPer * 8, 22);
  const dataHead = Buffer.alloc(8);
  dataHead.write('data', 0, 'ascii');
  dataHead.writeUInt32LE(data.length, 4);
  const body = Buffer.concat([Buffer.from('WAVE', 'ascii'), fmt, list, infoBody, dataHead, data]);
  const riff = Buffer.alloc(8);
  riff.write('RIFF', 0, 'ascii');
  riff.writeUInt32LE(body.length, 4);
  return Buffer.concat([riff, body]);
}

/** The planned stretch of a decoded clip: looped where the clip is shorter, resampled (linear), gain applied. */
export function renderSegment(plan: Extract<SongPlan, { kind: 'wav' }>, mono: Float32Array, sourceRate: number): Float32Array[] {
  const gain = 10 ** (plan.gainDb / 20);
  const frames = Math.round(plan.seconds * plan.rate);
  const startSample = Math.floor(plan.start * mono.length);
  const step = sourceRate / plan.rate;
  const left = new Float32Array(frames);
  for (let i = 0; i < frames; i++) {
    const pos = startSample + i * step;
    const a = Math.floor(pos);
    const t = pos - a;
    const x0 = mono[a % mono.length]!;
    const x1 = mono[(a + 1) % mono.length]!;
    left[i] = (x0 + (x1 - x0) * t) * gain;
  }
  if (plan.channels === 1) return [left];
  // A slightly different right channel (delayed 7 ms, 1 dB down), so stereo is not just two copies.
  const delay = Math.round(0.007 * plan.rate);
  const right = new Float32Array(frames);
  for (let i = 0; i < frames; i++) right[i] = (i >= delay ? left[i - delay]! : 0) * 0.891;
  return [left, right];
}

async function decodeMono(file: string): Promise<{ samples: Float32Array; rate: number }> {
  const { channelData, sampleRate } = await decodeAudio(fs.readFileSync(file));
  if (channelData.length === 1) return { samples: channelData[0]!, rate: sampleRate };
  const out = new Float32Array(channelData[0]!.length);
  for (const ch of channelData) for (let i = 0; i < out.length; i++) out[i]! += ch[i]! / channelData.length;
  return { samples: out, rate: sampleRate };
}

const decoded = new Map<string, Promise<{ samples: Float32Array; rate: number }>>();

export async function renderSong(plan: SongPlan, sources: readonly SongSource[]): Promise<Buffer> {
  const src = sources[plan.source]!;
  if (plan.kind === 'copy') return fs.readFileSync(src.file);
  let clip = decoded.get(src.file);
  if (!clip) {
    clip = decodeMono(src.file);
    decoded.set(src.file, clip);
    // Consecutive songs use consecutive clips: a few decoded clips are all the cache needs.
    if (decoded.size > 8) decoded.delete(decoded.keys().next().value!);
  }
  const { samples, rate } = await clip;
  return encodeWav(renderSegment(plan, samples, rate), plan.rate, plan.sampleFormat, { title: plan.title, artist: plan.artist, album: plan.album });
}

// ---------------------------------------------------------------------------------- manifest

export interface CollectionManifest {
  version: number;
  kind: 'portraits' | 'music';
  count: number;
  seed: number;
  /** Digest of the plan, so a change of sources or recipe regenerates. */
  planDigest: string;
  bytes: number;
  generatedSeconds: number;
  files: { path: string; bytes: number; sha256: string }[];
}

export function planDigest(plan: unknown): string {
  return crypto.createHash('sha256').update(JSON.stringify(plan)).digest('hex').slice(0, 16);
}

export interface Collection {
  folder: string;
  manifest: CollectionManifest;
  reused: boolean;
}

function readManifest(folder: string): CollectionManifest | null {
  try {
    return JSON.parse(fs.readFileSync(path.join(folder, '.bench-manifest.json'), 'utf8')) as CollectionManifest;
  } catch {
    return null;
  }
}

/** True when every file the manifest names is there with its size (a stat each; no hashing). */
function manifestHolds(folder: string, m: CollectionManifest): boolean {
  for (const f of m.files) {
    try {
      if (fs.statSync(path.join(folder, f.path)).size !== f.bytes) return false;
    } catch {
      return false;
    }
  }
  return true;
}

/**
 * Generates (or reuses) a collection in `folder`. Files are written under a temporary name and
 * renamed, so an interrupted run resumes where it stopped. The manifest is written last; it is
 * hidden (a dot file), so the app's scan passes over it. Content hashes must all differ:
 * a duplicate would be recognised as a moved file and not analysed.
 */
export async function ensureCollection<P extends { index: number; out: string }>(opts: {
  folder: string;
  kind: 'portraits' | 'music';
  seed: number;
  plan: P[];
  render: (p: P) => Promise<Buffer>;
  concurrency: number;
  log?: (line: string) => void;
  /** Also distinct by the catalog's sampled hash (size + first and last 64 KiB), which songs are keyed by. */
  sampled?: boolean;
}): Promise<Collection> {
  const { folder, plan } = opts;
  const digest = planDigest(plan);
  const old = readManifest(folder);
  if (old && old.version === GENERATOR_VERSION && old.count === plan.length && old.seed === opts.seed && old.planDigest === digest && manifestHolds(folder, old)) {
    return { folder, manifest: old, reused: true };
  }
  const t0 = performance.now();
  // Files left by an interrupted run of the same plan are kept (resumed); anything else goes.
  const planFile = path.join(folder, '.bench-plan');
  const resumable = fs.existsSync(planFile) && fs.readFileSync(planFile, 'utf8') === digest;
  if (!resumable) fs.rmSync(folder, { recursive: true, force: true });
  fs.mkdirSync(folder, { recursive: true });
  fs.rmSync(path.join(folder, '.bench-manifest.json'), { force: true });
  fs.writeFileSync(planFile, digest);
  const files: CollectionManifest['files'] = new Array(plan.length);
  const seen = new Map<string, string>();
  const seenSampled = new Map<string, string>();
  let next = 0;
  let made = 0;
  let lastLog = performance.now();
  await Promise.all(
    Array.from({ length: opts.concurrency }, async () => {
      while (next < plan.length) {
        const p = plan[next++]!;
        const file = path.join(folder, p.out);
        let bytes: Buffer;
        if (fs.existsSync(file)) bytes = fs.readFileSync(file);
        else {
          bytes = await opts.render(p);
          fs.mkdirSync(path.dirname(file), { recursive: true });
          const tmp = `${file}.partial`;
          fs.writeFileSync(tmp, bytes);
          fs.renameSync(tmp, file);
        }
        const sha256 = crypto.createHash('sha256').update(bytes).digest('hex');
        const dup = seen.get(sha256);
        if (dup) throw new Error(`${p.out} has the same content as ${dup}: the recipe must make every file distinct`);
        seen.set(sha256, p.out);
        if (opts.sampled) {
          const s = await sampledHash(file, bytes.length);
          const sdup = seenSampled.get(s);
          if (sdup) throw new Error(`${p.out} has the same sampled hash as ${sdup}`);
          seenSampled.set(s, p.out);
        }
        files[p.index] = { path: p.out, bytes: bytes.length, sha256 };
        made++;
        if (opts.log && performance.now() - lastLog > 15_000) {
          lastLog = performance.now();
          opts.log(`  ${opts.kind}: ${made} / ${plan.length}`);
        }
      }
    }),
  );
  const manifest: CollectionManifest = {
    version: GENERATOR_VERSION,
    kind: opts.kind,
    count: plan.length,
    seed: opts.seed,
    planDigest: digest,
    bytes: files.reduce((s, f) => s + f.bytes, 0),
    generatedSeconds: Math.round((performance.now() - t0) / 100) / 10,
    files,
  };
  fs.writeFileSync(path.join(folder, '.bench-manifest.json'), JSON.stringify(manifest));
  return { folder, manifest, reused: false };
}
