/**
 * A decoded song window → its emotion, and its emotion stretch by stretch. The song model
 * (model.ts) reads the handcrafted features (features.ts) and/or the pretrained musicnn networks'
 * readings (song-readings.ts), whichever the committed model was trained on; features a model
 * does not read are not computed.
 *
 * The timeline applies the same model to each 3-s patch's musicnn reading in place of the song's
 * mean (the handcrafted part, where read, stays the window's): one point per patch, its
 * probabilities averaged with its neighbours'.
 */
import type { SongTimeline } from '../../../shared/api.ts';
import type { SongEmotion } from '../types.ts';
import { extractFeatures, FEATURE_NAMES } from './features.ts';
import { defaultMusicModel, emotionFromProbs, type MusicModel } from './model.ts';
import { Musicnn, type MusicnnNet } from './musicnn.ts';
import { PATCH_SECONDS } from './musicnn-frontend.ts';
import { readSong, songRow } from './song-readings.ts';

let loaded: { key: string; nn: Promise<Musicnn> } | null = null;

/** The networks, loaded once per thread (each song worker has its own sessions). */
function musicnnFor(nets: readonly MusicnnNet[]): Promise<Musicnn> {
  const key = nets.join(',');
  if (loaded?.key !== key) loaded = { key, nn: Musicnn.load(nets) };
  return loaded.nn;
}

const round = (x: number, digits: number): number => Math.round(x * 10 ** digits) / 10 ** digits;

/**
 * `windowStart`: where the window starts in the track (seconds), so that the timeline's points
 * are times in the song.
 */
export async function songEmotion(
  samples: Float32Array,
  sampleRate: number,
  model: MusicModel = defaultMusicModel(),
  windowStart = 0,
): Promise<SongEmotion & { timeline: SongTimeline | null }> {
  const hand = model.readsHandcrafted ? extractFeatures(samples, sampleRate) : new Float32Array(FEATURE_NAMES.length);
  if (!model.musicnnNets.length) return { ...emotionFromProbs(model.probabilities(hand)), timeline: null };
  let nn: Musicnn;
  try {
    nn = await musicnnFor(model.musicnnNets);
  } catch (err) {
    loaded = null;
    throw new Error(`the song model's network could not run (${(err as Error).message})`);
  }
  const readings = await readSong(samples, sampleRate, nn, model.musicnnNets);
  const vector = new Float32Array(model.width);
  vector.set(hand);
  const probsOf = (row: Float32Array) => {
    vector.set(row, hand.length);
    return model.probabilities(vector);
  };
  const song = emotionFromProbs(probsOf(songRow(readings)));
  const perPatch = readings.rows.map((row) => probsOf(row));
  const points = perPatch.map((_, p) => {
    // 3 s is short for a mood and one patch's reading is noisy: each point reads its patch with its
    // neighbours (≈9 s), so a single odd bar does not become the place a song starts.
    const near = perPatch.slice(Math.max(0, p - 1), p + 2);
    const e = emotionFromProbs(near[0]!.map((_, k) => near.reduce((a, q) => a + q[k]!, 0) / near.length));
    return { start: round(windowStart + readings.starts[p]!, 2), valence: round(e.valence, 3), arousal: round(e.arousal, 3) };
  });
  return { ...song, timeline: { patchSeconds: round(PATCH_SECONDS, 3), points } };
}
