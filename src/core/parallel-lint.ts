/**
 * Whole-workspace lint on every core: the posts are shared out between this thread and worker
 * threads (lint-worker.ts). Each thread reads, parses and indexes its share, the shares' index
 * entries are put together in the order a serial lint indexes them, every thread takes that whole
 * index, and lints its share against it. Same findings as `Workspace.lintFiles` (tested), in the
 * same order; only the wall time differs. Used for a plain lint of many posts (the CLI's
 * `lint` without --fix or --changed-since); anything else, or a worker that cannot start, runs
 * serially.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Worker } from 'node:worker_threads';
import type { IndexedPost } from './post-index';
import { BUILTIN_RULES } from './rules';
import type { LintResult, Workspace } from './workspace';
import type { LintCache, RecordedEntry } from './lint-cache';

/**
 * Below this many posts to read, threads do not pay. Measured on a 2-vCPU machine whose second
 * core adds about a fifth (V8's own background threads already use it): 2,000 posts were 15%
 * slower on two threads, 10,000 even, 50,000 faster by a third (each thread's parse caches hold
 * more of its share).
 */
export const MIN_PARALLEL_POSTS = 5000;
/** Each thread should get at least this many posts. */
const MIN_POSTS_PER_THREAD = 2500;
const MAX_THREADS = 8;
/** A worker's young generation, in MB (see lintFilesInParallel). */
const YOUNG_GENERATION_MB = 144;

/** What a worker is told to do (workerData). */
export interface WorkerJob {
  root: string;
  playbookDir?: string;
  cache?: boolean | string;
  /** Its share of the posts to index, in index order. */
  files: string[];
  /** Those of `files` to lint too. */
  lint: string[];
  now: number;
  /** Record lint-cache entries of the share (a cold lint through the lint cache, lint-cache.ts). */
  record?: boolean;
}

/** Worker → this thread. */
export type WorkerReply =
  | { type: 'indexed'; entries: IndexedPost[] }
  | { type: 'linted'; results: LintResult[]; recorded?: RecordedEntry[] }
  | { type: 'failed'; message: string };

/**
 * How many threads to use for `posts` posts: UNSCRIPTED_THREADS (1 = serial) when set, else one
 * per core, at most 8, at least 2,500 posts each, and serial under MIN_PARALLEL_POSTS.
 */
export function threadCount(posts: number, env: NodeJS.ProcessEnv = process.env): number {
  const set = env.UNSCRIPTED_THREADS;
  if (set !== undefined && set !== '') {
    const n = Number(set);
    return Number.isInteger(n) && n >= 1 ? Math.min(n, MAX_THREADS, Math.max(1, posts)) : 1;
  }
  if (posts < MIN_PARALLEL_POSTS) return 1;
  const cores = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  return Math.max(1, Math.min(cores, MAX_THREADS, Math.floor(posts / MIN_POSTS_PER_THREAD)));
}

/** The worker script beside this module (out/src/core/ in a tsc build, dist/ beside the CLI bundle). */
const WORKER_FILE = path.join(__dirname, 'lint-worker.js');

/** One thread's share: read, parse and index `files` (Workspace.readIntoIndex); its index entries, and the texts of those to lint. */
export function indexShare(
  ws: Workspace,
  files: string[],
  lint: ReadonlySet<string>,
): { entries: IndexedPost[]; texts: Map<string, string | { problem: string }> } {
  const texts = ws.readIntoIndex(files, lint);
  const entries = files.map((f) => ws.index.get(f)).filter((e): e is IndexedPost => e !== undefined);
  return { entries, texts };
}

/**
 * Lint `files` of a workspace whose index is not built yet, findings only, on `threads` threads
 * (this one and threads − 1 workers). Falls back to the serial lint when a worker cannot be
 * started or fails, so the outcome never depends on threads.
 */
