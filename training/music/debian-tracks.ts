/**
 * Audio files taken from Debian packages (game music) for the song model's real-music check and
 * its training supplement: each package is fetched once with `apt-get download` into
 * $MUSIC_REAL_DIR (default /work/realmusic, outside the repository) and only the listed files
 * are extracted. Needs a Debian apt and the network once; never needed by the app or its tests.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { decodeWindow } from '../../electron/engine/music/decode-window.ts';
import { extractFeatures, FEATURE_NAMES, FEATURE_VERSION } from '../../electron/engine/music/features.ts';
import { CACHE_DIR } from './music-paths.ts';

export const MUSIC_REAL_DIR = process.env.MUSIC_REAL_DIR ?? '/work/realmusic';

export interface DebTrack {
  pkg: string;
  /** Path inside the package; `archive.pk3!member` for a file inside a zip archive (split at the first `!`). */
  inner: string;
}

function debFor(pkg: string): string {
  const debs = path.join(MUSIC_REAL_DIR, 'debs');
  mkdirSync(debs, { recursive: true });
  const find = () => readdirSync(debs).find((f) => f.startsWith(`${pkg}_`) && f.endsWith('.deb'));
  let deb = find();
  if (!deb) {
    console.log(`fetching ${pkg} with apt-get download …`);
    execFileSync('apt-get', ['download', pkg], { cwd: debs, stdio: ['ignore', 'ignore', 'inherit'] });
    deb = find();
    if (!deb) throw new Error(`apt-get download ${pkg} produced no .deb`);
  }
  return path.join(debs, deb);
}

/** The track's audio file on disk, extracted from its package on first use. */
export function trackFile(t: DebTrack): string {
  const bang = t.inner.indexOf('!');
  const member = bang < 0 ? t.inner : t.inner.slice(0, bang);
  const inArchive = bang < 0 ? undefined : t.inner.slice(bang + 1);
  const out = path.join(MUSIC_REAL_DIR, 'tracks', t.pkg, inArchive ?? member);
  if (existsSync(out)) return out;
  const tree = path.join(MUSIC_REAL_DIR, 'tree', t.pkg);
  const extracted = path.join(tree, member);
  if (!existsSync(extracted)) {
    mkdirSync(tree, { recursive: true });
    // Only the one member: the packages hold hundreds of MB of other game data.
    execFileSync('sh', ['-c', 'dpkg-deb --fsys-tarfile "$1" | tar -x -C "$2" "./$3"', 'sh', debFor(t.pkg), tree, member]);
  }
  mkdirSync(path.dirname(out), { recursive: true });
  if (inArchive) writeFileSync(out, execFileSync('unzip', ['-p', extracted, inArchive], { maxBuffer: 512 * 1024 * 1024 }));
  else writeFileSync(out, readFileSync(extracted));
  return out;
}

/** Feature vectors of the tracks (the app's window and features), cached per feature layout and track list. */
export async function trackFeatures(tracks: DebTrack[], cachePrefix: string): Promise<Float32Array[]> {
  const key = createHash('sha1').update(`v${FEATURE_VERSION}:`).update(FEATURE_NAMES.join(',')).update(tracks.map((t) => `${t.pkg}/${t.inner}`).join(',')).digest('hex').slice(0, 12);
  const cache = path.join(CACHE_DIR, `${cachePrefix}-${key}.json`);
  if (existsSync(cache)) return (JSON.parse(readFileSync(cache, 'utf8')) as number[][]).map((r) => Float32Array.from(r));
  const X: Float32Array[] = [];
  for (const t of tracks) {
    const w = await decodeWindow(trackFile(t));
    X.push(extractFeatures(w.samples, w.sampleRate));
  }
  mkdirSync(CACHE_DIR, { recursive: true });
  writeFileSync(cache, JSON.stringify(X.map((r) => Array.from(r))));
  return X;
}
