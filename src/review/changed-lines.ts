/**
 * Lines added or changed since a git ref, per file — the basis of `unscripted lint --changed-since`.
 *
 * Semantics follow reviewdog's `added` filter: a finding is kept when it touches a line that the
 * diff adds or changes; a new file counts as changed as a whole; deleted lines mark nothing (there
 * is nothing left to lint), and a file that was only renamed has no changed lines.
 *
 * What "since REF" means:
 * - the diff starts at the merge base of REF and HEAD (what a pull request shows: the changes made
 *   on this branch, not the ones that landed on the base meanwhile);
 * - in a shallow clone the merge base may not be reachable; then the diff starts at REF itself and
 *   a note says so. On GitHub a pull request is checked out as its merge commit, whose first parent
 *   is the base tip, so this is exact there too;
 * - by default it ends at the working tree, so staged and unstaged edits and untracked (not ignored)
 *   files count, as they do for a writer running the command locally; in CI the working tree is HEAD.
 *
 * Only `git` through execFile, never a shell.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { GitError, systemGit, unquoteGitPath, type Git } from './git';

/** A run of changed lines, 1-based and inclusive. */
export interface LineRange {
  start: number;
  end: number;
}

export type ChangeStatus = 'added' | 'modified' | 'renamed' | 'copied' | 'typechange' | 'untracked';

export interface FileChange {
  /** Absolute path in the working tree. */
  file: string;
  /** Path relative to the repository root, with forward slashes. */
  relPath: string;
  status: ChangeStatus;
  /** The file is new: every line counts as changed. */
  whole: boolean;
  /** Added or changed lines (sorted, merged). Empty for a pure rename or a deletion-only edit. */
  ranges: LineRange[];
  /** For renames and copies, the path (relative to the repository root) it had at the base. */
  oldRelPath?: string;
}

export interface ChangedLines {
  /** Absolute, real path of the repository's top level. */
  repoRoot: string;
  /** The ref as the user gave it. */
  ref: string;
  /** The commit the diff starts from. */
  base: string;
  /** `merge-base` when the diff starts at the merge base of REF and HEAD, `ref` when at REF itself. */
  baseMode: 'merge-base' | 'ref';
  /** Whether staged, unstaged and untracked changes are part of the diff. */
  includesWorkingTree: boolean;
  /** Changed files by absolute path. Deleted files are not listed here but in `deleted`. */
  files: Map<string, FileChange>;
  /** Paths (relative to the repository root) of files deleted since the base. */
  deleted: string[];
  /** Things the user should know (e.g. the merge base could not be found in a shallow clone). */
  notes: string[];
}

export interface ChangedLinesOptions {
  /** Diff against the working tree (staged, unstaged and untracked files count). Default true. */
  includeWorkingTree?: boolean;
  /** The git to ask (default: the `git` executable). */
  git?: Git;
}

/** The ref is not a commit this repository knows. The message says how to fix it. */
export class RefNotFoundError extends Error {
  constructor(
    readonly ref: string,
    message: string,
  ) {
    super(message);
    this.name = 'RefNotFoundError';
  }
}

/** The directory is not inside a git work tree, or git is missing. */
export class NotAGitRepositoryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NotAGitRepositoryError';
  }
}

export async function repoTopLevel(dir: string, g: Git = systemGit): Promise<string> {
  let res;
  try {
    res = await g.run(['rev-parse', '--show-toplevel'], { cwd: dir, allowFailure: true });
  } catch (e) {
    if (e instanceof GitError) throw new NotAGitRepositoryError(`${e.message}; reviewing changes needs git`);
    throw new NotAGitRepositoryError(`cannot run git in ${dir}: ${(e as Error).message}`);
  }
  if (res.code !== 0 || !res.stdout.trim()) {
    // Say what git said when it is not the usual "not a git repository" (e.g. "dubious ownership"
    // in a container whose checkout belongs to another user: git config --global --add safe.directory).
    const said = res.stderr.trim().split('\n')[0] ?? '';
    const detail = said && !/not a git repository/i.test(said) ? ` (git: ${said.replace(/^fatal:\s*/, '')})` : '';
    throw new NotAGitRepositoryError(`${dir} is not inside a git repository; reviewing changes needs git${detail}`);
  }
  return realpath(res.stdout.trim());
}

export async function isShallow(repoRoot: string, g: Git = systemGit): Promise<boolean> {
  const res = await g.run(['rev-parse', '--is-shallow-repository'], { cwd: repoRoot, allowFailure: true });
  return res.stdout.trim() === 'true';
}

