import { execFileSync } from 'node:child_process';
import {
  mkdtemp,
  lstat,
  mkdir,
  readFile,
  readdir,
  rm,
  stat,
  symlink,
  utimes,
  writeFile,
} from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PROJECT_VERSION, ProjectError, parseProject, type Project } from '#shared/project/index';
import { sampleProject } from '#shared/project/testProjects';
import { atomicWrite } from '#main/fs/atomicWrite';
import { AssetImportError, importAsset } from '#main/project/importAsset';
import { createProject, loadProject, saveProject } from '#main/project/projectStore';

const FIXTURES = '/work/shared/fixtures';
let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pose-studio-project-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function errorOf(p: Promise<unknown>): Promise<ProjectError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(ProjectError);
    return e as ProjectError;
  }
  throw new Error('expected a ProjectError');
}

describe('createProject', () => {
  it('makes the folder layout and a valid default project.json', async () => {
    const target = join(dir, 'new', 'deep');
    const created = await createProject(target, { name: 'Mine' });
    expect(created.project.name).toBe('Mine');
    expect((await readdir(target)).sort()).toEqual(['assets', 'cache', 'project.json', 'renders']);
    const loaded = await loadProject(target);
    expect(loaded.project).toEqual(created.project);
    expect(loaded.warnings).toEqual([]);
  });

  it('refuses to overwrite an existing project', async () => {
    await createProject(dir);
    const e = await errorOf(createProject(dir, { name: 'Other' }));
    expect(e.reason).toMatch(/already exists/);
    expect((await loadProject(dir)).project.name).toBe('Untitled');
  });
});

