/**
 * Builds the bad-input suite: every way a real folder of images or music goes wrong, made
 * fresh by code (nothing binary is committed). Each file says what the app must do with it:
 * analyse it, or list it with a specific reason.
 *
 *   node --import tsx scripts/make-bad-inputs.ts OUT_DIR     # writes OUT_DIR/images, OUT_DIR/audio
 */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import sharp from 'sharp';

export interface BadInput {
  /** Path relative to the suite folder. */
  file: string;
  kind: 'image' | 'audio';
  what: string;
  /** 'ok': analysed; RegExp: the error (or skip reason) it must be listed with. */
  expect: 'ok' | RegExp;
  /** Files a scan does not see as an image/audio candidate: listed as skipped instead. */
  skipped?: boolean;
}

const LIBRARY = path.resolve(import.meta.dirname, '../../shared/data/music/library');
const DEMO = path.resolve(import.meta.dirname, '../../shared/data/portraits/demo');

function crc32(buf: Buffer): number {
  let c = 0xffffffff;
  for (const b of buf) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  }
  return (c ^ 0xffffffff) >>> 0;
}

/** A PNG whose header claims w×h but whose pixel data is a few bytes: a decompression bomb. */
export function pngBomb(w: number, h: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const out = Buffer.alloc(12 + data.length);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc32(body), 8 + data.length);
    return out;
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr[8] = 8;
  ihdr[9] = 2;
  return Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), chunk('IHDR', ihdr), chunk('IDAT', zlib.deflateSync(Buffer.alloc(64))), chunk('IEND', Buffer.alloc(0))]);
}

/** A PCM WAV header for `dataBytes` of samples. */
export function wavHeader(dataBytes: number, rate: number, bits: 8 | 16, formatTag = 1, channels = 1): Buffer {
  const h = Buffer.alloc(44);
  h.write('RIFF', 0, 'ascii');
  h.writeUInt32LE(36 + dataBytes, 4);
  h.write('WAVEfmt ', 8, 'ascii');
  h.writeUInt32LE(16, 16);
  h.writeUInt16LE(formatTag, 20);
  h.writeUInt16LE(channels, 22);
  h.writeUInt32LE(rate, 24);
  h.writeUInt32LE((rate * channels * bits) / 8, 28);
  h.writeUInt16LE((channels * bits) / 8, 32);
  h.writeUInt16LE(bits, 34);
  h.write('data', 36, 'ascii');
  h.writeUInt32LE(dataBytes, 40);
  return h;
}

function findLibraryFile(ext: string): string {
  const walk = (d: string): string[] => fs.readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(d, e.name)) : [path.join(d, e.name)]));
  const hit = walk(LIBRARY).filter((f) => f.endsWith(ext)).sort()[0];
  if (!hit) throw new Error(`no ${ext} file in the library`);
  return hit;
}

