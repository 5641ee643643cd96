/**
 * Recomputes the picture mood's reference statistics (shared/picture-mood.ts
 * PICTURE_MOOD_REFERENCE) from a folder of portraits, measured exactly as analysis measures them
 * (decoded at ANALYSIS_MAX_SIDE, electron/engine/analyse/picture-stats.ts), and prints them with
 * the scale they give.
 *
 *   node --import tsx training/picture-mood/picture-mood-reference.ts [folder]   (default: the 60 demo portraits)
 */
import { referenceStats } from './picture-stats-reference.ts';
import { PORTRAITS_DEMO } from '../paths.ts';

const folder = process.argv[2] ?? PORTRAITS_DEMO;

const ref = await referenceStats(folder);
console.log(JSON.stringify(ref, null, 2));
