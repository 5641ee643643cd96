/**
 * A decoded song window → its emotion: the handcrafted model (model.ts) on the audio
 * features, ensembled with the song CNN (song-cnn.ts) when it runs here.
 */
import type { SongEmotion } from '../types.ts';
import { resample, TARGET_RATE } from './decode-window.ts';
import { extractFeatures } from './features.ts';
import { normaliseLoudness } from './loudness.ts';
import { defaultMusicModel, emotionFromProbs, type MusicModel } from './model.ts';
import { ensembleProbs, songCnn, type SongCnn } from './song-cnn.ts';

/**
 * `cnn`: the network to ensemble with; undefined = this thread's songCnn(), null = the
 * handcrafted model alone.
 */
export async function songEmotion(
  samples: Float32Array,
  sampleRate: number,
  model: MusicModel = defaultMusicModel(),
  cnn?: SongCnn | null,
): Promise<SongEmotion & { cnn: boolean }> {
  const net = cnn === undefined ? await songCnn() : cnn;
  if (!net) return { ...emotionFromProbs(model.probabilities(extractFeatures(samples, sampleRate))), cnn: false };
  // Both models read the loudness-normalised window: normalise it once.
  const x = normaliseLoudness(sampleRate === TARGET_RATE ? samples : resample(samples, sampleRate, TARGET_RATE), TARGET_RATE);
  const hand = model.probabilities(extractFeatures(x, TARGET_RATE, { normalised: true }));
  const p = ensembleProbs(hand, await net.probabilities(x, TARGET_RATE, { normalised: true }), net.file.weight, net.file.temperature);
  return { ...emotionFromProbs(p), cnn: true };
}
