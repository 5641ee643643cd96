/**
 * The SQLite binding behind the catalog: libsql (napi-rs, N-API), so the binary `npm ci`
 * installs loads unchanged in Node and in Electron's Node 24. better-sqlite3 was V8-ABI and
 * Electron refused it. This thin layer keeps the typed, synchronous statement API the tables
 * use and irons out where libsql differs from better-sqlite3 (rows from `get()` carry a
 * `_metadata` field; `pragma(..., { simple })` returns a row instead of the value).
 */
import Libsql from 'libsql';

export interface RunResult {
  changes: number;
  lastInsertRowid: number | bigint;
}

export interface Statement<P extends unknown[], R> {
  get(...params: P): R | undefined;
  all(...params: P): R[];
  run(...params: P): RunResult;
}

type RawStatement = { get(...p: unknown[]): unknown; all(...p: unknown[]): unknown[]; run(...p: unknown[]): RunResult };
type RawDatabase = {
  prepare(sql: string): RawStatement;
  exec(sql: string): unknown;
  close(): void;
};

function clean<R>(row: unknown): R | undefined {
  if (row === undefined || row === null) return undefined;
  if (typeof row === 'object' && '_metadata' in row) delete (row as { _metadata?: unknown })._metadata;
  return row as R;
}

export class Db {
  private readonly raw: RawDatabase;
  private depth = 0;

  constructor(file: string, options: { readonly?: boolean } = {}) {
    this.raw = new Libsql(file, { readonly: options.readonly ?? false }) as unknown as RawDatabase;
  }

  prepare<P extends unknown[] = unknown[], R = unknown>(sql: string): Statement<P, R> {
    const stmt = this.raw.prepare(sql);
    return {
      get: (...params) => clean<R>(stmt.get(...params)),
      all: (...params) => stmt.all(...params).map((r) => clean<R>(r)!),
      run: (...params) => stmt.run(...params),
    };
  }

  exec(sql: string): void {
    this.raw.exec(sql);
  }

  /** Runs `fn` in one transaction; nested calls join the outer one (libsql's own cannot nest). */
  transaction<A extends unknown[], T>(fn: (...args: A) => T): (...args: A) => T {
    return (...args) => {
      if (this.depth > 0) return fn(...args);
      this.raw.exec('BEGIN IMMEDIATE');
      this.depth++;
      try {
        const result = fn(...args);
        this.raw.exec('COMMIT');
        return result;
      } catch (err) {
        this.raw.exec('ROLLBACK');
        throw err;
      } finally {
        this.depth--;
      }
    };
  }

  /** The first column of a pragma's first row (`journal_mode`, `user_version`, `integrity_check`…). */
  pragma(source: string): unknown {
    const row = clean<Record<string, unknown>>(this.raw.prepare(`PRAGMA ${source}`).get());
    return row === undefined ? undefined : Object.values(row)[0];
  }

  close(): void {
    this.raw.close();
  }
}
