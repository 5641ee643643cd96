/**
 * Browser mode's "Replace?" question. The host asks, through the page (it has no dialog of its
 * own), about exactly the folder it found occupied; only an answer to that pending question,
 * by its one-time id, counts, and an unanswered question is a no after a while.
 */
import { randomUUID } from 'node:crypto';
import type { EngineEvent } from '../../shared/api.ts';

export const ANSWER_TIMEOUT_MS = 5 * 60_000;

export class ReplaceQuestions {
  private readonly pending = new Map<string, (replace: boolean) => void>();

  constructor(
    private readonly send: (event: EngineEvent) => void,
    private readonly timeoutMs = ANSWER_TIMEOUT_MS,
  ) {}

  ask(folder: string): Promise<boolean> {
    const requestId = randomUUID();
    return new Promise((resolve) => {
      const timer = setTimeout(() => this.settle(requestId, false), this.timeoutMs);
      this.pending.set(requestId, (replace) => {
        clearTimeout(timer);
        resolve(replace);
      });
      this.send({ type: 'confirm-replace', requestId, folder });
    });
  }

  /** True when `requestId` was pending; it is forgotten either way. */
  answer(requestId: string, replace: boolean): boolean {
    return this.settle(requestId, replace);
  }

  private settle(requestId: string, replace: boolean): boolean {
    const done = this.pending.get(requestId);
    if (!done) return false;
    this.pending.delete(requestId);
    done(replace);
    return true;
  }
}
