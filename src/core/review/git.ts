/**
 * A thin, shell-free wrapper over the `git` executable for the review features.
 * Every call goes through execFile (no shell), with a fixed locale so messages parse the same
 * everywhere, and with optional locks off so a review never blocks an editor's git.
 */
import { execFile } from 'node:child_process';

export class GitError extends Error {
  constructor(
    message: string,
    readonly args: readonly string[],
    readonly exitCode: number | null,
    readonly stderr: string,
  ) {
    super(message);
    this.name = 'GitError';
  }
}

export interface GitRunOptions {
  cwd: string;
  /** Resolve with the result instead of rejecting when git exits non-zero. */
  allowFailure?: boolean;
  /** Return stdout as a Buffer (for file contents that may not be UTF-8). */
  encoding?: 'utf8' | 'buffer';
}

export interface GitRunResult {
  stdout: string;
  stderr: string;
  code: number;
}

const MAX_BUFFER = 256 * 1024 * 1024;

export function git(args: readonly string[], opts: GitRunOptions): Promise<GitRunResult> {
  return new Promise((resolve, reject) => {
    execFile(
      'git',
      ['-c', 'core.quotePath=false', '-c', 'color.ui=false', ...args],
      {
        cwd: opts.cwd,
        maxBuffer: MAX_BUFFER,
        encoding: 'utf8',
        env: { ...process.env, LC_ALL: 'C', LANG: 'C', GIT_OPTIONAL_LOCKS: '0', GIT_TERMINAL_PROMPT: '0' },
        windowsHide: true,
      },
      (err, stdout, stderr) => {
        if (err) {
          const e = err as NodeJS.ErrnoException & { code?: unknown };
          if (e.code === 'ENOENT') {
            reject(new GitError('git is not installed or not on PATH', args, null, ''));
            return;
          }
          const code = typeof e.code === 'number' ? e.code : 1;
          if (opts.allowFailure) {
            resolve({ stdout, stderr, code });
            return;
          }
          reject(new GitError(`git ${args.join(' ')} failed: ${stderr.trim() || err.message}`, args, code, stderr));
          return;
        }
        resolve({ stdout, stderr, code: 0 });
      },
    );
  });
}

/** Undo git's C-style quoting of a path ("a\tb", "caf\303\251"). Unquoted input is returned as is. */
export function unquoteGitPath(p: string): string {
  if (!(p.length >= 2 && p.startsWith('"') && p.endsWith('"'))) return p;
  const body = p.slice(1, -1);
  const bytes: number[] = [];
  const pushStr = (s: string) => {
    for (const b of Buffer.from(s, 'utf8')) bytes.push(b);
  };
  for (let i = 0; i < body.length; i++) {
    const ch = body[i];
    if (ch !== '\\') {
      pushStr(ch);
      continue;
    }
    const next = body[++i];
    if (next === undefined) break;
    if (/[0-7]/.test(next)) {
      const oct = body.slice(i, i + 3);
      bytes.push(parseInt(oct, 8));
      i += 2;
      continue;
    }
    const map: Record<string, string> = { n: '\n', t: '\t', r: '\r', '"': '"', '\\': '\\', a: '\x07', b: '\b', f: '\f', v: '\v' };
    pushStr(map[next] ?? next);
  }
  return Buffer.from(bytes).toString('utf8');
}
