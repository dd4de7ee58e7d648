/**
 * Small real git repositories in temp folders for the review tests.
 * Git runs with a fixed identity and without the user's global or system config.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const GIT_ENV: NodeJS.ProcessEnv = {
  ...process.env,
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: os.devNull,
  GIT_AUTHOR_NAME: 'Test Writer',
  GIT_AUTHOR_EMAIL: 'writer@example.invalid',
  GIT_COMMITTER_NAME: 'Test Writer',
  GIT_COMMITTER_EMAIL: 'writer@example.invalid',
  GIT_AUTHOR_DATE: '2026-01-01T00:00:00Z',
  GIT_COMMITTER_DATE: '2026-01-01T00:00:00Z',
  LC_ALL: 'C',
};

export function sh(cwd: string, args: string[]): string {
  return execFileSync('git', args, { cwd, env: GIT_ENV, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

export class TempRepo {
  readonly dir: string;
  constructor(prefix = 'unscripted-review-', dir?: string) {
    this.dir = dir ?? fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), prefix)));
  }
  static init(prefix?: string): TempRepo {
    const r = new TempRepo(prefix);
    r.git('init', '-q', '-b', 'main');
    return r;
  }
  git(...args: string[]): string {
    return sh(this.dir, args);
  }
  write(rel: string, text: string): string {
    const file = path.join(this.dir, rel);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
    return file;
  }
  read(rel: string): string {
    return fs.readFileSync(path.join(this.dir, rel), 'utf8');
  }
  remove(rel: string): void {
    fs.rmSync(path.join(this.dir, rel), { force: true });
  }
  path(rel: string): string {
    return path.join(this.dir, rel);
  }
  commitAll(message: string): string {
    this.git('add', '-A');
    this.git('commit', '-q', '--allow-empty', '-m', message);
    return this.git('rev-parse', 'HEAD').trim();
  }
  cleanup(): void {
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Lines 1..n as "line 1\n" … */
export function numbered(n: number, prefix = 'line'): string {
  return Array.from({ length: n }, (_, i) => `${prefix} ${i + 1}\n`).join('');
}
