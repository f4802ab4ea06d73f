import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import {
  ApiError,
  type Character,
  type CharacterState,
  type Joint,
  type ProjectSummary,
  type RenderSettings,
} from '#shared/api/index';
import { POINT_COUNT, POINT_NAMES } from '#shared/pose/skeleton';
import { POINTS_LENGTH } from '#shared/pose/types';
import {
  DiffusionParamsSchema,
  ProjectError,
  PuppetParamsSchema,
  createDefaultProject,
  newId,
  safeFileName,
  type CharacterJson,
  type DiffusionParams,
  type Project,
  type TrackJson,
} from '#shared/project/index';
import { outputSizeForPicture } from '#shared/render/outputSize';
import { AssetImportError, importAsset } from '#main/project/importAsset';
import { ProjectLocationError } from '#main/project/projectLocation';
import { resolveInsideProject } from '#main/project/projectPaths';
import { createProject, loadProject, saveProject } from '#main/project/projectStore';
import type { LayerOverrides } from '#shared/puppet/layerOrder';
import { checkMaskPng } from './maskImport';
import type { CharacterFiles, CreateProjectRequest, ProjectSession, ProjectsPort } from './ports';

/** Project store errors as API errors that say what to do. */
export function projectApiError(e: unknown): ApiError {
  if (e instanceof ProjectLocationError) return new ApiError('bad-request', e.message, e.hint);
  if (e instanceof ProjectError) {
    if (/already exists/.test(e.reason)) {
      return new ApiError(
        'conflict',
        e.message,
        'Open that project instead, or choose an empty folder.',
      );
    }
    // A link out of the project, a pipe, a loop: the folder needs fixing, not project.json.
    if (/ is a link | is a named pipe| is a device| is a socket/.test(e.reason))
      return new ApiError(
        'invalid-project',
        e.message,
        'Fix the project folder as the message says, then try again.',
      );
    const missing = /no project\.json/.test(e.reason);
    return new ApiError(
      missing ? 'not-found' : 'invalid-project',
      e.message,
      missing
        ? 'Pick the folder that contains project.json, or create a new project there.'
        : 'Fix the field named in the message in project.json (a .bak of the previous save is next to it).',
    );
  }
  if (e instanceof AssetImportError)
    return new ApiError('bad-request', e.message, 'Choose another file.');
  return ApiError.from(e);
}

async function pictureSize(dir: string, path: string): Promise<{ width: number; height: number }> {
  try {
    // Never a file outside the project, nor a pipe that would block sharp's read.
    const file = await resolveInsideProject(dir, path, { kind: 'file', mustExist: true });
    const m = await sharp(file.path).metadata();
    return { width: m.width ?? 0, height: m.height ?? 0 };
  } catch {
    return { width: 0, height: 0 };
  }
}

function sameSize(a: { width: number; height: number }, b: { width: number; height: number }) {
  return a.width === b.width && a.height === b.height;
}

/** The character renders use: the one `render.characterId` names, else the first. */
function activeCharacter(project: Project): CharacterJson | undefined {
  const id = project.render.characterId;
  return project.characters.find((c) => c.id === id) ?? project.characters[0];
}

/** A diffusion project's generator parameters as the render settings carry them. */
function diffusionSettings(params: DiffusionParams): Pick<RenderSettings, 'pack' | 'diffusion'> {
  const { pack, seed, ...rest } = params;
  return { pack, diffusion: { ...rest, ...(seed === undefined ? {} : { seed }) } };
}

/** The changes of an open project: each reads the project and writes it whole. */
const CHANGES = [
  'importPicture',
  'importMask',
  'clearMask',
  'setLayers',
  'moveJoint',
  'setReferencePose',
  'restoreCharacter',
  'useAudioFile',
  'saveTrack',
  'applyRenderSettings',
] as const;

/** An open project over the real project store (every change is validated and saved atomically). */
export class StoredProject implements ProjectSession {
  /** The change in progress (or the last one); the next waits for it. */
  private changing: Promise<unknown> = Promise.resolve();

  constructor(
    readonly folder: string,
    private project: Project,
  ) {
    // Changes run one at a time. Each builds the next project from the current one and saves it
    // whole, so two at once (a joint drag's save beside the editor's track autosave) both started
    // from the same project and the second write dropped the first's change.
    for (const name of CHANGES) {
      const change = (this[name] as (...args: unknown[]) => Promise<unknown>).bind(this);
      Object.defineProperty(this, name, {
        value: (...args: unknown[]) => this.oneAtATime(() => change(...args)),
      });
    }
  }

