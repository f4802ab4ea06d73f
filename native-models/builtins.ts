/**
 * The ONNX graphs the project builds itself, by manifest id. The engine's model registry builds
 * them at first use into its cache and checks the bytes against the manifest's sha256, so a
 * builder change that is not reflected in the manifest is caught (see builtins.test.ts).
 */
import puppetManifest from './puppet/manifest.json';
import { buildPuppetWarp } from './puppet/puppetWarp';

export interface BuiltinModel {
  /** The raw manifest (validated by the engine's registry). */
  readonly manifest: unknown;
  readonly build: () => Uint8Array;
}

export const BUILTIN_MODELS: Readonly<Record<string, BuiltinModel>> = {
  // One graph for both puppet qualities: smooth and fast differ only in how the engine samples
  // the picture at the graph's per-pixel sources (bilinear or nearest).
  'puppet-warp': { manifest: puppetManifest, build: () => buildPuppetWarp() },
};
