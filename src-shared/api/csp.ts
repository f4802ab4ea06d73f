/**
 * The one Content-Security-Policy of the UI: sent as an HTTP header by the browser-mode host and
 * as a response header for the Electron window, and baked into index.html as a meta tag.
 * No remote code, no eval, no inline scripts; media only from the project media route/protocol.
 * `style-src 'unsafe-inline'` is needed by Emotion (MUI's styling) which injects <style> tags.
 */
export function contentSecurityPolicy(opts: { mediaScheme?: string; meta?: boolean } = {}): string {
  const media = opts.mediaScheme ? ` ${opts.mediaScheme}:` : '';
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    `img-src 'self' data: blob:${media}`,
    `media-src 'self' blob:${media}`,
    "font-src 'self' data:",
    // 'self' covers the host's own ws:// origin (CSP3), nothing else.
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    // Browsers ignore (and warn about) frame-ancestors in a <meta> tag; the header carries it.
    ...(opts.meta ? [] : ["frame-ancestors 'none'"]),
  ].join('; ');
}