  private oneAtATime<T>(change: () => Promise<T>): Promise<T> {
    const result = this.changing.then(change, change);
    this.changing = result.catch(() => undefined);
    return result;
  }

  get data(): Project {
    return this.project;
  }

  summary(): ProjectSummary {
    const p = this.project;
    const track = p.tracks.find((t) => t.id === p.render.trackId) ?? p.tracks[0];
    const lastKey = Math.max(
      -1,
      ...(track?.people.flatMap((l) => l.keyframes.map((k) => k.frame)) ?? []),
    );
    return {
      path: this.folder,
      name: p.name,
      width: p.output.width,
      height: p.output.height,
      fps: p.output.fps,
      frameCount: Math.max(lastKey + 1, p.output.range.to),
      people: track?.people.length ?? 0,
      keyframes: track?.people.reduce((n, l) => n + l.keyframes.length, 0) ?? 0,
    };
  }

  async character(): Promise<Character> {
    const c = activeCharacter(this.project);
    if (!c)
      return {
        name: 'No character yet',
        picture: null,
        pictureWidth: 0,
        pictureHeight: 0,
        mask: null,
        joints: [],
      };
    const size = await pictureSize(this.folder, c.picture);
    const joints: Joint[] = [];
    for (let i = 0; i < POINT_COUNT; i++) {
      const confidence = c.referencePose[i * 3 + 2]!;
      if (confidence > 0) {
        joints.push({
          index: i,
          name: POINT_NAMES[i]!,
          x: c.referencePose[i * 3]!,
          y: c.referencePose[i * 3 + 1]!,
          confidence,
        });
      }
    }
    return {
      name: c.name,
      picture: c.picture,
      pictureWidth: size.width,
      pictureHeight: size.height,
      mask: c.mask ?? null,
      joints,
    };
  }

  async importPicture(fileName: string, bytes: Uint8Array): Promise<Character> {
    try {
      await sharp(bytes).metadata();
    } catch {
      throw new ApiError(
        'bad-request',
        `${fileName} is not a picture Pose Studio can read`,
        'Import a PNG, JPEG or WebP file.',
      );
    }
    const tmp = await mkdtemp(join(tmpdir(), 'pose-studio-import-'));
    try {
      const file = join(tmp, safeFileName(fileName));
      await writeFile(file, bytes);
      const picture = await importAsset(this.folder, file);
      const current = activeCharacter(this.project);
      const characters = current
        ? this.project.characters.map((c) => {
            if (c !== current) return c;
            // The mask belongs to the old picture; the pose is kept so Detect pose or a hand fix
            // can start from it.
            const { mask: _oldMask, ...rest } = c;
            return { ...rest, picture };
          })
        : [
            {
              id: newId('char'),
              name: fileName.replace(/\.[^.]+$/, '') || 'Character',
              picture,
              referencePose: new Array<number>(POINTS_LENGTH).fill(0),
              referenceFrames: [],
            },
          ];
      // The output follows the picture (its own size and aspect) unless the user set another
      // size: one that is neither the old picture's size nor a new project's default.
      const output = this.project.output;
      const before = current?.picture ? await pictureSize(this.folder, current.picture) : null;
      const followed =
        before && before.width > 0
          ? sameSize(output, outputSizeForPicture(before, output.format))
          : sameSize(output, createDefaultProject().output);
      const after = await pictureSize(this.folder, picture);
      const size = followed && after.width > 0 ? outputSizeForPicture(after, output.format) : {};
      await this.save({ ...this.project, characters, output: { ...output, ...size } });
    } catch (e) {
      throw projectApiError(e);
    } finally {
      await rm(tmp, { recursive: true, force: true });
    }
    return this.character();
  }

