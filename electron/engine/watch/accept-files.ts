/** Which files a watched folder of each kind reports: the ones its scan would read. */
import type { FolderKind } from '../../../shared/api.ts';
import { isImageFile } from '../scan/walk-files.ts';
import { isAudioFile } from '../music/index-music-folder.ts';

export function acceptFor(kind: FolderKind): (file: string) => boolean {
  return kind === 'music' ? isAudioFile : isImageFile;
}
