/** The `ps-media:` scheme: thumbnails and the person's own media, with Range for seeking. */
import { protocol } from 'electron';
import { serveMedia, type MediaAccess } from '../engine/media/serve-media.ts';

export const MEDIA_SCHEME = 'ps-media';
export const MEDIA_BASE = `${MEDIA_SCHEME}://media/`;

/** Must run before the app is ready. `stream` lets audio start before the whole file is read. */
export function registerMediaScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: MEDIA_SCHEME, privileges: { standard: true, secure: true, stream: true, supportFetchAPI: true } },
  ]);
}

export function handleMediaScheme(access: MediaAccess): void {
  protocol.handle(MEDIA_SCHEME, (request) => serveMedia(request, access));
}
