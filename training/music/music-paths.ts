/** Where the song-model scripts keep things; its own module so those scripts can import each other without a cycle. */
import path from 'node:path';

import { REPO } from '../paths.ts';

export { REPO };
export const CACHE_DIR = path.join(REPO, '.cache', 'music');
