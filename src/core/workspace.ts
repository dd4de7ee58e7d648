/**
 * The workspace model: a folder (usually a git repo) with `playbooks/` and `posts/`. It loads
 * the playbook, keeps an index of every post for the cross-post rules, and lints files or
 * editor buffers with the one engine.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Playbook } from './playbook';
import { lintPost, loadPlaybookSync } from './engine';
import type { Rule } from './rule-contract';
import { BUILTIN_RULES } from './rules';
import { PostIndex, postSentenceKeys, type IndexedPost, type LintTrace } from './post-index';
import { parsePost, ParsedPost } from './post';
import type { Finding } from './types';
import { MAX_POST_FILE_BYTES, utf16Problem } from './limits';

export interface LintResult {
  /** Absolute path. */
  file: string;
  findings: Finding[];
  post?: ParsedPost;
}

export interface LintOptions {
  now?: Date;
  /**
   * lintFiles only: leave `post` out of the results, so each post's parse can be let go once
   * it is linted and memory holds the findings, not every post's parse (the CLI's plain lint).
   */
  findingsOnly?: boolean;
  /** Record what the rules read of the clock and the index (for the lint cache, lint-cache.ts). */
  trace?: LintTrace;
}

/**
 * Earlier lint results to reuse (lint-cache.ts): what the index pass and the lint pass of a
 * workspace lint ask of them. The workspace stays the one place that reads and lints posts.
 */
export interface LintStore {
  /** Put the post in the index from a stored entry for exactly this text; false when there is none. */
  indexFromStore(file: string, text: string, index: PostIndex): boolean;
  /** The stored findings of the post while they still hold, else `lint(trace)`'s, remembered. */
  lint(file: string, text: string, lint: (trace: LintTrace) => LintResult, index: PostIndex): LintResult;
}

/** Larger files are not posts: reported, not parsed. */
export const MAX_POST_BYTES = MAX_POST_FILE_BYTES;

/** Never posts, at any depth. */
const SKIP_ALWAYS = new Set(['node_modules', '.git']);
/** Build and tool output at the top of a folder being walked. */
const SKIP_TOP = new Set(['outbox', 'out', 'dist', '.e2e', '.pds', '.vscode-test']);

const isMarkdownName = (name: string) => /\.(md|markdown)$/i.test(name);

/**
 * Markdown files below `dir`. Links are followed only inside `within` (the workspace; real
 * paths); a link out of it, a dangling link or loop named *.md, a folder named *.md and a folder
 * that cannot be read are listed too, so that reading them gives one clear message each.
 */
function walkMarkdown(dir: string, out: string[], skipTop: boolean, within?: string, seen = new Set<string>(), top = true): void {
  let real: string;
  try {
    real = fs.realpathSync(dir);
  } catch {
    if (!top) out.push(dir);
    return;
  }
  if (seen.has(real)) return; // a symlink loop
  seen.add(real);
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    if (fs.existsSync(dir)) out.push(dir); // unreadable: reported when read
    return;
  }
  for (const e of entries) {
    if (e.name.startsWith('.')) continue;
    const p = path.join(dir, e.name);
    let isDir = e.isDirectory();
    let isFile = e.isFile();
    if (e.isSymbolicLink()) {
      let target: string;
      try {
        target = fs.realpathSync(p);
        const st = fs.statSync(p);
        isDir = st.isDirectory();
        isFile = st.isFile();
      } catch {
        if (isMarkdownName(e.name)) out.push(p); // a dangling link or a loop: reported when read
        continue;
      }
      if (within && !isInside(target, within)) {
        if (isMarkdownName(e.name) || isDir) out.push(p); // not followed: reported when read
        continue;
      }
    }
    if (isDir && isMarkdownName(e.name)) out.push(p);
    else if (isDir) {
      if (!SKIP_ALWAYS.has(e.name) && !(skipTop && SKIP_TOP.has(e.name))) walkMarkdown(p, out, false, within, seen, false);
    } else if (isFile && isMarkdownName(e.name)) out.push(p);
  }
}

/**
 * Markdown files below `dir` by the one walk the workspace uses (dot folders and node_modules
 * skipped, links followed only inside `within`): for the CLI's glob arguments.
 */