  /**
   * Copies a mask PNG (white = character) into assets/ and makes it the character's mask
   * (`characters[].mask`); the previous mask file stays where it is.
   */
  async importMask(fileName: string, bytes: Uint8Array): Promise<Character> {
    const current = this.requireCharacter();
    await checkMaskPng(fileName, bytes, await pictureSize(this.folder, current.picture));
    const tmp = await mkdtemp(join(tmpdir(), 'pose-studio-mask-'));
    try {
      const file = join(tmp, safeFileName(fileName));
      await writeFile(file, bytes);
      const mask = await importAsset(this.folder, file);
      await this.updateCharacter(current, { ...current, mask });
    } catch (e) {
      throw projectApiError(e);
    } finally {
      await rm(tmp, { recursive: true, force: true });
    }
    return this.character();
  }

  /** Back to the automatic mask: the project forgets its mask (the file itself is kept). */
  async clearMask(): Promise<Character> {
    const current = this.requireCharacter();
    const { mask: _mask, ...rest } = current;
    await this.updateCharacter(current, rest);
    return this.character();
  }

  /** Sets the user's layer per part (`characters[].layers`); an empty object clears them. */
  async setLayers(layers: LayerOverrides): Promise<Character> {
    const current = this.requireCharacter();
    const { layers: _old, ...rest } = current;
    await this.updateCharacter(
      current,
      Object.keys(layers).length > 0 ? { ...rest, layers } : rest,
    );
    return this.character();
  }

  /** What the engine needs to set the character up: real paths, checked inside the project. */
  async characterSetup(): Promise<CharacterFiles | null> {
    const c = activeCharacter(this.project);
    if (!c) return null;
    try {
      const inside = async (path: string, field: string) =>
        (await resolveInsideProject(this.folder, path, { field, kind: 'file', mustExist: true }))
          .path;
      return {
        picturePath: await inside(c.picture, 'characters.picture'),
        referencePose: Float64Array.from(c.referencePose),
        ...(c.mask ? { maskPath: await inside(c.mask, 'characters.mask') } : {}),
        ...(c.layers ? { layers: c.layers } : {}),
      };
    } catch (e) {
      throw projectApiError(e);
    }
  }

  private requireCharacter(): CharacterJson {
    const current = activeCharacter(this.project);
    if (!current)
      throw new ApiError('not-found', 'the project has no character', 'Import a picture first.');
    return current;
  }

  private async updateCharacter(current: CharacterJson, next: CharacterJson): Promise<void> {
    await this.save({
      ...this.project,
      characters: this.project.characters.map((c) => (c === current ? next : c)),
    });
  }

  async moveJoint(index: number, x: number, y: number): Promise<Character> {
    const current = activeCharacter(this.project);
    if (!current)
      throw new ApiError('not-found', 'the project has no character', 'Import a picture first.');
    const pose = current.referencePose.slice();
    pose[index * 3] = x;
    pose[index * 3 + 1] = y;
    if (!(pose[index * 3 + 2]! > 0)) pose[index * 3 + 2] = 1;
    await this.save({
      ...this.project,
      characters: this.project.characters.map((c) =>
        c === current ? { ...c, referencePose: pose } : c,
      ),
    });
    return this.character();
  }

  async picturePath(): Promise<string | null> {
    const c = activeCharacter(this.project);
    if (!c?.picture) return null;
    try {
      const file = await resolveInsideProject(this.folder, c.picture, {
        field: 'characters.picture',
        kind: 'file',
      });
      return file.path;
    } catch (e) {
      throw projectApiError(e);
    }
  }

  async setReferencePose(points: ArrayLike<number>): Promise<Character> {
    const current = activeCharacter(this.project);
    if (!current)
      throw new ApiError('not-found', 'the project has no character', 'Import a picture first.');
    if (points.length !== POINTS_LENGTH)
      throw new ApiError(
        'bad-request',
        `a pose has ${POINTS_LENGTH} numbers, got ${points.length}`,
      );
    const pose = Array.from(points, (v) => (Number.isFinite(v) ? v : 0));
    await this.save({
      ...this.project,
      characters: this.project.characters.map((c) =>
        c === current ? { ...c, referencePose: pose } : c,
      ),
    });
    return this.character();
  }