describe('saveProject / loadProject', () => {
  it('round-trips a project and keeps the previous file as project.json.bak', async () => {
    const first = parseProject(sampleProject());
    await createProject(dir, { project: first });
    const firstText = await readFile(join(dir, 'project.json'), 'utf8');
    const second: Project = { ...first, name: 'Second' };
    await saveProject(dir, second);
    expect(await readFile(join(dir, 'project.json.bak'), 'utf8')).toBe(firstText);
    const loaded = await loadProject(dir);
    expect(loaded.project).toEqual(second);
    expect(loaded.migratedFrom).toBeUndefined();
    // Pictures of the sample do not exist in this folder: warnings, not a crash.
    expect(loaded.warnings.map((w) => w.field)).toEqual([
      'characters[0].picture',
      'characters[1].picture',
      'characters[1].mask',
      'characters[1].referenceFrames[0].picture',
    ]);
    expect(loaded.warnings[0]!.message).toBe('assets/hero.png does not exist');
    expect(await readdir(dir)).not.toContainEqual(expect.stringMatching(/\.tmp$/));
  });

  it('refuses to save an invalid project, naming the field, and changes nothing', async () => {
    await createProject(dir);
    const before = await readFile(join(dir, 'project.json'));
    const bad = parseProject(sampleProject());
    bad.render.segmentOverlap = 50;
    const e = await errorOf(saveProject(dir, bad));
    expect(e.field).toBe('render.segmentOverlap');
    expect(e.file).toBe(join(dir, 'project.json'));
    expect(await readFile(join(dir, 'project.json'))).toEqual(before);
    expect(await readdir(dir)).not.toContain('project.json.bak');
  });

  it('says why a save failed and which file', async () => {
    const e = await errorOf(
      saveProject(join(dir, 'gone'), parseProject({ version: PROJECT_VERSION })),
    );
    expect(e.message).toBe(
      `${join(dir, 'gone', 'project.json')}: project: cannot be saved (the project folder does not exist)`,
    );
  });

  it('serialises concurrent saves so .bak is always the file a save replaced', async () => {
    await createProject(dir, { name: 'v0' });
    const base = parseProject({ version: PROJECT_VERSION });
    await Promise.all([1, 2, 3, 4].map((n) => saveProject(dir, { ...base, name: `v${n}` })));
    expect((await loadProject(dir)).project.name).toBe('v4');
    expect(JSON.parse(await readFile(join(dir, 'project.json.bak'), 'utf8')).name).toBe('v3');
  });

  it('gives a clear error for corrupt JSON and leaves the file untouched', async () => {
    const file = join(dir, 'project.json');
    await writeFile(file, '{"version": 1, "name": "half-writ');
    const old = new Date('2020-01-01T00:00:00Z');
    await utimes(file, old, old);
    const e = await errorOf(loadProject(dir));
    expect(e.field).toBe('project');
    expect(e.reason).toMatch(/is not valid JSON/);
    expect(e.message).toContain(file);
    expect(await readFile(file, 'utf8')).toBe('{"version": 1, "name": "half-writ');
    expect((await stat(file)).mtime).toEqual(old);
    expect((await readdir(dir)).sort()).toEqual(['project.json']);
  });

  it('reads a hand-edited file with a byte-order mark and CRLF line ends', async () => {
    await writeFile(
      join(dir, 'project.json'),
      '\ufeff{\r\n  "version": 1,\r\n  "name": "Notepad"\r\n}\r\n',
    );
    expect((await loadProject(dir)).project.name).toBe('Notepad');
  });

  it('names the file and the field of an invalid project', async () => {
    const raw = sampleProject() as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    raw.tracks[0].people[1].keyframes[3].frame = 20;
    await writeFile(join(dir, 'project.json'), JSON.stringify(raw));
    const e = await errorOf(loadProject(dir));
    expect(e.field).toBe('tracks[0].people[1].keyframes[3].frame');
    expect(e.file).toBe(join(dir, 'project.json'));
  });

  it('says when a folder is not a project', async () => {
    const e = await errorOf(loadProject(dir));
    expect(e.reason).toMatch(/no project\.json/);
  });

  it('refuses a project from a newer version without touching it', async () => {
    const text = JSON.stringify({ ...sampleProject(), version: 99 });
    await writeFile(join(dir, 'project.json'), text);
    const e = await errorOf(loadProject(dir));
    expect(e.field).toBe('version');
    expect(e.message).toMatch(/project\.json: version: 99 is newer/);
    expect(await readFile(join(dir, 'project.json'), 'utf8')).toBe(text);
  });

  it('migrates a version-0 draft on load, leaving the file as it was until saved', async () => {
    const v0 = {
      name: 'Draft',
      output: { frames: { start: 0, end: 47 } },
      render: { segment: { length: 12, overlap: 2 } },
    };
    const text = JSON.stringify(v0);
    await writeFile(join(dir, 'project.json'), text);
    const loaded = await loadProject(dir);
    expect(loaded.migratedFrom).toBe(0);
    expect(loaded.project.output.range).toEqual({ from: 0, to: 48 });
    expect(await readFile(join(dir, 'project.json'), 'utf8')).toBe(text);
    await saveProject(dir, loaded.project);
    expect(await readFile(join(dir, 'project.json.bak'), 'utf8')).toBe(text);
    expect((await loadProject(dir)).migratedFrom).toBeUndefined();
  });

  it('opens the real version-1 sample with overlap as segmentOverlap; saving writes version 2 and keeps the old file', async () => {
    const text = await readFile(
      join(import.meta.dirname, '..', '..', 'fixtures', 'projects', 'sample-project-v1.json'),
      'utf8',
    );
    await writeFile(join(dir, 'project.json'), text);
    const loaded = await loadProject(dir);
    expect(loaded.migratedFrom).toBe(1);
    expect(loaded.project.render.segmentOverlap).toBe(0);
    expect(await readFile(join(dir, 'project.json'), 'utf8')).toBe(text);
    await saveProject(dir, loaded.project);
    const saved = JSON.parse(await readFile(join(dir, 'project.json'), 'utf8'));
    expect(saved.version).toBe(PROJECT_VERSION);
    expect(saved.render.segmentOverlap).toBe(0);
    expect(saved.render).not.toHaveProperty('overlap');
    expect(await readFile(join(dir, 'project.json.bak'), 'utf8')).toBe(text);
    expect((await loadProject(dir)).migratedFrom).toBeUndefined();
    // The committed sample is that file migrated (same project, format 2).
    const sample = await loadProject(
      join(import.meta.dirname, '..', '..', '..', 'assets', 'sample-project'),
    );
    expect(sample.migratedFrom).toBeUndefined();
    expect(sample.project).toEqual(loaded.project);
  });

  it('ignores a temp file left by a crashed save and cleans it up when stale', async () => {
    await createProject(dir, { name: 'Good' });
    const leftover = join(dir, '.project.json.4242.deadbeef.tmp');
    await writeFile(leftover, '{"version": 1, "name": "trunc');
    expect((await loadProject(dir)).project.name).toBe('Good');
    await saveProject(dir, parseProject({ version: PROJECT_VERSION, name: 'Next' }));
    expect(await readdir(dir)).toContain('.project.json.4242.deadbeef.tmp'); // young: maybe a live writer
    const old = new Date(Date.now() - 10 * 60_000);
    await utimes(leftover, old, old);
    await saveProject(dir, parseProject({ version: PROJECT_VERSION, name: 'Last' }));
    expect(await readdir(dir)).not.toContain('.project.json.4242.deadbeef.tmp');
    expect((await loadProject(dir)).project.name).toBe('Last');
  });

  it('warns about asset links that lead outside the project', async () => {
    const outside = join(dir, 'outside.png');
    await writeFile(outside, 'x');
    const projectDir = join(dir, 'p');
    await createProject(projectDir);
    await symlink(outside, join(projectDir, 'assets', 'hero.png'));
    const project = parseProject({
      ...sampleProject(),
      characters: [sampleProject().characters![0]!],
      render: {},
    });
    await saveProject(projectDir, project);
    const { warnings } = await loadProject(projectDir);
    expect(warnings).toEqual([
      {
        field: 'characters[0].picture',
        message:
          "assets/hero.png is a link to a file outside the project; copy the file into the project's assets folder",
      },
    ]);
  });
});

