/**
 * A worker thread of a parallel lint (parallel-lint.ts): opens the same workspace, takes chunks
 * of the posts to index until none is left, replies with their index entries, takes the other
 * threads' entries back, lints the posts it indexed against the whole index (then what is left of
 * the other threads' shares) and replies with the results.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { ChunkQueue, indexShare, lintShare, LintQueue, mergedIndex, type LintJob, type WorkerJob, type WorkerReply } from './parallel-lint';
import { Workspace } from './workspace';
import { LintCache } from './lint-cache';

function run(job: WorkerJob): void {
  const port = parentPort!;
  const reply = (r: WorkerReply) => port.postMessage(r);
  try {
    const ws = Workspace.open(job.root, { playbookDir: job.playbookDir, cache: job.cache });
    const wanted = job.lint ? new Set(job.lint) : undefined;
    const own = indexShare(ws, new ChunkQueue(job.order, job.next, job.chunk, job.turn), wanted);
    reply({
      type: 'indexed',
      entries: own.entries,
      taken: own.files.length,
      lint: wanted ? own.files.filter((f) => wanted.has(f)) : own.files,
    });
    port.once('message', (next: LintJob) => {
      try {
        ws.adoptIndex(mergedIndex(job.order, own.entries, next.others));
        const recorder = job.record ? LintCache.recorder(ws) : undefined;
        const queue = new LintQueue(next.lists, next.words, next.chunk, next.me, next.byTurns);
        const results = lintShare(ws, queue, own.texts, { now: new Date(job.now), findingsOnly: true }, recorder);
        reply({ type: 'linted', results, stolen: queue.stolen, ...(recorder ? { recorded: recorder.takeRecorded() } : {}) });
      } catch (e) {
        reply({ type: 'failed', message: (e as Error).message });
      }
    });
  } catch (e) {
    reply({ type: 'failed', message: (e as Error).message });
  }
}

if (parentPort && (workerData as WorkerJob | undefined)?.order) run(workerData as WorkerJob);
