/**
 * Browser mode's stand-in for the native folder dialog (and its "Replace?" question): the store
 * awaits a person's choice here; FolderPicker.svelte and ReplaceDialog.svelte render the requests.
 */
export type PickPurpose = 'portraits' | 'music' | 'export';

class FolderPickerState {
  request = $state<{ purpose: PickPurpose; resolve: (path: string | null) => void } | null>(null);
  replace = $state<{ requestId: string; folder: string } | null>(null);

  /** The folder the person chose, or null when they cancelled. */
  ask(purpose: PickPurpose): Promise<string | null> {
    this.request?.resolve(null);
    return new Promise((resolve) => (this.request = { purpose, resolve }));
  }

  finish(path: string | null): void {
    const r = this.request;
    this.request = null;
    r?.resolve(path);
  }

  async answerReplace(replace: boolean): Promise<void> {
    const q = this.replace;
    this.replace = null;
    if (q) await window.api.answerReplace({ requestId: q.requestId, replace });
  }
}

export const folderPicker = new FolderPickerState();
