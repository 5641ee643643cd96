/**
 * The renderer's Content-Security-Policy, one definition for both hosts: the Electron shell
 * (media through `ps-media:`) and browser mode (media from the page's own origin).
 */
export function rendererCsp(mediaSources: readonly string[] = []): string {
  const media = ["'self'", ...mediaSources].join(' ');
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    `img-src ${media} data:`,
    `media-src ${media}`,
    "font-src 'self'",
    `connect-src ${media}`,
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}
