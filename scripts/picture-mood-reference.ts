/**
 * Recomputes the picture mood's reference statistics (shared/picture-mood.ts
 * PICTURE_MOOD_REFERENCE) from a folder of portraits, measured exactly as analysis measures them
 * (decoded at ANALYSIS_MAX_SIDE, electron/engine/analyse/picture-stats.ts), and prints them with
 * the scale they give.
 *
 *   node --import tsx scripts/picture-mood-reference.ts [folder]   (default: the 60 demo portraits)
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { referenceStats } from '../electron/engine/analyse/picture-stats-reference.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const folder = process.argv[2] ?? path.resolve(here, '../../shared/data/portraits/demo');

const ref = await referenceStats(folder);
console.log(JSON.stringify(ref, null, 2));
