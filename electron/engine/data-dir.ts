/** Where the catalog and caches live; the app and the CLI share it. */
import os from 'node:os';
import path from 'node:path';

export const APP_DIR_NAME = 'portrait-songs';

export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  if (env.PORTRAIT_SONGS_DATA_DIR) return path.resolve(env.PORTRAIT_SONGS_DATA_DIR);
  const home = os.homedir();
  if (platform === 'win32') return path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), APP_DIR_NAME);
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support', APP_DIR_NAME);
  return path.join(env.XDG_CONFIG_HOME ?? path.join(home, '.config'), APP_DIR_NAME);
}