export async function lintFilesInParallel(
  ws: Workspace,
  files: string[],
  now: Date,
  opts: { threads?: number; onRun?: (how: { threads: number; fallback?: string }) => void; cache?: LintCache } = {},
): Promise<LintResult[]> {
  const order = ws.indexOrder(files);
  const threads = opts.threads ?? threadCount(order.length);
  const cache = opts.cache;
  const serial = (fallback?: string) => {
    opts.onRun?.({ threads: 1, fallback });
    return ws.lintFiles(files, { now, findingsOnly: true }, cache);
  };
  // A warm lint cache: most posts are read and hashed, not linted, which threads do not speed up.
  if (threads <= 1 || ws.rules !== BUILTIN_RULES || ws.index.size > 0 || !fs.existsSync(WORKER_FILE) || cache?.warm) return serial();
  const { Worker } = require('node:worker_threads') as typeof import('node:worker_threads');
  const wanted = new Set(files.map((f) => path.resolve(ws.root, f)));
  // Interleaved shares: neighbouring posts (often alike in size) spread over the threads.
  const shares: string[][] = Array.from({ length: threads }, () => []);
  order.forEach((f, i) => shares[i % threads].push(f));
  const workers: { worker: Worker; replies: WorkerReply[]; waiting?: (r: WorkerReply) => void }[] = [];
  const opened = ws.openOptions;
  try {
    for (const share of shares.slice(1)) {
      const job: WorkerJob = {
        root: ws.root,
        ...opened,
        files: share,
        lint: share.filter((f) => wanted.has(f)),
        now: now.getTime(),
        record: !!cache,
      };
      // A larger young generation than V8's default: a share of posts makes many short-lived
      // objects and a cache of parses that survive, and with the default the scavenges alone
      // take about a fifth of the time. (Not a larger heap: the old generation keeps its limit.)
      const worker = new Worker(WORKER_FILE, {
        workerData: job,
        env: process.env,
        stdout: false,
        stderr: true,
        resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB },
      });
      const w: (typeof workers)[number] = { worker, replies: [] };
      const deliver = (r: WorkerReply) => {
        if (w.waiting) {
          const k = w.waiting;
          w.waiting = undefined;
          k(r);
        } else w.replies.push(r);
      };
      worker.on('message', deliver);
      worker.on('error', (e: Error) => deliver({ type: 'failed', message: e.message }));
      worker.on('exit', (code) => deliver({ type: 'failed', message: `worker exited (${code})` }));
      workers.push(w);
    }
    const next = (w: (typeof workers)[number]) =>
      new Promise<WorkerReply>((resolve) => {
        const r = w.replies.shift();
        if (r) resolve(r);
        else w.waiting = resolve;
      });

    // This thread's share, while the workers do theirs.
    const mine = shares[0];
    const mineToLint = mine.filter((f) => wanted.has(f));
    const own = indexShare(ws, mine, new Set(mineToLint));
    const byFile = new Map<string, IndexedPost>(own.entries.map((e) => [e.file, e]));
    for (const w of workers) {
      const r = await next(w);
      if (r.type !== 'indexed') throw new Error(r.type === 'failed' ? r.message : 'unexpected reply');
      for (const e of r.entries) byFile.set(e.file, e);
    }
    // The whole index, in the order a serial lint builds it, for every thread.
    const entries = order.map((f) => byFile.get(f)).filter((e): e is IndexedPost => e !== undefined);
    for (const w of workers) w.worker.postMessage(entries);
    ws.adoptIndex(entries);
    const results = new Map<string, LintResult>();
    for (const r of ws.lintRead(mineToLint, own.texts, { now, findingsOnly: true }, cache)) results.set(r.file, r);
    const recorded: RecordedEntry[][] = [];
    for (const w of workers) {
      const r = await next(w);
      if (r.type !== 'linted') throw new Error(r.type === 'failed' ? r.message : 'unexpected reply');
      for (const x of r.results) results.set(x.file, x);
      if (r.recorded) recorded.push(r.recorded);
    }
    for (const r of recorded) cache?.adopt(r, results);
    opts.onRun?.({ threads });
    return files.map((f) => results.get(path.resolve(ws.root, f))!);
  } catch (e) {
    // A thread that could not start or failed: the serial lint gives the same findings.
    ws.resetIndex();
    return serial((e as Error).message);
  } finally {
    for (const w of workers) void w.worker.terminate();
  }
}
