/**
 * The lint cache: a whole-workspace lint reuses the findings of every post that has not changed
 * since the last run, as ESLint's and Prettier's `--cache` do, so a second `unscripted lint` of a
 * large plan reads and hashes its posts instead of parsing and linting them again.
 *
 * It never serves a stale finding:
 * - one cache file per workspace, valid only for one context: a SHA-256 of the playbook load's
 *   own key (every byte of the playbook and the parser's code, playbook-cache.ts), the size and
 *   mtime of every compiled file of the engine and of the voice model file, the rules that run,
 *   the post size limit and the workspace folder; anything else gives an empty cache;
 * - per post, the SHA-256 of its exact text;
 * - and what the rules read besides the post and the playbook, recorded while linting it
 *   (LintTrace, post-index.ts): a post whose rules read the clock (a scheduled post, a
 *   reviewed_at) or an index answer that is not cheap to check is linted again every time; the
 *   pasted-sentence answers (which other posts hold each long sentence) are asked again of the
 *   new index and the findings reused only when every answer is the same.
 * The index pass takes a post's front matter and sentence keys from the cache too, so an
 * unchanged post is not parsed at all.
 *
 * Where: the cache folder of playbook-cache.ts ($UNSCRIPTED_CACHE_DIR, XDG …), a file named by
 * a hash of the workspace folder, written atomically; UNSCRIPTED_CACHE=0 or `lint --no-cache`
 * turns it off. A cache that cannot be read or written just means a full lint.
 */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { postBodyLimit } from './limits';
import { packageVersion } from './package-root';
import { sameSentenceAnswers, type LintTrace, type PostIndex } from './post-index';
import type { PostMeta } from './post';
import type { Finding } from './types';
import { SHIPPED_MODEL_PATH } from './voice-model/analyse';
import type { LintResult, LintStore, Workspace } from './workspace';

/** Bump when the shape of an entry changes. */
const FORMAT = 1;
/** Beyond this many posts nothing is written (a cache file of a few hundred MB would cost more than it saves). */
const MAX_ENTRIES = 200_000;
/** Cache files kept, one per workspace folder; the least recently written beyond this are removed. */
const KEEP_WORKSPACES = 64;

/** One post's stored lint: what the index pass and the lint pass need of it. */
interface Entry {
  /** SHA-256 of the text (base64). */
  h: string;
  /** Front matter as the index holds it (dates as epoch ms). */
  m: Omit<PostMeta, 'publishAt' | 'reviewedAt'> & { publishAt?: number; reviewedAt?: number };
  /** Sentence keys (post-index.ts). */
  s: string[];
  /** Findings, as the lint gave them. */
  f: Finding[];
  /** Pasted-sentence reads (LintTrace.sentences); absent for a post that must be linted every time. */
  q?: LintTrace['sentences'];
}

/** An entry without its findings, as a worker thread sends it (LintCache.takeRecorded). */
export type RecordedEntry = [rel: string, entry: Omit<Entry, 'f'>];

/**
 * An entry as the file holds it: a finding's rationale, docs URL and definition site are numbers
 * into the file's string table (the same few strings recur in every post), and a pasted-sentence
 * read whose key is one of the post's own sentence keys, with no other post holding it and the
 * usual `keep`, is that key's index alone.
 */
interface StoredEntry {
  h: string;
  m: Entry['m'];
  s: string[];
  f: (Omit<Finding, 'rationale' | 'docsUrl' | 'definedAt'> & { rationale?: number; docsUrl?: number; definedAt?: number })[];
  q?: (number | [key: string | number, keep: number, count: number, names: string[]])[];
}

interface CacheFile {
  format: number;
  context: string;
  strings: string[];
  /** By path relative to the workspace folder. */
  posts: Record<string, StoredEntry>;
}

/** A finding's fields the file holds as string-table numbers (definedAt as its JSON). */
const INTERNED = ['rationale', 'docsUrl', 'definedAt'] as const;

/** A copy of a finding with its interned fields mapped, in place: the fields keep their order (the JSON format prints them so). */
function mapInterned<T>(f: object, to: (value: unknown, field: (typeof INTERNED)[number]) => unknown): T {
  const o = { ...f } as Record<string, unknown>;
  for (const k of INTERNED) if (o[k] !== undefined) o[k] = to(o[k], k);
  return o as T;
}