export async function makeBadInputs(out: string): Promise<BadInput[]> {
  const img = path.join(out, 'images');
  const aud = path.join(out, 'audio');
  fs.mkdirSync(img, { recursive: true });
  fs.mkdirSync(aud, { recursive: true });
  const list: BadInput[] = [];
  const put = (dir: string, name: string, data: Buffer | string, entry: Omit<BadInput, 'file'>) => {
    fs.writeFileSync(path.join(dir, name), data);
    list.push({ file: path.join(path.basename(dir), name), ...entry });
  };
  const portrait = fs.readFileSync(path.join(DEMO, 'aic-2179.jpg'));
  const png = await sharp(portrait).png().toBuffer();

  // Images
  put(img, 'zero-byte.jpg', Buffer.alloc(0), { kind: 'image', what: 'zero-byte file', expect: /The file is empty/ });
  put(img, 'truncated.jpg', portrait.subarray(0, Math.floor(portrait.length / 3)), { kind: 'image', what: 'truncated JPEG', expect: /The image file is damaged/ });
  put(img, 'truncated.png', png.subarray(0, Math.floor(png.length / 3)), { kind: 'image', what: 'truncated PNG', expect: /The image file is damaged/ });
  put(img, 'text-named.jpg', 'This is a text file pretending to be a JPEG.\n', { kind: 'image', what: 'text file named .jpg', expect: /Not an image format/ });
  put(img, 'cmyk.jpg', await sharp(portrait).toColourspace('cmyk').jpeg().toBuffer(), { kind: 'image', what: 'CMYK JPEG', expect: 'ok' });
  put(img, '16-bit.png', await sharp(portrait).toColourspace('rgb16').png().toBuffer(), { kind: 'image', what: '16-bit PNG', expect: 'ok' });
  put(img, 'grey-alpha.png', await sharp(portrait).greyscale().ensureAlpha(0.6).png().toBuffer(), { kind: 'image', what: 'greyscale with alpha', expect: 'ok' });
  const frame = (c: string) => sharp({ create: { width: 64, height: 64, channels: 3, background: c } }).png().toBuffer();
  put(img, 'animated.gif', await sharp([await frame('#c33'), await frame('#33c')], { join: { animated: true } }).gif().toBuffer(), { kind: 'image', what: 'animated GIF (first frame analysed)', expect: 'ok' });
  put(img, 'one-pixel.png', await sharp({ create: { width: 1, height: 1, channels: 3, background: '#888' } }).png().toBuffer(), { kind: 'image', what: '1×1 image', expect: 'ok' });
  put(img, 'bomb-30000x30000.png', pngBomb(30000, 30000), { kind: 'image', what: '30000×30000 PNG (decompression bomb)', expect: /too large to analyse: 30000×30000/ });
  const heic = Buffer.concat([Buffer.from('00000018667479706865696300000000686569636d696631', 'hex'), Buffer.alloc(200, 7)]);
  put(img, 'photo.heic', heic, { kind: 'image', what: 'HEIC (HEVC codec not in this build)', expect: /Not an image format|HEIC|damaged/ });
  put(img, 'locked.jpg', portrait, { kind: 'image', what: 'unreadable permissions (root still reads it)', expect: 'ok' });
  fs.chmodSync(path.join(img, 'locked.jpg'), 0o000);
  if (process.getuid?.() !== 0) list[list.length - 1]!.expect = /Permission denied/;
  fs.symlinkSync('loop-b.jpg', path.join(img, 'loop-a.jpg'));
  fs.symlinkSync('loop-a.jpg', path.join(img, 'loop-b.jpg'));
  list.push({ file: 'images/loop-a.jpg', kind: 'image', what: 'symlink loop', expect: /loops/ }, { file: 'images/loop-b.jpg', kind: 'image', what: 'symlink loop', expect: /loops/ });
  fs.symlinkSync('..', path.join(img, 'folder-loop'));
  list.push({ file: 'images/folder-loop', kind: 'image', what: 'symlink to a parent folder', expect: /link to a folder/, skipped: true });
  const badName = Buffer.concat([Buffer.from(img + '/'), Buffer.from([0x6e, 0xe9, 0xff, 0x2e, 0x6a, 0x70, 0x67])]); // "n\xE9\xFF.jpg" (Latin-1, not UTF-8)
  fs.writeFileSync(badName, portrait);
  list.push({ file: `images/${Buffer.from([0x6e, 0xe9, 0xff]).toString('utf8')}.jpg`, kind: 'image', what: 'non-UTF-8 file name', expect: /not valid UTF-8/, skipped: true });
  const longName = `${'Portrait of a very long-named sitter '.repeat(6).slice(0, 240)}.jpg`;
  put(img, longName, portrait, { kind: 'image', what: 'very long file name (244 bytes)', expect: 'ok' });
  put(img, 'notes.txt', 'not an image', { kind: 'image', what: 'a text file', expect: /Not an image file/, skipped: true });

  // Audio
  const mp3 = fs.readFileSync(findLibraryFile('.mp3'));
  const ogg = fs.readFileSync(findLibraryFile('.ogg'));
  const flac = fs.readFileSync(findLibraryFile('.flac'));
  put(aud, 'zero-byte.mp3', Buffer.alloc(0), { kind: 'audio', what: 'zero-byte file', expect: /empty/ });
  put(aud, 'truncated.mp3', mp3.subarray(0, Math.floor(mp3.length / 5)), { kind: 'audio', what: 'truncated MP3 (decodes what is there)', expect: 'ok' });
  put(aud, 'truncated.ogg', ogg.subarray(0, Math.floor(ogg.length / 5)), { kind: 'audio', what: 'truncated Ogg Vorbis (decodes what is there)', expect: 'ok' });
  put(aud, 'truncated.flac', flac.subarray(0, Math.floor(flac.length / 5)), { kind: 'audio', what: 'truncated FLAC (decodes what is there)', expect: 'ok' });
  put(aud, 'text-named.mp3', 'Just some text, not an MP3 at all.\n'.repeat(20), { kind: 'audio', what: 'text file named .mp3', expect: /decoded|format|codec/i });
  put(aud, 'silence.wav', Buffer.concat([wavHeader(22050 * 2 * 10, 22050, 16), Buffer.alloc(22050 * 2 * 10)]), { kind: 'audio', what: '10 s of silence', expect: 'ok' });
  const blip = Buffer.alloc(Math.round(22050 * 0.2) * 2);
  for (let i = 0; i < blip.length / 2; i++) blip.writeInt16LE(Math.round(8000 * Math.sin((2 * Math.PI * 440 * i) / 22050)), i * 2);
  put(aud, 'blip-0.2s.wav', Buffer.concat([wavHeader(blip.length, 22050, 16), blip]), { kind: 'audio', what: '0.2 s clip', expect: /too short/ });
  // Three hours of 8-bit mono at 8 kHz, written sparse: the file is large, the disk cost is not.
  const longBytes = 3 * 3600 * 8000;
  const longFile = path.join(aud, 'three-hours.wav');
  fs.writeFileSync(longFile, wavHeader(longBytes, 8000, 8));
  fs.truncateSync(longFile, 44 + longBytes);
  list.push({ file: 'audio/three-hours.wav', kind: 'audio', what: '3-hour WAV (bounded cost)', expect: 'ok' });
  const corrupt = Buffer.from(flac);
  corrupt.fill(0x5a, 0, 64);
  put(aud, 'corrupt-header.flac', corrupt, { kind: 'audio', what: 'corrupt header', expect: /decoded|format|codec/i });
  const adpcm = Buffer.concat([wavHeader(20000, 22050, 16, 0x0002), Buffer.alloc(20000, 0x11)]);
  put(aud, 'adpcm.wav', adpcm, { kind: 'audio', what: 'unsupported codec (MS ADPCM in WAV)', expect: /decoded|format|codec/i });
  put(aud, 'cover.jpg', portrait, { kind: 'audio', what: 'cover image in a music folder', expect: /Not an audio file/, skipped: true });
  return list;
}

if (process.argv[1] && import.meta.url.endsWith(path.basename(process.argv[1]))) {
  const out = process.argv[2];
  if (!out) {
    console.error('usage: make-bad-inputs.ts OUT_DIR');
    process.exit(2);
  }
  for (const b of await makeBadInputs(path.resolve(out))) console.log(`${b.file}\t${b.what}\t${b.expect}`);
}