export function markdownBelow(dir: string, within: string): string[] {
  const out: string[] = [];
  walkMarkdown(dir, out, false, realOr(within));
  return out;
}

function isInside(file: string, dir: string): boolean {
  return file === dir || file.startsWith(dir.endsWith(path.sep) ? dir : dir + path.sep);
}

function realOr(p: string): string {
  try {
    return fs.realpathSync(p);
  } catch {
    return path.resolve(p);
  }
}

/** The finding for a problem with the file itself (too large, binary, unreadable): rule `file`, at 1:1. */
export function fileProblemFinding(message: string): Finding {
  return {
    ruleId: 'file',
    severity: 'error',
    message,
    line: 1,
    column: 1,
    endLine: 1,
    endColumn: 1,
    offset: 0,
    endOffset: 0,
    suggestions: [],
  };
}

function fileProblem(file: string, message: string): LintResult {
  return { file, findings: [fileProblemFinding(message)] };
}

/** Why a text cannot be linted as a post, if it cannot. */
export function unlintable(text: string, bytes = Buffer.byteLength(text)): string | undefined {
  if (bytes > MAX_POST_BYTES)
    return `File is too large to be a post (${(bytes / 1024 / 1024).toFixed(1)} MiB; the limit is 1 MiB): not linted`;
  if (text.includes('\u0000')) return 'File is binary, not Markdown: not linted';
  return undefined;
}

export class Workspace {
  /** Every post of the workspace, for the cross-post rules: the index each lint hands the rules (RuleContext.index). */
  readonly index = new PostIndex();
  private indexed = false;
  rules: readonly Rule[] = BUILTIN_RULES;

  private constructor(
    readonly root: string,
    public playbook: Playbook,
    private readonly playbookDir?: string,
    private readonly cache?: boolean | string,
  ) {}

  /** Open a workspace folder and load its playbook. `cache`: use the compiled-playbook cache (see core/playbook-cache.ts). */
  static open(root: string, opts: { playbookDir?: string; cache?: boolean | string } = {}): Workspace {
    const abs = path.resolve(root);
    return new Workspace(
      abs,
      loadPlaybookSync({ workspaceRoot: abs, playbookDir: opts.playbookDir, cache: opts.cache }),
      opts.playbookDir,
      opts.cache,
    );
  }

  /** How this workspace was opened: another thread opens the same one from these (parallel-lint.ts). */
  get openOptions(): { playbookDir?: string; cache?: boolean | string } {
    return { playbookDir: this.playbookDir, cache: this.cache };
  }

  /** The files the index reads for a lint of `files`: every post, then any named file that is not one (serial order). */
  indexOrder(files: string[]): string[] {
    return [...new Set(this.indexed ? files : [...this.listPosts(), ...files])];
  }

  /** Forget the index (the next lint reads every post again). */
  resetIndex(): void {
    this.index.clear();
    this.indexed = false;
  }

  /** Take a complete index built elsewhere (by the threads of a parallel lint), in the order given, in place of this one. */
  adoptIndex(entries: IndexedPost[]): void {
    this.index.clear();
    for (const e of entries) this.index.setParsed(e.file, e.meta, e.sentences);
    this.indexed = true;
  }

  reloadPlaybook(): void {
    this.playbook = loadPlaybookSync({ workspaceRoot: this.root, playbookDir: this.playbookDir, cache: this.cache });
  }

  /** Is this file part of the playbook in use (rather than a post)? */
  isPlaybookFile(file: string): boolean {
    const abs = path.resolve(file);
    return this.playbook.files.includes(abs) || (path.dirname(abs) === path.resolve(this.playbook.dir) && /\.md$/i.test(abs));
  }

  /** Posts of the workspace: posts/**, and sample posts beside a playbook that lives in the workspace. */
  listPosts(): string[] {
    const out: string[] = [];
    const within = realOr(this.root);
    walkMarkdown(path.join(this.root, 'posts'), out, false, within);
    const pbDir = path.resolve(this.playbook.dir);
    if (pbDir.startsWith(this.root + path.sep)) walkMarkdown(path.join(pbDir, 'posts'), out, false, within);
    return [...new Set(out)].sort();
  }

