/**
 * One audio file → what the catalog stores: tags, a cover thumbnail, and the song's emotion
 * from a bounded window of its audio. Runs inside the indexing workers.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import type { MusicQuadrant } from '../../../shared/emotion.ts';
import type { Song } from '../../../shared/api.ts';
import { decodeWindow } from './decode-window.ts';
import { defaultMusicModel } from './model.ts';
import { songEmotion } from './song-emotion.ts';
import { readTags, type SongTags } from './read-tags.ts';

/** What the catalog stores for one audio file: the song's fields the analysis decides. */
export type SongAnalysis = Pick<Song, 'title' | 'artist' | 'album' | 'duration' | 'cover' | 'quadrant' | 'probs' | 'valence' | 'arousal' | 'error' | 'timeline'>;

const round = (x: number): number => Math.round(x * 10_000) / 10_000;

async function saveCover(picture: NonNullable<SongTags['picture']>, thumbsDir: string): Promise<string | null> {
  const key = `${crypto.createHash('sha256').update(picture.data).digest('hex').slice(0, 40)}.jpg`;
  const file = path.join(thumbsDir, key);
  if (fs.existsSync(file)) return key;
  try {
    const jpeg = await sharp(picture.data, { limitInputPixels: 50_000_000 })
      .resize({ width: 300, height: 300, fit: 'inside', withoutEnlargement: true })
      .flatten({ background: '#000000' })
      .jpeg({ quality: 80 })
      .toBuffer();
    const tmp = `${file}.${process.pid}.${crypto.randomUUID()}.tmp`;
    await fs.promises.writeFile(tmp, jpeg);
    await fs.promises.rename(tmp, file);
    return key;
  } catch {
    return null; // a broken cover must not cost the song its analysis
  }
}

function describeDecodeError(err: unknown): string {
  const msg = (err instanceof Error ? err.message : String(err)).split('\n')[0] ?? '';
  if (/unsupported|unknown|not recogni[sz]ed|format/i.test(msg)) return `This audio format or codec cannot be decoded (${msg})`;
  return `The audio could not be decoded (${msg || 'unknown error'})`;
}

export async function analyseSong(file: string, thumbsDir: string): Promise<SongAnalysis> {
  if ((await fs.promises.stat(file)).size === 0) {
    return { title: path.parse(file).name, artist: null, album: null, duration: null, cover: null, quadrant: null, probs: null, valence: null, arousal: null, error: 'The file is empty (0 bytes)', timeline: null };
  }
  let tags: SongTags = { title: null, artist: null, album: null, duration: null, picture: null, containerDuration: undefined };
  // The tags' parse reads the container's duration too, which the decoder needs: the container is parsed once.
  let parsed: { duration: number | undefined } | undefined;
  try {
    tags = await readTags(file);
    parsed = { duration: tags.containerDuration };
  } catch {
    // Files without readable tags still have audio worth analysing.
  }
  const cover = tags.picture ? await saveCover(tags.picture, thumbsDir) : null;
  const base = { title: tags.title ?? path.parse(file).name, artist: tags.artist, album: tags.album, cover };
  try {
    const model = defaultMusicModel();
    const w = await decodeWindow(file, { windowSeconds: model.file.window.seconds, targetRate: model.file.window.sampleRate, parsed });
    const duration = tags.duration ?? (w.trackSeconds > 0 ? w.trackSeconds : null);
    if (w.samples.length < w.sampleRate * 0.5) {
      return { ...base, duration, quadrant: null, probs: null, valence: null, arousal: null, error: 'The audio is shorter than half a second; too short to read its emotion', timeline: null };
    }
    const e = await songEmotion(w.samples, w.sampleRate, model, w.startSeconds);
    const probs = Object.fromEntries(Object.entries(e.probs).map(([k, v]) => [k, round(v)])) as Record<MusicQuadrant, number>;
    return { ...base, duration: duration === null ? null : round(duration), quadrant: e.quadrant, probs, valence: round(e.valence), arousal: round(e.arousal), error: null, timeline: e.timeline };
  } catch (err) {
    return { ...base, duration: tags.duration, quadrant: null, probs: null, valence: null, arousal: null, error: describeDecodeError(err), timeline: null };
  }
}
