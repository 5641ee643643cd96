/**
 * Builds `window.api` from a transport. preload passes ipcRenderer; the end-to-end tests pass
 * a Playwright binding. Both therefore expose exactly the same object to the renderer.
 */
import { API_CHANNELS, API_METHODS, type ApiMethod, type EngineEvent, type Envelope, type PortraitSongsApi } from './api.ts';

export interface Transport {
  invoke(channel: string, arg: unknown): Promise<Envelope<unknown>>;
  subscribe(listener: (event: EngineEvent) => void): () => void;
}

export class ApiCallError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiCallError';
  }
}

export function createApiClient(transport: Transport): PortraitSongsApi {
  const call = async (method: ApiMethod, arg: unknown): Promise<unknown> => {
    const envelope = await transport.invoke(API_CHANNELS[method], arg);
    if (envelope.ok) return envelope.value;
    throw new ApiCallError(envelope.error.code, envelope.error.message);
  };
  const api: Record<string, unknown> = {};
  for (const method of API_METHODS) api[method] = (arg?: unknown) => call(method, arg);
  api.onEvent = (listener: (event: EngineEvent) => void) => transport.subscribe(listener);
  return api as unknown as PortraitSongsApi;
}
