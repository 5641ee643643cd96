/** Where the engine's events land: the library takes its own, and the rest reach the views here. */
import type { EngineEvent } from '../../../../shared/api.ts';
import { folderPicker } from '../folder-picker.svelte.ts';
import { chooseFolder } from './folders.ts';
import { gallery } from './gallery.svelte.ts';
import { library } from './library.svelte.ts';

export function handleEvent(event: EngineEvent): void {
  library.apply(event);
  switch (event.type) {
    case 'portraits-removed':
      // The detail view shows a portrait that no longer exists: close it.
      if (event.folder === library.folder && gallery.selectedId !== null && event.ids.includes(gallery.selectedId)) gallery.selectedId = null;
      break;
    case 'confirm-replace':
      folderPicker.replace = { requestId: event.requestId, folder: event.folder };
      break;
    case 'menu':
      if (event.command === 'open-portraits') void chooseFolder('portraits');
      else if (event.command === 'open-music') void chooseFolder('music');
      break;
  }
}
