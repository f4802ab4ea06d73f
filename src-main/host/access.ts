import { timingSafeEqual, randomBytes } from 'node:crypto';
import { isIP } from 'node:net';

/** Who may talk to the host: the rules of browser mode's network exposure. */

export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || (isIP(h) === 4 && h.startsWith('127.'));
}

export function newToken(): string {
  return randomBytes(24).toString('base64url');
}

export function tokenMatches(expected: string, given: string | null | undefined): boolean {
  if (!given) return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Hostname of a Host header (`127.0.0.1:5170`, `[::1]:80`, `studio.lan`). */
export function hostnameOf(hostHeader: string | undefined): string {
  if (!hostHeader) return '';
  if (hostHeader.startsWith('[')) return hostHeader.slice(1, hostHeader.indexOf(']'));
  return hostHeader.replace(/:\d+$/, '');
}

/**
 * A WebSocket upgrade is accepted only from a page of this host (same origin; blocks other web
 * sites the user visits from driving the studio) or from a non-browser client (no Origin).
 */
export function originAllowed(origin: string | undefined, hostHeader: string | undefined): boolean {
  if (!origin) return true;
  try {
    return new URL(origin).host === hostHeader;
  } catch {
    return false;
  }
}

/**
 * On a loopback bind, the Host header must name loopback too, so a web page on a DNS name that
 * rebinds to 127.0.0.1 cannot reach the studio.
 */
export function hostHeaderAllowed(boundLoopback: boolean, hostHeader: string | undefined): boolean {
  return !boundLoopback || isLoopbackHost(hostnameOf(hostHeader));
}
