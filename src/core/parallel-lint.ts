/**
 * Whole-workspace lint on every core: the posts are shared out between this thread and worker
 * threads (lint-worker.ts), in chunks to whichever thread is free (ChunkQueue). Each thread reads,
 * parses and indexes its share; the shares' index entries are put together in the order a serial
 * lint indexes them, every thread takes that whole index, and lints its share against it, then
 * what is left of the others' shares (LintQueue). Same findings as `Workspace.lintFiles` (tested), in the
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
import type { LintOptions, LintResult, LintStore, Workspace } from './workspace';
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
  /** Every post to index, in index order; the threads take them in chunks (ChunkQueue). */
  order: string[];
  /** The shared chunk counter (ChunkQueue). */
  next: SharedArrayBuffer;
  chunk: number;
  /** Tests: take chunks by turns (ChunkQueue). */
  turn?: [number, number];
  /** The posts to lint, when not all of `order`. */
  lint?: string[];
  now: number;
  /** Record lint-cache entries of the share (a cold lint through the lint cache, lint-cache.ts). */
  record?: boolean;
}

/** Worker → this thread. */
export type WorkerReply =
  | { type: 'indexed'; entries: IndexedPost[]; taken: number; lint: string[] }
  | { type: 'linted'; results: LintResult[]; stolen: number; recorded?: RecordedEntry[] }
  | { type: 'failed'; message: string };

/** This thread → a worker, after the index pass: the entries it lacks, and the lint pass's shares. */
export interface LintJob {
  others: IndexedPost[];
  /** Every thread's posts to lint (this thread's first), and the shared words of LintQueue. */
  lists: string[][];
  words: SharedArrayBuffer;
  chunk: number;
  /** Which of `lists` is this worker's own. */
  me: number;
  /** Tests: lint by turns (LintQueue). */
  byTurns?: boolean;
}

/**
 * The posts to index, handed out in chunks to whichever thread asks first: a worker starts later
 * than this thread (it loads the engine first), and a thread that is slower for any reason takes
 * fewer chunks, so no thread waits long for another at the end of the index pass. The counter
 * lives in shared memory; Atomics.add gives each chunk to exactly one thread.
 */
export class ChunkQueue {
  private readonly counter: Int32Array;
  private taken = 0;
  constructor(
    private readonly order: readonly string[],
    readonly buffer: SharedArrayBuffer,
    readonly chunk: number,
    /** Tests: thread `turn[0]` of `turn[1]` takes every turn[1]-th chunk, so that every thread has a share whatever the timing. */
    private readonly turn?: readonly [number, number],
  ) {
    this.counter = new Int32Array(buffer);
  }
  /** The next chunk of posts, or undefined when every chunk is taken. */
  take(): string[] | undefined {
    const k = this.turn ? this.turn[0] + this.turn[1] * this.taken++ : Atomics.add(this.counter, 0, 1);
    const from = k * this.chunk;
    return from < this.order.length ? this.order.slice(from, from + this.chunk) : undefined;
  }
}

/**
 * The lint pass's shares. Each thread first lints its own list (the posts it indexed, whose texts
 * it holds and whose parses are still in its caches), newest chunk first; a thread that has none
 * left takes the oldest chunks left of the others' lists and reads those posts again, so no
 * thread waits for a slower one at the end. The chunks not yet taken of each list are one word
 * in shared memory, first and end packed, changed only by compareExchange: every chunk goes to
 * exactly one thread.
 */
