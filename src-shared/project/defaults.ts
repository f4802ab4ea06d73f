/**
 * New projects and new pieces of a project, with the documented defaults (puppet generator,
 * 512×512, 24 fps, MP4, frames [0, 120)). Built by parsing through the schema, so the defaults
 * live in exactly one place.
 */
import { parseProject } from './parse';
import {
  DiffusionParamsSchema,
  PROJECT_VERSION,
  PuppetParamsSchema,
  type GeneratorSettings,
  type Project,
} from './schema';

export function createDefaultProject(name = 'Untitled'): Project {
  return parseProject({ version: PROJECT_VERSION, name });
}

/** Default settings for a generator; the diffusion generator needs the model pack's id. */
export function defaultGenerator(id: 'puppet'): GeneratorSettings;
export function defaultGenerator(id: 'diffusion', pack: string): GeneratorSettings;
export function defaultGenerator(id: 'puppet' | 'diffusion', pack = ''): GeneratorSettings {
  return id === 'puppet'
    ? { id, params: PuppetParamsSchema.parse({}) }
    : { id, params: DiffusionParamsSchema.parse({ pack }) };
}

/**
 * A fresh id such as `char-3f9c1a2b7d4e`, different from every id in `taken`. Uses the Web
 * Crypto random source every process here has (Node ≥ 19, browsers, Electron).
 */
export function newId(prefix: string, taken: Iterable<string> = []): string {
  const used = new Set(taken);
  for (;;) {
    const hex = globalThis.crypto.randomUUID().replace(/-/g, '').slice(0, 12);
    const id = `${prefix}-${hex}`;
    if (!used.has(id)) return id;
  }
}
