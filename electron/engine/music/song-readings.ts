/**
 * A decoded stretch of a song → what musicnn hears in it, patch by patch: the 3-s patches that tile
 * it, each read by the networks asked for. The song model's musicnn inputs (the song's mean over
 * its patches) and the emotion timeline (one reading per patch) both come from here, in the app
 * and in training alike.
 */
import { melPatches, musicnnMel, tilingStarts, MUSICNN_HOP, MUSICNN_RATE } from './musicnn-frontend.ts';
import { MUSICNN_NETS, PENULTIMATE, TAGS, type Musicnn, type MusicnnNet } from './musicnn.ts';

/** Per net: the tags, then the penultimate layer. */
export const NET_WIDTH = TAGS + PENULTIMATE;
/** One patch's (or a song's mean) musicnn row: [mtt tags, mtt penultimate, msd tags, msd penultimate]. */
export const MUSICNN_WIDTH = MUSICNN_NETS.length * NET_WIDTH;
export const MUSICNN_FEATURE_NAMES: readonly string[] = MUSICNN_NETS.flatMap((net) => [
  ...Array.from({ length: TAGS }, (_, i) => `${net}_tag${i}`),
  ...Array.from({ length: PENULTIMATE }, (_, i) => `${net}_pen${i}`),
]);

export interface SongReadings {
  /** Seconds from the start of the decoded stretch to each patch. */
  starts: number[];
  /** One MUSICNN_WIDTH row per patch; a net that was not run leaves its columns at 0. */
  rows: Float32Array[];
}

export async function readSong(samples: Float32Array, sampleRate: number, nn: Musicnn, nets: readonly MusicnnNet[] = nn.nets): Promise<SongReadings> {
  const mel = musicnnMel(samples, sampleRate);
  const starts = tilingStarts(mel.frames);
  const batch = melPatches(mel, starts);
  const rows = starts.map(() => new Float32Array(MUSICNN_WIDTH));
  for (const net of nets) {
    const base = MUSICNN_NETS.indexOf(net) * NET_WIDTH;
    const r = await nn.read(net, batch, starts.length);
    rows.forEach((row, p) => {
      row.set(r.taggram.subarray(p * TAGS, (p + 1) * TAGS), base);
      row.set(r.penultimate.subarray(p * PENULTIMATE, (p + 1) * PENULTIMATE), base + TAGS);
    });
  }
  return { starts: starts.map((s) => (s * MUSICNN_HOP) / MUSICNN_RATE), rows };
}

/** The song's musicnn row: the mean of its patches' rows. */
export function songRow(readings: SongReadings): Float32Array {
  const out = new Float32Array(MUSICNN_WIDTH);
  for (const row of readings.rows) for (let i = 0; i < MUSICNN_WIDTH; i++) out[i]! += row[i]! / readings.rows.length;
  return out;
}