  /** Expand paths (files or folders) into the Markdown posts below them; playbook files are left out. */
  expandPaths(paths: string[], cwd = this.root): string[] {
    const out: string[] = [];
    for (const p of paths) {
      const abs = path.resolve(cwd, p);
      let st: fs.Stats;
      try {
        st = fs.statSync(abs);
      } catch {
        throw new Error(`No such file or folder: ${p}`);
      }
      if (st.isDirectory()) {
        const found: string[] = [];
        // Build output folders (out/, dist/, outbox/ …) are skipped only at the workspace's top.
        walkMarkdown(abs, found, abs === this.root, realOr(this.root));
        out.push(...found.filter((f) => !this.isPlaybookFile(f) && !/^readme\.md$/i.test(path.basename(f))));
      } else if (!this.isPlaybookFile(abs)) out.push(abs);
    }
    return [...new Set(out)].sort();
  }

  /** Feed a post's current text (an editor buffer, say) into the cross-post index. */
  setPostText(file: string, text: string): void {
    if (unlintable(text)) {
      this.index.delete(path.resolve(file));
      return;
    }
    try {
      this.index.set(path.resolve(file), text);
    } catch {
      this.index.delete(path.resolve(file)); // lintText reports the problem for this file
    }
  }

  removePost(file: string): void {
    this.index.delete(path.resolve(file));
  }

  /** Read every post of the workspace into the index (once). */
  ensureIndexed(extra: string[] = []): void {
    this.readIntoIndex(this.indexed ? extra : [...this.listPosts(), ...extra], new Set());
    this.indexed = true;
  }

  /**
   * Read each of `files` not indexed yet into the index, and give back the texts read of those in
   * `keep`, so they are linted from that same read (one lstat, stat and read per post, not two).
   * A serial lint does this for every post; a thread of a parallel lint for its share.
   */
  readIntoIndex(files: string[], keep: ReadonlySet<string>, store?: LintStore): Map<string, string | { problem: string }> {
    const texts = new Map<string, string | { problem: string }>();
    for (const f of files) {
      if (this.index.get(f)) continue;
      const text = readPostText(f, this.root);
      if (keep.has(f)) texts.set(f, text);
      if (typeof text === 'string' && !store?.indexFromStore(f, text, this.index)) this.setPostText(f, text);
    }
    return texts;
  }

  /** Lint a text as the post at `file`. Synchronous and pure but for the index it reads. */
  lintText(file: string, text: string, opts: LintOptions = {}): LintResult {
    const abs = path.resolve(file);
    const problem = unlintable(text);
    if (problem) return fileProblem(abs, problem);
    const post = parsePost(abs, text);
    if (!this.index.get(abs)) {
      try {
        this.index.setParsed(abs, post.meta, postSentenceKeys(post));
      } catch (e) {
        return fileProblem(abs, `Could not lint this file: ${(e as Error).message}`);
      }
    }
    try {
      const findings = lintPost({
        file: abs,
        text,
        playbook: this.playbook,
        rules: this.rules,
        now: opts.now,
        index: this.index,
        post,
        trace: opts.trace,
      });
      return { file: abs, findings, post };
    } catch (e) {
      // One pathological file (say, thousands of nested quotes) must not cost the other results.
      return fileProblem(abs, `Could not lint this file: ${(e as Error).message}`);
    }
  }

  /** Lint files (default: every post of the workspace). */
  lintFiles(paths?: string[], opts: LintOptions = {}, store?: LintStore): LintResult[] {
    const files = paths ? paths.map((p) => path.resolve(this.root, p)) : this.listPosts();
    // Only the texts are kept between the passes, never their parses.
    const texts = this.readIntoIndex(this.indexOrder(files), new Set(files), store);
    this.indexed = true;
    return this.lintRead(files, texts, opts, store);
  }

  /**
   * Lint `files` from the texts the index pass read (`readIntoIndex`; a file missing there is
   * read now). Last-read first: the parse caches (bounded, least recently used first out) still
   * hold the posts the index read last, so a workspace larger than the caches parses only the
   * rest a second time. The results keep the order of `files`.
   */
  lintRead(files: string[], texts: Map<string, string | { problem: string }>, opts: LintOptions = {}, store?: LintStore): LintResult[] {
    const results: LintResult[] = new Array<LintResult>(files.length);
    for (let i = files.length - 1; i >= 0; i--) {
      const file = path.resolve(this.root, files[i]);
      const text = texts.get(files[i]) ?? readPostText(file, this.root);
      results[i] =
        store && typeof text === 'string'
          ? store.lint(file, text, (trace) => this.lintFile(file, { ...opts, trace }, text), this.index)
          : this.lintFile(file, opts, text);
      texts.delete(files[i]);
    }
    return results;
  }

