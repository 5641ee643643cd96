/** The messages in the corner: errors stay until dismissed, information goes by itself. */
export type Notice = { id: number; kind: 'error' | 'info'; text: string };

class Notices {
  list = $state<Notice[]>([]);
  private lastId = 0;

  notify(kind: Notice['kind'], text: string): void {
    // The same message twice says nothing new; a second copy would only push the others up.
    if (this.list.some((n) => n.kind === kind && n.text === text)) return;
    const id = ++this.lastId;
    this.list.push({ id, kind, text });
    if (kind === 'info') setTimeout(() => this.dismiss(id), 6000);
  }

  dismiss(id: number): void {
    this.list = this.list.filter((n) => n.id !== id);
  }
}

export const notices = new Notices();