/** Resolve REF to a commit id, or throw RefNotFoundError with a message that says what to do. */
export async function resolveCommit(repoRoot: string, ref: string, g: Git = systemGit): Promise<string> {
  if (!ref || ref.startsWith('-') || /[\0\n]/.test(ref)) {
    throw new RefNotFoundError(ref, `invalid git ref ${JSON.stringify(ref)}`);
  }
  const res = await g.run(['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], { cwd: repoRoot, allowFailure: true });
  const sha = res.stdout.trim();
  if (res.code === 0 && /^[0-9a-f]{40,64}$/.test(sha)) return sha;
  throw new RefNotFoundError(ref, await missingRefMessage(repoRoot, ref, g));
}

async function missingRefMessage(repoRoot: string, ref: string, g: Git): Promise<string> {
  const shallow = await isShallow(repoRoot, g).catch(() => false);
  const m = /^(?:refs\/remotes\/)?([^/]+)\/(.+)$/.exec(ref);
  const remotes = (await g.run(['remote'], { cwd: repoRoot, allowFailure: true })).stdout.split('\n').filter(Boolean);
  let fetch: string;
  if (m && remotes.includes(m[1])) fetch = `git fetch --depth=1 ${m[1]} ${m[2]}`;
  else if (remotes.length > 0) fetch = `git fetch --depth=1 ${remotes.includes('origin') ? 'origin' : remotes[0]} ${ref}`;
  else fetch = `git fetch <remote> ${ref}`;
  const lines = [`git ref "${ref}" was not found in ${repoRoot}.`];
  if (shallow) {
    lines.push(`This is a shallow clone, which holds only part of the history: fetch the base first, e.g. \`${fetch}\`.`);
  } else {
    lines.push(`Check the name (a branch, tag or commit id), or fetch it first, e.g. \`${fetch}\`.`);
  }
  lines.push('In GitHub Actions, use actions/checkout with fetch-depth: 0, or fetch the base branch before running.');
  return lines.join(' ');
}

/** Compute the changed lines of every file since REF (see the module comment for what that means). */
export async function changedLinesSince(dir: string, ref: string, opts: ChangedLinesOptions = {}): Promise<ChangedLines> {
  const g = opts.git ?? systemGit;
  const repoRoot = await repoTopLevel(dir, g);
  const includesWorkingTree = opts.includeWorkingTree ?? true;
  const refSha = await resolveCommit(repoRoot, ref, g);
  const notes: string[] = [];

  let base = refSha;
  let baseMode: ChangedLines['baseMode'] = 'ref';
  const head = await g.run(['rev-parse', '--verify', '--quiet', 'HEAD^{commit}'], { cwd: repoRoot, allowFailure: true });
  const headSha = head.stdout.trim();
  if (head.code === 0 && headSha) {
    const mb = await g.run(['merge-base', refSha, headSha], { cwd: repoRoot, allowFailure: true });
    if (mb.code === 0 && mb.stdout.trim()) {
      base = mb.stdout.trim().split('\n')[0];
      baseMode = 'merge-base';
    } else {
      const shallow = await isShallow(repoRoot, g);
      notes.push(
        shallow
          ? `no merge base of ${ref} and HEAD in this shallow clone; comparing with ${ref} itself (fetch more history, or check out the pull request's merge commit, for an exact diff)`
          : `${ref} and HEAD share no history; comparing with ${ref} itself`,
      );
    }
  } else {
    notes.push('HEAD has no commit yet; comparing the working tree with the ref');
  }

  const endArgs = includesWorkingTree ? [base] : [base, headSha || 'HEAD'];
  // Posts are short and share their front matter, so git's default 50% similarity pairs unrelated
  // posts as renames; 75% keeps real renames (with small edits) and leaves new posts whole.
  const common = ['--no-color', '--no-ext-diff', '--no-textconv', '--no-relative', '-M75%'];

  // Statuses first (NUL-separated, so any path survives), then the zero-context patch for line numbers.
  const nameStatus = await g.run(['diff', ...common, '--name-status', '-z', ...endArgs, '--'], { cwd: repoRoot });
  const files = new Map<string, FileChange>();
  const deleted: string[] = [];
  const byRel = new Map<string, FileChange>();
  const tokens = nameStatus.stdout.split('\0');
  for (let i = 0; i < tokens.length;) {
    const status = tokens[i++];
    if (!status) continue;
    const kind = status[0];
    let oldRel: string | undefined;
    let rel: string;
    if (kind === 'R' || kind === 'C') {
      oldRel = tokens[i++];
      rel = tokens[i++];
    } else {
      rel = tokens[i++];
    }
    if (rel === undefined || kind === 'U' || kind === 'X') continue;
    if (kind === 'D') {
      deleted.push(rel);
      continue;
    }
    const st: ChangeStatus =
      kind === 'A' ? 'added' : kind === 'R' ? 'renamed' : kind === 'C' ? 'copied' : kind === 'T' ? 'typechange' : 'modified';
    const change: FileChange = {
      file: path.join(repoRoot, rel),
      relPath: rel,
      status: st,
      whole: kind === 'A',
      ranges: [],
      ...(oldRel !== undefined ? { oldRelPath: oldRel } : {}),
    };
    files.set(change.file, change);
    byRel.set(rel, change);
  }

  const patch = await g.run(['diff', ...common, '--unified=0', '--src-prefix=a/', '--dst-prefix=b/', ...endArgs, '--'], {
    cwd: repoRoot,
  });
  let current: FileChange | undefined;
  for (const line of patch.stdout.split('\n')) {
    if (line.startsWith('diff --git ')) {
      current = undefined;
    } else if (line.startsWith('+++ ')) {
      const target = unquoteGitPath(line.slice(4).replace(/\t$/, ''));
      current = target.startsWith('b/') ? byRel.get(target.slice(2)) : undefined;
    } else if (line.startsWith('@@') && current) {
      const m = /^@@+ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@/.exec(line);
      if (!m) continue;
      const start = Number(m[1]);
      const count = m[2] === undefined ? 1 : Number(m[2]);
      if (count > 0) current.ranges.push({ start, end: start + count - 1 });
    }
  }

  if (includesWorkingTree) {
    const untracked = await g.run(['ls-files', '--others', '--exclude-standard', '-z'], { cwd: repoRoot });
    for (const rel of untracked.stdout.split('\0')) {
      if (!rel) continue;
      const file = path.join(repoRoot, rel);
      if (files.has(file)) continue;
      files.set(file, { file, relPath: rel, status: 'untracked', whole: true, ranges: [] });
    }
  }

  for (const change of files.values()) change.ranges = mergeRanges(change.ranges);
  return { repoRoot, ref, base, baseMode, includesWorkingTree, files, deleted, notes };
}

export function mergeRanges(ranges: LineRange[]): LineRange[] {
  const sorted = [...ranges].sort((a, b) => a.start - b.start || a.end - b.end);
  const out: LineRange[] = [];
  for (const r of sorted) {
    const last = out[out.length - 1];
    if (last && r.start <= last.end + 1) last.end = Math.max(last.end, r.end);
    else out.push({ ...r });
  }
  return out;
}

const realpathCache = new Map<string, string>();
function realpath(p: string): string {
  const abs = path.resolve(p);
  const hit = realpathCache.get(abs);
  if (hit !== undefined) return hit;
  let real: string;
  try {
    real = fs.realpathSync.native(abs);
  } catch {
    // The file may not exist (e.g. linted from stdin): resolve its folder instead.
    try {
      real = path.join(fs.realpathSync.native(path.dirname(abs)), path.basename(abs));
    } catch {
      real = abs;
    }
  }
  realpathCache.set(abs, real);
  return real;
}

/** The change record of a file, whatever form (symlinked, relative to cwd) its path comes in. */
export function changeFor(changed: ChangedLines, file: string): FileChange | undefined {
  return changed.files.get(path.resolve(file)) ?? changed.files.get(realpath(file));
}

/** Whether any line from `line` to `endLine` (inclusive, 1-based) of the file was added or changed. */
export function touchesChangedLines(change: FileChange, line: number, endLine: number = line): boolean {
  if (change.whole) return true;
  const lo = Math.min(line, endLine);
  const hi = Math.max(line, endLine);
  for (const r of change.ranges) {
    if (r.start > hi) return false;
    if (r.end >= lo) return true;
  }
  return false;
}

/** The lines a finding covers: start..end, not counting an end that sits at column 1 of the next line. */
export function findingLines(f: { line: number; endLine?: number; endColumn?: number }): [number, number] {
  let end = f.endLine ?? f.line;
  if (end > f.line && f.endColumn === 1) end -= 1;
  return [f.line, Math.max(f.line, end)];
}

/**
 * Keep only the findings that touch a line added or changed since the ref (all of them for a new
 * file) and only the results of changed files. Works on the core's LintResult or anything shaped
 * like it.
 */
export function filterToChangedLines<
  F extends { line: number; endLine?: number; endColumn?: number },
  R extends { file: string; findings: F[] },
>(results: R[], changed: ChangedLines): R[] {
  const out: R[] = [];
  for (const r of results) {
    const change = changeFor(changed, r.file);
    if (!change) continue;
    const findings = r.findings.filter((f) => {
      const [lo, hi] = findingLines(f);
      return touchesChangedLines(change, lo, hi);
    });
    out.push({ ...r, findings });
  }
  return out;
}
