/** Writing the playlist's pairs to a folder (the engine's export/). */
import { folderPicker } from '../folder-picker.svelte.ts';
import { library } from './library.svelte.ts';
import { notices } from './notices.svelte.ts';
import { playlist } from './playlist.svelte.ts';

export async function exportPairs(copyMedia: boolean): Promise<void> {
  if (!library.folder || !library.musicFolder) return;
  try {
    let target: string | undefined;
    if (await library.usesInAppPicker()) {
      const picked = await folderPicker.ask('export');
      if (picked === null) return;
      target = picked;
    }
    const outcome = await window.api.exportPairs({
      ...(target === undefined ? {} : { target }),
      portraitFolder: library.folder,
      musicFolder: library.musicFolder,
      spec: playlist.snapshot(),
      copyMedia,
      // Never true from here: replacing needs the host's own confirmation, not the page's word.
      overwrite: false,
    });
    if (outcome.status === 'exists') {
      // The host asks "Replace?" itself before deleting; 'exists' means it did not replace.
      notices.notify('error', `Nothing exported: the folder ${outcome.folder} is not empty.`);
    } else if (outcome.status === 'written') {
      notices.notify('info', `Exported ${outcome.pairs} pairs to ${outcome.folder}${outcome.unmatched ? ` (${outcome.unmatched} portraits without a face listed as unmatched)` : ''}.`);
    }
  } catch (err) {
    notices.notify('error', `Export failed: ${(err as Error).message}`);
  }
}
