/**
 * Decodes the percent-encoding of a URL path (or one part of it). A malformed escape such as
 * `%E0%A4%A` is the client's mistake, not ours: callers answer 400 when this returns null, where
 * `decodeURIComponent` would have thrown a URIError and become a 500.
 */
export function decodeUrlPath(encoded: string): string | null {
  try {
    return decodeURIComponent(encoded);
  } catch {
    return null;
  }
}

/** The one-line reason sent with that 400. */
export const MALFORMED_URL_TEXT =
  'bad URL: it has a malformed percent-escape (such as "%E0%A4%A"); check the link';
