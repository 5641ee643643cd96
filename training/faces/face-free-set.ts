/**
 * A face-free art set for measuring false positives, generated at test/bench time (never stored
 * in the repository): crops of the demo portraits at fixed coordinates that show no face
 * (landscapes, skies, gilded backgrounds, still life, drapery, frames, lettering — each crop
 * checked by eye on a rendered contact sheet), plus synthetic textures that imitate paint,
 * canvas and craquelure.
 */
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';

/** [file, x0, y0, x1, y1] as fractions of the image's width and height. */
export const FACE_FREE_CROPS: [string, number, number, number, number][] = [
  ['met-435664.jpg', 0.0, 0.25, 0.28, 0.55], // landscape left of the sitter
  ['met-459027.jpg', 0.13, 0.12, 0.3, 0.65], // sky and sea
  ['met-459028.jpg', 0.7, 0.35, 0.95, 0.88], // sky and landscape
  ['met-436440.jpg', 0.6, 0.55, 1.0, 1.0], // dark foliage
  ['met-438688.jpg', 0.0, 0.35, 0.4, 0.85], // dark landscape
  ['met-438821.jpg', 0.0, 0.72, 0.6, 0.95], // still life of fruit and leaves
  ['aic-4428.jpg', 0.0, 0.75, 1.0, 1.0], // marble table top
  ['met-435897.jpg', 0.08, 0.02, 0.92, 0.17], // gilded ornament on dark blue
  ['met-437061.jpg', 0.15, 0.84, 0.85, 1.0], // round frame on black
  ['aic-5519.jpg', 0.2, 0.62, 0.58, 0.85], // gilded drapery of the mummy portrait
  ['aic-63.jpg', 0.0, 0.88, 1.0, 1.0], // engraved lettering
  ['aic-24.jpg', 0.1, 0.85, 0.9, 1.0], // engraved plaque
  ['met-436884.jpg', 0.5, 0.52, 0.72, 0.72], // chessboard
  ['met-437090.jpg', 0.55, 0.55, 1.0, 1.0], // table, curtain, floor
  ['aic-6386.jpg', 0.6, 0.6, 1.0, 0.9], // drapery and flowers
];

export const FACE_FREE_SYNTHETIC = ['noise', 'clouds', 'craquelure', 'canvas', 'checker', 'brushstrokes'] as const;

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

async function synthetic(kind: (typeof FACE_FREE_SYNTHETIC)[number], size = 512): Promise<Buffer> {
  const rand = rng(kind.length * 7919 + kind.charCodeAt(0));
  const raw = (px: Uint8Array) => sharp(px, { raw: { width: size, height: size, channels: 3 } });
  const px = new Uint8Array(size * size * 3);
  switch (kind) {
    case 'noise':
      for (let i = 0; i < px.length; i++) px[i] = Math.floor(rand() * 256);
      return raw(px).png().toBuffer();
    case 'clouds': {
      // Smooth noise at a few scales: blotchy varnish and cloud shapes.
      for (let i = 0; i < px.length; i += 3) {
        const v = Math.floor(rand() * 256);
        px[i] = v;
        px[i + 1] = Math.floor(v * 0.8);
        px[i + 2] = Math.floor(v * 0.5);
      }
      return sharp(await raw(px).blur(12).normalise().png().toBuffer()).png().toBuffer();
    }
    case 'craquelure': {
      px.fill(0);
      for (let i = 0; i < px.length; i += 3) {
        px[i] = 150;
        px[i + 1] = 120;
        px[i + 2] = 70;
      }
      let lines = '';
      for (let k = 0; k < 120; k++) {
        let x = rand() * size, y = rand() * size;
        let d = `M${x.toFixed(1)},${y.toFixed(1)}`;
        for (let s = 0; s < 6; s++) {
          x += (rand() - 0.5) * 80;
          y += (rand() - 0.5) * 80;
          d += ` L${x.toFixed(1)},${y.toFixed(1)}`;
        }
        lines += `<path d="${d}" stroke="#2a1d10" stroke-width="${(1 + rand() * 2).toFixed(1)}" fill="none"/>`;
      }
      const svg = Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}">${lines}</svg>`);
      return raw(px).composite([{ input: svg }]).png().toBuffer();
    }
    case 'canvas':
      for (let y = 0; y < size; y++) {
        for (let x = 0; x < size; x++) {
          const v = 180 + 30 * Math.sin(x * 1.3) * Math.sin(y * 1.1) + 20 * (rand() - 0.5);
          const i = (y * size + x) * 3;
          px[i] = v;
          px[i + 1] = v * 0.95;
          px[i + 2] = v * 0.85;
        }
      }
      return raw(px).png().toBuffer();
    case 'checker':
      for (let y = 0; y < size; y++) {
        for (let x = 0; x < size; x++) {
          const v = ((x >> 5) + (y >> 5)) % 2 ? 220 : 40;
          const i = (y * size + x) * 3;
          px[i] = v;
          px[i + 1] = v;
          px[i + 2] = v;
        }
      }
      return raw(px).png().toBuffer();
    case 'brushstrokes': {
      let strokes = '';
      for (let k = 0; k < 300; k++) {
        const x = rand() * size, y = rand() * size, a = rand() * 180;
        const c = `rgb(${Math.floor(60 + rand() * 180)},${Math.floor(40 + rand() * 150)},${Math.floor(20 + rand() * 120)})`;
        strokes += `<rect x="${x.toFixed(1)}" y="${y.toFixed(1)}" width="${(20 + rand() * 60).toFixed(1)}" height="${(4 + rand() * 10).toFixed(1)}" fill="${c}" opacity="0.8" transform="rotate(${a.toFixed(0)} ${x.toFixed(1)} ${y.toFixed(1)})"/>`;
      }
      const svg = Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}"><rect width="100%" height="100%" fill="#6b5a3a"/>${strokes}</svg>`);
      return sharp(svg).flatten({ background: '#6b5a3a' }).png().toBuffer();
    }
  }
}

/**
 * Writes the face-free images into `outDir` (created if needed) and returns their paths.
 * Crops come from `demoDir` (the demo portraits folder); crops of missing files are skipped.
 */
export async function writeFaceFreeSet(demoDir: string, outDir: string): Promise<string[]> {
  fs.mkdirSync(outDir, { recursive: true });
  const written: string[] = [];
  for (const [file, x0, y0, x1, y1] of FACE_FREE_CROPS) {
    const src = path.join(demoDir, file);
    if (!fs.existsSync(src)) continue;
    const meta = await sharp(src).metadata();
    const W = meta.width!, H = meta.height!;
    const left = Math.round(x0 * W), top = Math.round(y0 * H);
    const width = Math.max(8, Math.round((x1 - x0) * W)), height = Math.max(8, Math.round((y1 - y0) * H));
    const out = path.join(outDir, `crop-${path.basename(file, path.extname(file))}.png`);
    await sharp(src).extract({ left, top, width: Math.min(width, W - left), height: Math.min(height, H - top) }).png().toFile(out);
    written.push(out);
  }
  for (const kind of FACE_FREE_SYNTHETIC) {
    const out = path.join(outDir, `synthetic-${kind}.png`);
    fs.writeFileSync(out, await synthetic(kind));
    written.push(out);
  }
  return written;
}