export class LintQueue {
  private readonly words: Int32Array;
  private turns = 0;
  /** Posts this thread took from the others' lists. */
  stolen = 0;
  constructor(
    readonly lists: readonly (readonly string[])[],
    readonly buffer: SharedArrayBuffer,
    readonly chunk: number,
    private readonly me: number,
    /** Tests: thread `me` of `lists.length` takes every n-th chunk of all the lists end to end, so every thread lints posts another read. */
    private readonly byTurns = false,
  ) {
    this.words = new Int32Array(buffer);
  }
  /** Shared words for `lists`, every chunk untaken (at most 65,535 chunks a list). */
  static words(lists: readonly (readonly string[])[], chunk: number): SharedArrayBuffer {
    const buffer = new SharedArrayBuffer(4 * lists.length);
    const words = new Int32Array(buffer);
    lists.forEach((l, i) => (words[i] = Math.ceil(l.length / chunk)));
    return buffer;
  }
  /** The next chunk this thread lints, or undefined when every chunk of every list is taken. */
  take(): string[] | undefined {
    if (this.byTurns) return this.takeByTurn();
    const own = this.takeFrom(this.me, 'end');
    if (own) return own;
    for (let k = 1; k < this.lists.length; k++) {
      const stolen = this.takeFrom((this.me + k) % this.lists.length, 'first');
      if (stolen) {
        this.stolen += stolen.length;
        return stolen;
      }
    }
    return undefined;
  }
  private takeFrom(list: number, side: 'first' | 'end'): string[] | undefined {
    for (;;) {
      const word = Atomics.load(this.words, list);
      const first = word >>> 16;
      const end = word & 0xffff;
      if (first >= end) return undefined;
      const k = side === 'end' ? end - 1 : first;
      const next = side === 'end' ? (first << 16) | (end - 1) : ((first + 1) << 16) | end;
      if (Atomics.compareExchange(this.words, list, word, next) === word)
        return this.lists[list].slice(k * this.chunk, (k + 1) * this.chunk);
    }
  }
  private takeByTurn(): string[] | undefined {
    const n = this.lists.length;
    // Shifted by one, so that the chunks a thread lints start with another thread's.
    let k = ((this.me + 1) % n) + n * this.turns++;
    let list = 0;
    while (list < n && k >= Math.ceil(this.lists[list].length / this.chunk)) k -= Math.ceil(this.lists[list++].length / this.chunk);
    if (list === n) return undefined;
    const chunk = this.lists[list].slice(k * this.chunk, (k + 1) * this.chunk);
    if (list !== this.me) this.stolen += chunk.length;
    return chunk;
  }
}

/** Lint-pass chunks: about 10 ms of lint each, and no more than a LintQueue word can count. */
export function lintChunkSize(lists: readonly (readonly string[])[]): number {
  return Math.max(32, Math.ceil(Math.max(0, ...lists.map((l) => l.length)) / 0xffff));
}

/**
 * Lint what the queue gives this thread, from the texts its index pass read (a stolen post is
 * read again). Results in no particular order; the caller puts them in order by file.
 */
export function lintShare(
  ws: Workspace,
  queue: LintQueue,
  texts: Map<string, string | { problem: string }>,
  opts: LintOptions,
  store?: LintStore,
): LintResult[] {
  const results: LintResult[] = [];
  for (let chunk = queue.take(); chunk; chunk = queue.take()) results.push(...ws.lintRead(chunk, texts, opts, store));
  return results;
}

/** Chunks small enough to even out the threads' ends (about 16 per thread), at most 256 posts. */
function chunkSize(posts: number, threads: number): number {
  return Math.max(1, Math.min(256, Math.ceil(posts / (threads * 16))));
}

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

/**
 * One thread's share: take chunks of the queue until none is left, and read, parse and index each
 * (Workspace.readIntoIndex). Gives the files it took (in index order), its index entries, and the
 * texts of those to lint (all, when `lint` is undefined).
 */
export function indexShare(
  ws: Workspace,
  queue: ChunkQueue,
  lint: ReadonlySet<string> | undefined,
): { files: string[]; entries: IndexedPost[]; texts: Map<string, string | { problem: string }> } {
  const files: string[] = [];
  const texts = new Map<string, string | { problem: string }>();
  for (let chunk = queue.take(); chunk; chunk = queue.take()) {
    for (const [f, t] of ws.readIntoIndex(chunk, lint ?? new Set(chunk))) texts.set(f, t);
    files.push(...chunk);
  }
  const entries = files.map((f) => ws.index.get(f)).filter((e): e is IndexedPost => e !== undefined);
  return { files, entries, texts };
}

