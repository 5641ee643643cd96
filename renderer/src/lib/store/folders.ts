/**
 * Opening a folder of portraits or music (dialog, in-app picker, drop, recent list): the library
 * loads it and the tab that shows it starts afresh.
 */
import type { FolderKind, FolderOpened } from '../../../../shared/api.ts';
import { folderPicker } from '../folder-picker.svelte.ts';
import { gallery } from './gallery.svelte.ts';
import { library } from './library.svelte.ts';
import { navigation } from './navigation.svelte.ts';
import { notices } from './notices.svelte.ts';

async function afterOpen(opened: FolderOpened | null): Promise<void> {
  if (!opened) return;
  if (opened.kind === 'music') {
    navigation.view = 'music';
    library.musicFolder = opened.folder;
    library.skipped = opened.skipped;
    library.songs = await window.api.listSongs({ folder: opened.folder });
    if (opened.total === 0) notices.notify('info', 'No audio files were found in that folder or its subfolders.');
    await library.refreshInfo();
    return;
  }
  navigation.view = 'portraits';
  library.portraitSkipped = opened.skipped;
  gallery.filter = 'all';
  gallery.selectedId = null;
  library.lastJob = null;
  await library.loadFolder(opened.folder);
  if (opened.total === 0) notices.notify('info', 'No images were found in that folder or its subfolders.');
  await library.refreshInfo();
}

export async function chooseFolder(kind: FolderKind = navigation.view === 'music' ? 'music' : 'portraits'): Promise<void> {
  try {
    // Browser mode has no native dialog: the person picks in the app, and the host checks the path.
    if (await library.usesInAppPicker()) {
      const path = await folderPicker.ask(kind);
      if (path !== null) await afterOpen(await window.api.chooseFolder({ kind, path }));
      return;
    }
    await afterOpen(await window.api.chooseFolder({ kind }));
  } catch (err) {
    notices.notify('error', (err as Error).message);
  }
}

/** The engine decides portraits or music by what the dropped paths hold. */
export async function openDropped(paths: string[]): Promise<void> {
  try {
    const opened = await window.api.openDroppedPaths({ paths });
    notices.notify('info', `Opened ${opened.folder} as ${opened.kind === 'music' ? 'music' : 'portraits'}.`);
    await afterOpen(opened);
  } catch (err) {
    notices.notify('error', `Could not open what was dropped: ${(err as Error).message}`);
  }
}

export async function openRecent(path: string, kind: FolderKind): Promise<void> {
  try {
    await afterOpen(await window.api.openRecentFolder({ path, kind }));
  } catch (err) {
    notices.notify('error', (err as Error).message);
  }
}