function encode(e: Entry, intern: (s: string) => number): StoredEntry {
  return {
    h: e.h,
    m: e.m,
    s: e.s,
    f: e.f.map((f) => mapInterned(f, (v, k) => intern(k === 'definedAt' ? JSON.stringify(v) : (v as string)))),
    ...(e.q
      ? {
          q: e.q.map(([key, keep, count, names]) => {
            const found = e.s.indexOf(key);
            const i = found >= 0 ? found : undefined;
            return i !== undefined && keep === 3 && count === 0 ? i : [i ?? key, keep, count, names];
          }),
        }
      : {}),
  };
}

function decode(e: StoredEntry, strings: readonly string[]): Entry {
  const str = (i: number) => {
    if (!(i >= 0 && i < strings.length)) throw new Error('lint cache: bad string index');
    return strings[i];
  };
  const key = (k: string | number) => (typeof k === 'string' ? k : (e.s[k] ?? str(-1)));
  return {
    h: e.h,
    m: e.m,
    s: e.s,
    f: e.f.map((f) => mapInterned<Finding>(f, (v, k) => (k === 'definedAt' ? JSON.parse(str(v as number)) : str(v as number)))),
    ...(e.q ? { q: e.q.map((r) => (typeof r === 'number' ? [key(r), 3, 0, []] : [key(r[0]), r[1], r[2], r[3]])) } : {}),
  };
}

/** crypto.hash (Node ≥ 20.12) hashes a short string without a Hash object; createHash elsewhere. */
const oneShot = (crypto as { hash?: (algorithm: string, data: string, encoding: 'base64') => string }).hash;

function sha256(text: string): string {
  return oneShot ? oneShot('sha256', text, 'base64') : crypto.createHash('sha256').update(text).digest('base64');
}

let engineStamp: string | undefined;

/**
 * A file's identity without reading it: size, mtime, and ctime and inode, which the system sets on
 * every write or install (npm gives installed files a fixed mtime; a same-size edit keeps the size).
 */
function stamp(file: string): string {
  const st = fs.statSync(file, { throwIfNoEntry: false });
  return st ? `${st.size}:${st.mtimeMs}:${st.ctimeMs}:${st.ino}` : 'none';
}
/** The stamp of every compiled file of the engine (this folder and below), of the model and of Node: new code never reads old findings. */
function engineIdentity(): string {
  if (engineStamp) return engineStamp;
  const parts: string[] = [String(FORMAT), packageVersion() || '?'];
  const walk = (dir: string, depth: number) => {
    let names: fs.Dirent[];
    try {
      names = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const d of names.sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const p = path.join(dir, d.name);
      if (d.isDirectory() && depth < 3) walk(p, depth + 1);
      else if (d.isFile() && d.name.endsWith('.js')) {
        parts.push(`${path.relative(__dirname, p)}:${stamp(p)}`);
      }
    }
  };
  walk(__dirname, 0);
  parts.push(`model:${stamp(SHIPPED_MODEL_PATH)}`);
  // What the rules run on beside this code: Node's own Unicode and ICU data (graphemes, \p{…},
  // segmentation), twitter-text for X's length (with its emoji parser; left outside the CLI
  // bundle), and the two YAML readers of the front matter (frontmatter.ts; bundled in the CLI, but
  // not in a tsc build).
  const v = process.versions;
  parts.push(`node:${v.node}:${v.v8}:${v.icu ?? ''}:${v.unicode ?? ''}`);
  const deps: [string, string][] = [
    ['twitter-text/package.json', 'twitter-text'],
    ['twemoji-parser/package.json', 'twitter-text'],
    ['yaml/package.json', 'yaml'],
    ['js-yaml/package.json', 'js-yaml'],
  ];
  for (const [dep, from] of deps) {
    try {
      parts.push(`${dep}:${stamp(require.resolve(dep, { paths: [require.resolve(from)] }))}`);
    } catch {
      parts.push(`${dep}:none`);
    }
  }
  return (engineStamp = parts.join('|'));
}