  async restoreCharacter(state: CharacterState): Promise<Character> {
    const current = activeCharacter(this.project);
    if (!current || !state.picture)
      throw new ApiError(
        'not-found',
        'there is no earlier picture to go back to',
        'Import the picture again.',
      );
    // Only pictures that are still in the project come back (never a path outside it).
    for (const [field, path] of [
      ['picture', state.picture],
      ['mask', state.mask],
    ] as const)
      if (path && (await pictureSize(this.folder, path)).width < 1)
        throw new ApiError(
          'not-found',
          `the earlier ${field} ${path} is no longer a picture in the project`,
          'It was moved or deleted outside Pose Studio; import it again.',
        );
    const { mask: _mask, ...rest } = current;
    const restored: CharacterJson = {
      ...rest,
      picture: state.picture,
      ...(state.mask ? { mask: state.mask } : {}),
      referencePose: state.pose.map((v) => (Number.isFinite(v) ? v : 0)),
    };
    await this.save({
      ...this.project,
      characters: this.project.characters.map((c) => (c === current ? restored : c)),
    });
    return this.character();
  }

  async useAudioFile(file: string): Promise<string> {
    try {
      const audio = await importAsset(this.folder, file);
      await this.save({ ...this.project, output: { ...this.project.output, audio } });
      return audio;
    } catch (e) {
      throw projectApiError(e);
    }
  }

  track(): TrackJson | null {
    const p = this.project;
    return p.tracks.find((t) => t.id === p.render.trackId) ?? p.tracks[0] ?? null;
  }

  async saveTrack(track: TrackJson): Promise<ProjectSummary> {
    const p = this.project;
    const exists = p.tracks.some((t) => t.id === track.id);
    await this.save({
      ...p,
      tracks: exists ? p.tracks.map((t) => (t.id === track.id ? track : t)) : [...p.tracks, track],
      render: p.render.trackId || exists ? p.render : { ...p.render, trackId: track.id },
    });
    return this.summary();
  }

  /** Render settings are the project's own (output + render + generator): the UI edits them. */
  renderSettings(): RenderSettings {
    const p = this.project;
    return {
      generator: p.generator.id,
      width: p.output.width,
      height: p.output.height,
      fps: p.output.fps,
      from: p.output.range.from,
      to: p.output.range.to,
      segmentLength: p.render.segmentLength,
      segmentOverlap: p.render.segmentOverlap,
      strategy: p.render.strategy,
      format: p.output.format,
      ...(p.generator.id === 'puppet' ? { background: p.generator.params.background } : {}),
      ...(p.generator.id === 'diffusion' ? diffusionSettings(p.generator.params) : {}),
    };
  }

  async applyRenderSettings(s: RenderSettings): Promise<void> {
    const p = this.project;
    // Switching generator keeps the other generator's parameters out of the project: puppet has
    // only defaults. Diffusion takes the settings' complete parameter block when they carry one
    // (a seed left out = the render seed), else keeps its steps/prompt when only the pack changes.
    const generator: Project['generator'] =
      s.generator === 'diffusion'
        ? {
            id: 'diffusion',
            params: DiffusionParamsSchema.parse({
              ...(s.diffusion ?? (p.generator.id === 'diffusion' ? p.generator.params : {})),
              pack: s.pack,
            }),
          }
        : {
            id: 'puppet',
            params: PuppetParamsSchema.parse({
              ...(p.generator.id === 'puppet' ? p.generator.params : {}),
              ...(s.background ? { background: s.background } : {}),
            }),
          };
    await this.save({
      ...p,
      generator,
      output: {
        ...p.output,
        width: s.width,
        height: s.height,
        fps: s.fps,
        range: { from: s.from, to: s.to },
        format: s.format,
      },
      render: {
        ...p.render,
        segmentLength: s.segmentLength,
        segmentOverlap: s.segmentOverlap,
        strategy: s.strategy,
      },
    });
  }

  private async save(next: Project): Promise<void> {
    try {
      this.project = await saveProject(this.folder, next);
    } catch (e) {
      throw projectApiError(e);
    }
  }
}

export function projectStoreAdapter(): ProjectsPort {
  return {
    async create(req: CreateProjectRequest) {
      try {
        const base = createDefaultProject(req.name);
        const project: Project = {
          ...base,
          output: { ...base.output, width: req.size.width, height: req.size.height, fps: req.fps },
        };
        const loaded = await createProject(req.folder, { name: req.name, project });
        return new StoredProject(loaded.dir, loaded.project);
      } catch (e) {
        throw projectApiError(e);
      }
    },
    async open(folder: string) {
      try {
        const loaded = await loadProject(folder);
        return new StoredProject(loaded.dir, loaded.project);
      } catch (e) {
        throw projectApiError(e);
      }
    },
  };
}
