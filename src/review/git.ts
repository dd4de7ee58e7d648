/**
 * A thin, shell-free wrapper over the `git` executable for the review features.
 * Every call goes through execFile (no shell), with a fixed locale so messages parse the same
 * everywhere, and with optional locks off so a review never blocks an editor's git.
 */
import { execFile, spawn } from 'node:child_process';

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

export interface TreeEntry {
  mode: string;
  type: string;
  sha: string;
  /** Path relative to the repository root. */
  path: string;
}

/** Files of a commit under some folders (relative to the repository root), recursively. */
export async function listTree(repoRoot: string, commit: string, folders: readonly string[]): Promise<TreeEntry[]> {
  const specs = folders.map((f) => (f === '' || f === '.' ? '.' : f.replace(/\/+$/, '') + '/'));
  const res = await git(['ls-tree', '-r', '-z', '--full-tree', commit, '--', ...specs], { cwd: repoRoot });
  const out: TreeEntry[] = [];
  for (const rec of res.stdout.split('\0')) {
    if (!rec) continue;
    const tab = rec.indexOf('\t');
    const [mode, type, sha] = rec.slice(0, tab).split(' ');
    out.push({ mode, type, sha, path: rec.slice(tab + 1) });
  }
  return out;
}

/** Read many blobs in one `git cat-file --batch` process. */
export function readBlobs(repoRoot: string, shas: readonly string[]): Promise<Map<string, Buffer>> {
  const wanted = [...new Set(shas)];
  if (wanted.length === 0) return Promise.resolve(new Map<string, Buffer>());
  return new Promise((resolve, reject) => {
    const child = spawn('git', ['cat-file', '--batch'], {
      cwd: repoRoot,
      env: { ...process.env, LC_ALL: 'C', GIT_OPTIONAL_LOCKS: '0' },
      stdio: ['pipe', 'pipe', 'pipe'],
      windowsHide: true,
    });
    const chunks: Buffer[] = [];
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => chunks.push(c));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) {
        reject(new GitError(`git cat-file failed: ${stderr.trim()}`, ['cat-file', '--batch'], code, stderr));
        return;
      }
      const buf = Buffer.concat(chunks);
      const out = new Map<string, Buffer>();
      let pos = 0;
      while (pos < buf.length) {
        const nl = buf.indexOf(0x0a, pos);
        if (nl < 0) break;
        const header = buf.subarray(pos, nl).toString('utf8');
        const [sha, type, sizeRaw] = header.split(' ');
        if (type === 'missing' || sizeRaw === undefined) {
          pos = nl + 1;
          continue;
        }
        const size = Number(sizeRaw);
        out.set(sha, buf.subarray(nl + 1, nl + 1 + size));
        pos = nl + 1 + size + 1;
      }
      resolve(out);
    });
    child.stdin.end(wanted.join('\n') + '\n');
  });
}

/** What review needs of git — run a command, list a commit's files, read blobs — so callers can stand in another. */
export interface Git {
  run(args: readonly string[], opts: GitRunOptions): Promise<GitRunResult>;
  listTree(repoRoot: string, commit: string, folders: readonly string[]): Promise<TreeEntry[]>;
  readBlobs(repoRoot: string, shas: readonly string[]): Promise<Map<string, Buffer>>;
}

/** The `git` executable. */
export const systemGit: Git = { run: git, listTree, readBlobs };
