/** An error the renderer may show as it is; its code says what kind of failure it was. */
export class EngineError extends Error {
  constructor(
    readonly code: 'not-found' | 'forbidden' | 'invalid-argument' | 'failed',
    message: string,
  ) {
    super(message);
    this.name = 'EngineError';
  }
}
