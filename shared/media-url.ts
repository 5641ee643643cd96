/** Media URLs the renderer builds; the media protocol handler parses the same two forms. */
export const thumbUrl = (mediaBase: string, key: string): string => `${mediaBase}thumb/${encodeURIComponent(key)}`;
export const fileUrl = (mediaBase: string, absolutePath: string): string => `${mediaBase}file/${encodeURIComponent(absolutePath)}`;
