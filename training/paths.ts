/** Where the laboratory finds things: the repository, the data beside it, its caches. */
import path from 'node:path';

export const REPO = path.resolve(import.meta.dirname, '..');
/** `../shared/data` beside the checkout (FER-2013, the portraits, the music); never copied into the repo. */
export const SHARED_DATA = path.resolve(REPO, '..', 'shared', 'data');
export const PORTRAITS_DEMO = path.join(SHARED_DATA, 'portraits', 'demo');
export const PORTRAITS_DEV = path.join(SHARED_DATA, 'portraits', 'dev');
export const MUSIC_DATA = path.join(SHARED_DATA, 'music');
export const FER_DIR = path.join(SHARED_DATA, 'fer');
export const MODELS = path.join(REPO, 'models');
