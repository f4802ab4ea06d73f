import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

export const repoRoot = resolve(import.meta.dirname, '..', '..');
export const artifactsDir = join(repoRoot, 'test-artifacts', 'e2e');

/** Debian's Chromium, never a downloaded browser. */
export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

export function screenshotPath(name: string): string {
  mkdirSync(artifactsDir, { recursive: true });
  return join(artifactsDir, `${name}.png`);
}

export interface ServeProcess {
  url: string;
  child: ChildProcess;
  output(): string;
  stop(): Promise<void>;
}

/**
 * Starts the real `pose-studio serve` as a child process (the same program a user runs) and
 * waits for the URL it prints. `--no-build`: the global setup built the UI once.
 */
export async function startServe(args: string[], timeoutMs = 30_000): Promise<ServeProcess> {
  const child = spawn(
    process.execPath,
    [join(repoRoot, 'bin', 'pose-studio.js'), 'serve', '--no-build', ...args],
    {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, FORCE_COLOR: '0' },
    },
  );
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const url = await new Promise<string>((resolvePromise, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`serve did not start in ${timeoutMs} ms:\n${out}`)),
      timeoutMs,
    );
    const check = () => {
      const m = /running at (http:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolvePromise(m[1]!);
      }
    };
    child.stdout!.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`serve exited with ${code}:\n${out}`));
    });
  });
  return {
    url,
    child,
    output: () => out,
    stop: () =>
      new Promise<void>((r) => {
        if (child.exitCode !== null) return r();
        child.once('exit', () => r());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 5000).unref();
      }),
  };
}

/**
 * Builds the UI bundle once for all e2e files (vitest runs files in parallel workers, so a lock
 * folder makes the others wait instead of building the same output at the same time).
 */
export async function buildUiOnce(): Promise<void> {
  const { mkdir, rmdir } = await import('node:fs/promises');
  const { ensureRendererBuilt } = await import('#main/host/rendererBuild');
  const lock = join(repoRoot, 'out', '.renderer-build.lock');
  await mkdir(join(repoRoot, 'out'), { recursive: true });
  const deadline = Date.now() + 120_000;
  for (;;) {
    try {
      await mkdir(lock);
      break;
    } catch {
      if (Date.now() > deadline) throw new Error(`stale lock ${lock}: remove it`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  try {
    await ensureRendererBuilt();
  } finally {
    await rmdir(lock);
  }
}

/** A non-loopback IPv4 address of this machine, or 0.0.0.0 (all interfaces) if it has none. */
export async function nonLoopbackAddress(): Promise<{ bind: string; connect: string }> {
  const { networkInterfaces } = await import('node:os');
  for (const list of Object.values(networkInterfaces())) {
    for (const a of list ?? []) {
      if (a.family === 'IPv4' && !a.internal) return { bind: a.address, connect: a.address };
    }
  }
  return { bind: '0.0.0.0', connect: '127.0.0.1' };
}

/** One e2e file's studio: a temp copy of the sample project, `pose-studio serve` and a page. */
export interface StudioSession {
  work: string;
  projectDir: string;
  serve: ServeProcess;
  browser: Browser;
  page: Page;
  /** Uncaught page errors and console errors; a test expects none. */
  pageErrors: string[];
  close(): Promise<void>;
}

export async function openStudio(
  name: string,
  viewport: { width: number; height: number },
): Promise<StudioSession> {
  const work = mkdtempSync(join(tmpdir(), `ps-e2e-${name}-`));
  const projectDir = join(work, 'sample-project');
  let serve: ServeProcess | undefined;
  let browser: Browser | undefined;
  const close = async () => {
    await browser?.close();
    await serve?.stop();
    rmSync(work, { recursive: true, force: true });
  };
  try {
    cpSync(join(repoRoot, 'assets', 'sample-project'), projectDir, { recursive: true });
    await buildUiOnce();
    serve = await startServe(['--port', '0', '--settings-dir', join(work, 'settings')]);
    browser = await launchChromium();
    const page = await browser.newPage({ viewport });
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error') pageErrors.push(m.text());
    });
    return { work, projectDir, serve, browser, page, pageErrors, close };
  } catch (e) {
    await close();
    throw e;
  }
}