/** The context a cache file is valid for, or undefined when the playbook was loaded without its cache (then no lint cache either). */
export function lintCacheContext(ws: Workspace): string | undefined {
  if (!ws.playbook.cacheKey) return undefined;
  return sha256([engineIdentity(), ws.playbook.cacheKey, ws.rules.map((r) => r.id).join(','), String(postBodyLimit()), ws.root].join('\0'));
}

/** Keep the cache files of the KEEP_WORKSPACES workspaces linted last; remove older ones and stray temporary files. */
function pruneOthers(dir: string): void {
  const now = Date.now();
  const files: { name: string; t: number }[] = [];
  for (const name of fs.readdirSync(dir)) {
    if (!name.startsWith('lint-')) continue;
    const st = fs.statSync(path.join(dir, name), { throwIfNoEntry: false });
    if (!st) continue;
    if (name.endsWith('.tmp')) {
      // A run killed while writing: gone after an hour (a live writer renames its file in milliseconds).
      if (now - st.mtimeMs > 3_600_000) fs.rmSync(path.join(dir, name), { force: true });
    } else if (/^lint-[0-9a-f]{32}\.json$/.test(name)) files.push({ name, t: st.mtimeMs });
  }
  files.sort((a, b) => b.t - a.t);
  for (const f of files.slice(KEEP_WORKSPACES)) fs.rmSync(path.join(dir, f.name), { force: true });
}

/** The lint cache of one workspace, for one run. */
export class LintCache implements LintStore {
  private readonly old: Record<string, StoredEntry>;
  private readonly strings: readonly string[];
  private readonly next = new Map<string, Entry>();
  /** Entries matched in the index pass, by absolute path. */
  private readonly matched = new Map<string, { rel: string; entry: Entry; text: string }>();
  /** Whether this run's entries differ from the file's. */
  private dirty = false;
  /** Posts linted from the cache and posts linted afresh, this run. */
  readonly counts = { reused: 0, linted: 0 };

  private constructor(
    private readonly ws: Workspace,
    /** Undefined for a worker thread's recorder, which never writes. */
    private readonly file: string | undefined,
    private readonly context: string,
    old?: CacheFile,
  ) {
    this.old = old?.posts ?? {};
    this.strings = old?.strings ?? [];
  }

  /** A worker thread's cache for its share of a cold parallel lint: records entries for the thread that saves (takeRecorded). */
  static recorder(ws: Workspace): LintCache {
    return new LintCache(ws, undefined, '');
  }

  /** The entries this run made, their findings left out (the thread's results carry them). */
  takeRecorded(): RecordedEntry[] {
    const out: RecordedEntry[] = [];
    for (const [rel, { f: _f, ...rest }] of this.next) out.push([rel, rest]);
    this.next.clear();
    return out;
  }

  /** Take entries another thread recorded, with its results' findings (by absolute path). */
  adopt(recorded: readonly RecordedEntry[], results: ReadonlyMap<string, LintResult>): void {
    for (const [rel, rest] of recorded) {
      const r = results.get(path.resolve(this.ws.root, rel));
      if (r) {
        this.next.set(rel, { ...rest, f: r.findings });
        this.dirty = true;
      }
    }
  }

  /** The cache of `ws` in `cacheDir`, or undefined when it cannot be keyed (see lintCacheContext). */
  static open(ws: Workspace, cacheDir: string): LintCache | undefined {
    const context = lintCacheContext(ws);
    if (!context) return undefined;
    const file = path.join(cacheDir, `lint-${crypto.createHash('sha256').update(ws.root).digest('hex').slice(0, 32)}.json`);
    let old: CacheFile | undefined;
    try {
      const data = JSON.parse(fs.readFileSync(file, 'utf8')) as CacheFile;
      if (data.format === FORMAT && data.context === context && typeof data.posts === 'object' && Array.isArray(data.strings)) old = data;
    } catch {
      // No cache yet, or one that cannot be read: a full lint.
    }
    return new LintCache(ws, file, context, old);
  }

  /** Whether any post of an earlier run is stored for this context. */
  get warm(): boolean {
    for (const _ in this.old) return true;
    return false;
  }

  /** The key of a post: its path relative to the workspace (a prefix cut for the posts inside it, as nearly all are). */
  private rel(file: string): string {
    const root = this.ws.root.endsWith(path.sep) ? this.ws.root : this.ws.root + path.sep;
    return file.startsWith(root) && !file.includes(`${path.sep}..`) ? file.slice(root.length) : path.relative(this.ws.root, file);
  }

