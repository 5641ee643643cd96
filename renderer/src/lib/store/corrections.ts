/** The person's own readings of faces and songs; the engine stores them beside the model's. */
import type { CorrectionInput } from '../../../../shared/api.ts';
import { library } from './library.svelte.ts';
import { notices } from './notices.svelte.ts';

/** `reading` null undoes the person's reading. */
export async function correctFace(portraitId: number, faceIndex: number, reading: CorrectionInput): Promise<void> {
  try {
    const p = await window.api.correctFace({ portraitId, faceIndex, reading });
    if (library.portraits.some((x) => x.id === p.id)) library.putPortrait(p);
  } catch (err) {
    notices.notify('error', `Could not save your reading: ${(err as Error).message}`);
  }
}

export async function correctSong(songId: number, reading: CorrectionInput): Promise<void> {
  try {
    const song = await window.api.correctSong({ songId, reading });
    if (library.songs.some((x) => x.id === song.id)) library.putSong(song);
  } catch (err) {
    notices.notify('error', `Could not save your reading: ${(err as Error).message}`);
  }
}