describe('atomicWrite', () => {
  it('replaces content and leaves no temp file', async () => {
    const file = join(dir, 'manifest.json');
    await atomicWrite(file, 'one');
    await atomicWrite(file, new TextEncoder().encode('two'));
    expect(await readFile(file, 'utf8')).toBe('two');
    expect(await readdir(dir)).toEqual(['manifest.json']);
  });

  it('cleans up its temp file when the rename fails', async () => {
    const target = join(dir, 'target');
    await mkdir(join(target, 'occupied'), { recursive: true });
    await expect(atomicWrite(target, 'data')).rejects.toThrow();
    expect((await readdir(dir)).sort()).toEqual(['target']);
  });
});

describe('importAsset', () => {
  it('copies a real photo under a safe, unique name and reuses identical copies', async () => {
    const photo = join(FIXTURES, 'photos', 'spin_im1010.jpg');
    const other = join(FIXTURES, 'photos', 'coco_val2017_000000000785.jpg');
    const a = await importAsset(dir, photo);
    expect(a).toBe('assets/spin_im1010.jpg');
    expect(await readFile(join(dir, a))).toEqual(await readFile(photo));
    expect(await importAsset(dir, photo)).toBe(a); // same bytes: reused

    const renamed = join(dir, 'My Photo!.JPG');
    await writeFile(renamed, await readFile(other));
    expect(await importAsset(dir, renamed)).toBe('assets/My-Photo.jpg');
    const clash = join(dir, 'My Photo?.jpg'); // same safe name, different bytes
    await writeFile(clash, 'different');
    expect(await importAsset(dir, clash)).toBe('assets/My-Photo-2.jpg');
    expect((await readdir(join(dir, 'assets'))).sort()).toEqual([
      'My-Photo-2.jpg',
      'My-Photo.jpg',
      'spin_im1010.jpg',
    ]);
  });

  it('refuses a missing source or a folder', async () => {
    await expect(importAsset(dir, join(dir, 'nope.png'))).rejects.toThrow(AssetImportError);
    await expect(importAsset(dir, FIXTURES)).rejects.toThrow(/is not a file/);
  });
});

describe('confinement of the project store', () => {
  /** A project folder and a user's folder next to it with a photo in it. */
  async function projectAndOutside(): Promise<{ projectDir: string; outside: string }> {
    const projectDir = join(dir, 'p');
    const outside = join(dir, 'outside');
    await mkdir(outside);
    await writeFile(
      join(outside, 'photo.jpg'),
      await readFile(join(FIXTURES, 'photos', 'spin_im1010.jpg')),
    );
    return { projectDir, outside };
  }

  it('importAsset does not copy into an assets/ folder linked to a user folder', async () => {
    const { projectDir, outside } = await projectAndOutside();
    await createProject(projectDir);
    await rm(join(projectDir, 'assets'), { recursive: true });
    await symlink(outside, join(projectDir, 'assets'));
    await expect(
      importAsset(projectDir, join(FIXTURES, 'photos', 'spin_im1010.jpg')),
    ).rejects.toThrow(/assets is a link to a folder outside the project/);
    expect(await readdir(outside)).toEqual(['photo.jpg']);
  });

  it('importAsset never reuses a same-named link to a file outside (it makes a real copy)', async () => {
    const { projectDir, outside } = await projectAndOutside();
    await createProject(projectDir);
    await symlink(join(outside, 'photo.jpg'), join(projectDir, 'assets', 'spin_im1010.jpg'));
    const path = await importAsset(projectDir, join(FIXTURES, 'photos', 'spin_im1010.jpg'));
    expect(path).toBe('assets/spin_im1010-2.jpg');
    expect((await lstat(join(projectDir, path))).isFile()).toBe(true);
  });

  it('createProject refuses a folder whose cache/ is a link to a user folder', async () => {
    const { projectDir, outside } = await projectAndOutside();
    await mkdir(projectDir);
    await symlink(outside, join(projectDir, 'cache'));
    await expect(createProject(projectDir)).rejects.toThrow(
      /cache is a link to a folder outside the project/,
    );
    expect(await readdir(outside)).toEqual(['photo.jpg']);
  });

  it('loadProject warns (at once) about a picture that is a named pipe', async () => {
    const { projectDir } = await projectAndOutside();
    await createProject(projectDir);
    execFileSync('mkfifo', [join(projectDir, 'assets', 'hero.png')]);
    await saveProject(
      projectDir,
      parseProject({
        ...sampleProject(),
        characters: [sampleProject().characters![0]!],
        render: {},
      }),
    );
    const { warnings } = await loadProject(projectDir);
    expect(warnings).toEqual([
      {
        field: 'characters[0].picture',
        message: 'assets/hero.png is a named pipe, not a file; replace it with a real file',
      },
    ]);
  });
});