/** The whole index in `order`, from this thread's entries and another's. */
export function mergedIndex(order: readonly string[], ...parts: readonly IndexedPost[][]): IndexedPost[] {
  const byFile = new Map<string, IndexedPost>();
  for (const part of parts) for (const e of part) byFile.set(e.file, e);
  return order.map((f) => byFile.get(f)).filter((e): e is IndexedPost => e !== undefined);
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
  opts: {
    threads?: number;
    /** How it ran: threads, why it fell back, posts each thread indexed and posts each linted from another's share. */
    onRun?: (how: { threads: number; fallback?: string; indexed?: number[]; stolen?: number[] }) => void;
    cache?: LintCache;
    /** Tests: chunks taken by turns (ChunkQueue), so that every thread has a share whatever the timing. */
    byTurns?: boolean;
  } = {},
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
  const lintAll = order.every((f) => wanted.has(f));
  const queue = new ChunkQueue(order, new SharedArrayBuffer(4), chunkSize(order.length, threads), opts.byTurns ? [0, threads] : undefined);
  const workers: { worker: Worker; replies: WorkerReply[]; waiting?: (r: WorkerReply) => void }[] = [];
  const opened = ws.openOptions;
  try {
    for (let i = 1; i < threads; i++) {
      const job: WorkerJob = {
        root: ws.root,
        ...opened,
        order,
        next: queue.buffer,
        chunk: queue.chunk,
        ...(opts.byTurns ? { turn: [i, threads] as [number, number] } : {}),
        ...(lintAll ? {} : { lint: order.filter((f) => wanted.has(f)) }),
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
    // This thread's share, while the workers take theirs.
    const own = indexShare(ws, queue, lintAll ? undefined : wanted);
    const theirs: IndexedPost[][] = [];
    const taken = [own.files.length];
    const lists = [lintAll ? own.files : own.files.filter((f) => wanted.has(f))];
    for (const w of workers) {
      const r = await next(w);
      if (r.type !== 'indexed') throw new Error(r.type === 'failed' ? r.message : 'unexpected reply');
      theirs.push(r.entries);
      taken.push(r.taken);
      lists.push(r.lint);
    }
    // Each worker gets the entries it does not hold, and puts the whole index together in order;
    // then every thread lints its own share and what is left of the others' (LintQueue).
    const chunk = lintChunkSize(lists);
    const words = LintQueue.words(lists, chunk);
    workers.forEach((w, i) => {
      const job: LintJob = {
        others: [own.entries, ...theirs.filter((_, j) => j !== i)].flat(),
        lists,
        words,
        chunk,
        me: i + 1,
        byTurns: opts.byTurns,
      };
      w.worker.postMessage(job);
    });
    ws.adoptIndex(mergedIndex(order, own.entries, ...theirs));
    const results = new Map<string, LintResult>();
    const lintQueue = new LintQueue(lists, words, chunk, 0, opts.byTurns);
    for (const r of lintShare(ws, lintQueue, own.texts, { now, findingsOnly: true }, cache)) results.set(r.file, r);
    const recorded: RecordedEntry[][] = [];
    const stolen = [lintQueue.stolen];
    for (const w of workers) {
      const r = await next(w);
      if (r.type !== 'linted') throw new Error(r.type === 'failed' ? r.message : 'unexpected reply');
      stolen.push(r.stolen);
      for (const x of r.results) results.set(x.file, x);
      if (r.recorded) recorded.push(r.recorded);
    }
    for (const r of recorded) cache?.adopt(r, results);
    opts.onRun?.({ threads, indexed: taken, stolen });
    return files.map((f) => results.get(path.resolve(ws.root, f))!);
  } catch (e) {
    // A thread that could not start or failed: the serial lint gives the same findings.
    ws.resetIndex();
    return serial((e as Error).message);
  } finally {
    for (const w of workers) void w.worker.terminate();
  }
}
