/// <reference types="svelte" />
/// <reference types="vite/client" />
import type { PortraitSongsApi } from '../../shared/api.ts';

declare global {
  interface Window {
    /** Provided by preload (in the app) or by the test harness (in e2e). */
    api: PortraitSongsApi;
  }
}
export {};