  /**
   * Lint the post at `file` as it is on disk (or as `text`, when the caller has just read it): a
   * file that cannot be read as a post (too large, binary, a folder, a dangling link …) gives its
   * problem as one `file` finding instead of an exception, so one bad file never stops a run. The
   * one lint-from-disk, for the CLI and the editor.
   */
  lintFile(
    file: string,
    opts: LintOptions = {},
    text: string | { problem: string } = readPostText(path.resolve(this.root, file), this.root),
  ): LintResult {
    const abs = path.resolve(this.root, file);
    if (typeof text !== 'string') return fileProblem(abs, text.problem);
    const r = this.lintText(abs, text, opts);
    return opts.findingsOnly ? { file: r.file, findings: r.findings } : r;
  }
}

/**
 * A regular file opened without following a link: fstat and read on the one descriptor (this is
 * every post of a large workspace, so one system call fewer counts). Undefined for anything else
 * (a link, a folder, a file that cannot be opened), which readPostText then looks at closely.
 */
function readRegularFile(file: string): string | { problem: string } | undefined {
  const noFollow = fs.constants.O_NOFOLLOW;
  if (noFollow === undefined) return undefined;
  let fd: number;
  try {
    // Non-blocking, so that a named pipe called *.md is not waited on (fstat then says what it is).
    fd = fs.openSync(file, fs.constants.O_RDONLY | noFollow | (fs.constants.O_NONBLOCK ?? 0));
  } catch {
    return undefined;
  }
  try {
    const st = fs.fstatSync(fd);
    if (!st.isFile()) return undefined;
    if (st.size > MAX_POST_BYTES) return { problem: unlintable('', st.size)! };
    const buf = Buffer.allocUnsafe(st.size);
    let got = 0;
    for (let n = 1; got < buf.length && n > 0; got += n) n = fs.readSync(fd, buf, got, buf.length - got, null);
    return decodePost(got === buf.length ? buf : buf.subarray(0, got));
  } catch {
    return undefined;
  } finally {
    fs.closeSync(fd);
  }
}

/** Read a post, refusing huge and binary files before decoding them. */
export function readPostText(file: string, workspaceRoot?: string): string | { problem: string } {
  const regular = readRegularFile(file);
  if (regular !== undefined) return regular;
  try {
    const lst = fs.lstatSync(file);
    if (lst.isSymbolicLink()) {
      let target: string;
      try {
        target = fs.realpathSync(file);
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        return {
          problem: code === 'ELOOP' ? 'This symbolic link is a loop: not linted' : 'This symbolic link points to nothing: not linted',
        };
      }
      if (workspaceRoot && !isInside(target, realOr(workspaceRoot))) {
        return { problem: 'This is a symbolic link to a file outside the workspace: not followed, not linted' };
      }
    }
    // Only a link's target needs a second stat: for anything else lstat already said it all.
    const st = lst.isSymbolicLink() ? fs.statSync(file) : lst;
    if (st.isDirectory()) {
      try {
        fs.readdirSync(file);
      } catch (e) {
        return { problem: `Cannot read this folder, so the posts in it are not linted: ${(e as Error).message}` };
      }
      return { problem: 'This is a folder, not a post (its name ends in .md): not linted' };
    }
    if (!st.isFile()) return { problem: 'This is not a regular file (a pipe, a socket or a device): not linted' };
    if (st.size > MAX_POST_BYTES) return { problem: unlintable('', st.size)! };
    return decodePost(fs.readFileSync(file));
  } catch (e) {
    return { problem: `Cannot read the file: ${(e as Error).message}` };
  }
}

function decodePost(buf: Buffer): string | { problem: string } {
  const utf16 = utf16Problem(buf);
  if (utf16) return { problem: utf16 };
  if (buf.includes(0)) return { problem: 'File is binary, not Markdown: not linted' };
  // Editors hide a byte order mark; so do we, so columns agree with the editor.
  const text = buf.toString('utf8');
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