  indexFromStore(file: string, text: string, index: PostIndex): boolean {
    if (!this.warm) return false;
    const rel = this.rel(file);
    const stored = Object.hasOwn(this.old, rel) ? this.old[rel] : undefined;
    if (!stored || stored.h !== sha256(text)) return false;
    let e: Entry;
    try {
      e = decode(stored, this.strings);
    } catch {
      return false; // a damaged entry: lint the post afresh
    }
    const { publishAt, reviewedAt, ...rest } = e.m;
    const meta: PostMeta = {
      ...rest,
      ...(publishAt !== undefined ? { publishAt: new Date(publishAt) } : {}),
      ...(reviewedAt !== undefined ? { reviewedAt: new Date(reviewedAt) } : {}),
    };
    index.setParsed(file, meta, new Set(e.s));
    this.matched.set(file, { rel, entry: e, text });
    return true;
  }

  lint(file: string, text: string, lint: (trace: LintTrace) => LintResult, index: PostIndex): LintResult {
    const hit = this.matched.get(file);
    if (hit && hit.text === text && hit.entry.q && sameSentenceAnswers(index, file, hit.entry.q)) {
      this.next.set(hit.rel, hit.entry);
      this.counts.reused++;
      return { file, findings: hit.entry.f };
    }
    const trace: LintTrace = { live: false, sentences: [] };
    const r = lint(trace);
    this.counts.linted++;
    // A post linted every time (it reads the clock) whose findings came out as stored leaves the file as it is.
    if (!(hit && !hit.entry.q && trace.live && JSON.stringify(r.findings) === JSON.stringify(hit.entry.f))) this.dirty = true;
    const indexed = index.get(file);
    // A post the index does not hold (it could not be parsed) is not stored: its problem is cheap to
    // find again. Nor is one whose index entry came from the store for another text than this one.
    if (indexed && (!hit || hit.text === text)) {
      const { publishAt, reviewedAt, ...rest } = indexed.meta;
      this.next.set(hit?.rel ?? this.rel(file), {
        h: hit ? hit.entry.h : sha256(text),
        m: {
          ...rest,
          ...(publishAt ? { publishAt: publishAt.getTime() } : {}),
          ...(reviewedAt ? { reviewedAt: reviewedAt.getTime() } : {}),
        },
        s: [...indexed.sentences],
        f: r.findings,
        ...(trace.live ? {} : { q: trace.sentences }),
      });
    }
    return r;
  }

  /**
   * Write the cache: the posts linted this run, and (unless `whole`, a lint of every post of
   * the workspace) the earlier entries of posts not linted this time. Atomic; a failure is
   * ignored; nothing is written when nothing changed.
   */
  save(whole: boolean): void {
    if (!this.file) return;
    if (whole && !this.dirty) for (const rel in this.old) if (!this.next.has(rel)) this.dirty = true;
    if (!this.dirty) return;
    const strings: string[] = [];
    const ids = new Map<string, number>();
    const intern = (x: string) => {
      let i = ids.get(x);
      if (i === undefined) ids.set(x, (i = strings.push(x) - 1));
      return i;
    };
    const posts: Record<string, StoredEntry> = {};
    if (!whole)
      for (const [rel, e] of Object.entries(this.old)) {
        if (this.next.has(rel)) continue;
        try {
          posts[rel] = encode(decode(e, this.strings), intern);
        } catch {
          // a damaged entry is dropped
        }
      }
    for (const [rel, e] of this.next) posts[rel] = encode(e, intern);
    if (Object.keys(posts).length > MAX_ENTRIES) return;
    const data: CacheFile = { format: FORMAT, context: this.context, strings, posts };
    try {
      fs.mkdirSync(path.dirname(this.file), { recursive: true });
      const tmp = `${this.file}.${process.pid}.tmp`;
      fs.writeFileSync(tmp, JSON.stringify(data), { mode: 0o600 });
      fs.renameSync(tmp, this.file);
      pruneOthers(path.dirname(this.file));
    } catch {
      // A read-only home or a full disk: the next run lints in full.
    }
  }
}
