import {
  ApiError,
  describeIssues,
  settingsPatchSchema,
  settingsSchema,
  type RecentProject,
  type Settings,
  type SettingsPatch,
  type WindowState,
} from '#shared/api/index';

/**
 * Where the settings object lives: electron-store in the desktop app, conf in serve mode, a plain
 * object in tests. Only whole-object reads and writes, so validation happens in one place.
 */
export interface SettingsBackend {
  read(): unknown;
  write(value: Settings): void;
}

const MAX_RECENT = 10;

/** Schema-validated settings over any backend. */
export class SettingsService {
  private current: Settings;
  private readonly listeners = new Set<(s: Settings) => void>();

  constructor(private readonly backend: SettingsBackend) {
    this.current = SettingsService.load(backend.read());
  }

  /**
   * A file edited by hand or by an older version must never stop the app: invalid fields fall
   * back to their defaults one by one, valid ones are kept.
   */
  static load(raw: unknown): Settings {
    const whole = settingsSchema.safeParse(raw ?? {});
    if (whole.success) return whole.data;
    const obj = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
    const kept: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(obj)) {
      if (!(key in settingsSchema.shape)) continue;
      const field = settingsSchema.shape[key as keyof Settings];
      if (field.safeParse(value).success) kept[key] = value;
    }
    return settingsSchema.parse(kept);
  }

  get(): Settings {
    return structuredClone(this.current);
  }

  update(patch: SettingsPatch): Settings {
    const p = settingsPatchSchema.safeParse(patch);
    if (!p.success)
      throw new ApiError('bad-request', `settings: ${describeIssues(p.error.issues, 'patch')}`);
    return this.replace({ ...this.current, ...p.data });
  }

  rememberProject(project: Omit<RecentProject, 'openedAt'>, now = new Date()): Settings {
    const rest = this.current.recentProjects.filter((r) => r.path !== project.path);
    const recent = [{ ...project, openedAt: now.toISOString() }, ...rest].slice(0, MAX_RECENT);
    return this.replace({ ...this.current, recentProjects: recent });
  }

  setWindowState(window: WindowState): void {
    this.replace({ ...this.current, window });
  }

  onChange(listener: (s: Settings) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private replace(next: Settings): Settings {
    const valid = settingsSchema.parse(next);
    this.backend.write(valid);
    this.current = valid;
    for (const l of this.listeners) l(this.get());
    return this.get();
  }
}

/** In-memory backend (tests, and a fallback when no config folder is writable). */
export function memorySettingsBackend(initial: unknown = {}): SettingsBackend {
  let value: unknown = initial;
  return { read: () => value, write: (v) => void (value = structuredClone(v)) };
}
