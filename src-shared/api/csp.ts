/**
 * The one Content-Security-Policy of the UI: sent as an HTTP header by the browser-mode host and
 * as a response header for the Electron window, and baked into index.html as a meta tag.
 * No remote code, no eval, no inline scripts; media only from the project media route/protocol.
 * `style-src 'unsafe-inline'` is needed by Emotion (MUI's styling) which injects <style> tags.
 */
export function contentSecurityPolicy(opts: { mediaScheme?: string } = {}): string {
  const media = opts.mediaScheme ? ` ${opts.mediaScheme}:` : '';
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    `img-src 'self' data: blob:${media}`,
    `media-src 'self' blob:${media}`,
    "font-src 'self' data:",
    "connect-src 'self' ws: wss:",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}
