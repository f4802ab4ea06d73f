/**
 * Paths stored in a project (pictures, masks, audio) are relative to the project folder and may
 * never point outside it: a project is shared as a folder, so an absolute path or a `..` escape
 * would either break on another machine or read files the user never meant to hand over.
 *
 * Stored form: forward slashes, no `.` or empty segments, no `..` at all after normalisation.
 * Pure string checks — the project store adds the file-system checks (symlinks) on top.
 */

export type ProjectPathCheck = { ok: true; path: string } | { ok: false; reason: string };

// Names Windows refuses for files, whatever the extension (CON, CON.txt …).
const WINDOWS_RESERVED = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?$/i;
// eslint-disable-next-line no-control-regex
const CONTROL_CHARS = /[\u0000-\u001f\u007f]/;

/** Checks a project-relative path and returns its normalised form, or why it is refused. */
export function checkProjectPath(input: string): ProjectPathCheck {
  if (typeof input !== 'string' || input.length === 0) return fail('is empty');
  if (CONTROL_CHARS.test(input)) return fail('contains a control character');
  if (input.length > 1024) return fail('is longer than 1024 characters');
  const slashed = input.replace(/\\/g, '/');
  if (/^[a-zA-Z]:/.test(slashed)) return fail('has a drive letter; use a path inside the project');
  if (slashed.startsWith('/'))
    return fail('is absolute; use a path relative to the project folder');
  const out: string[] = [];
  for (const segment of slashed.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') {
      if (out.length === 0) return fail('escapes the project folder (..)');
      out.pop();
      continue;
    }
    if (segment.includes(':')) return fail(`has a ":" in "${segment}" (not portable)`);
    if (WINDOWS_RESERVED.test(segment)) return fail(`uses the reserved name "${segment}"`);
    if (/[ .]$/.test(segment)) return fail(`"${segment}" ends with a dot or space (not portable)`);
    out.push(segment);
  }
  if (out.length === 0) return fail('names the project folder itself, not a file');
  return { ok: true, path: out.join('/') };
}

/** True if `input` is already in stored form (what `checkProjectPath` would return unchanged). */
export function isNormalProjectPath(input: string): boolean {
  const r = checkProjectPath(input);
  return r.ok && r.path === input;
}

/**
 * A file name safe on every platform, derived from a user's file name: letters, digits, `-`, `_`
 * and one extension; never empty, never reserved. Used when importing a picture into `assets/`.
 */
export function safeFileName(name: string): string {
  const base = name.replace(/\\/g, '/').split('/').pop() ?? '';
  const dot = base.lastIndexOf('.');
  const rawStem = dot > 0 ? base.slice(0, dot) : base;
  const rawExt = dot > 0 ? base.slice(dot + 1) : '';
  let stem = rawStem
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '') // accents off: é → e
    .replace(/[^A-Za-z0-9_-]+/g, '-')
    .replace(/-+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 80);
  if (stem === '' || WINDOWS_RESERVED.test(stem)) stem = `file${stem ? `-${stem}` : ''}`;
  const ext = rawExt
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '')
    .slice(0, 10);
  return ext ? `${stem}.${ext}` : stem;
}

function fail(reason: string): ProjectPathCheck {
  return { ok: false, reason };
}
