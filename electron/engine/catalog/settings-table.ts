/** The person's choices kept in the catalog, as text by key; each reader checks what it gets back. */
import type { Db } from './open-catalog.ts';

export class SettingsTable {
  private readonly select;
  private readonly upsert;

  constructor(db: Db) {
    this.select = db.prepare<[string], { value: string }>('SELECT value FROM settings WHERE key = ?');
    this.upsert = db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value');
  }

  get(key: string): string | null {
    return this.select.get(key)?.value ?? null;
  }

  set(key: string, value: string): void {
    this.upsert.run(key, value);
  }
}
