/**
 * A worker thread of a parallel lint (parallel-lint.ts): opens the same workspace, indexes its
 * share of the posts, replies with the index entries, takes the whole index back, lints its
 * share against it and replies with the results.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { indexShare, type WorkerJob, type WorkerReply } from './parallel-lint';
import type { IndexedPost } from './post-index';
import { Workspace } from './workspace';
import { LintCache } from './lint-cache';

function run(job: WorkerJob): void {
  const port = parentPort!;
  const reply = (r: WorkerReply) => port.postMessage(r);
  try {
    const ws = Workspace.open(job.root, { playbookDir: job.playbookDir, cache: job.cache });
    const { entries, texts } = indexShare(ws, job.files, new Set(job.lint));
    reply({ type: 'indexed', entries });
    port.once('message', (all: IndexedPost[]) => {
      try {
        ws.adoptIndex(all);
        const recorder = job.record ? LintCache.recorder(ws) : undefined;
        const results = ws.lintRead(job.lint, texts, { now: new Date(job.now), findingsOnly: true }, recorder);
        reply({ type: 'linted', results, ...(recorder ? { recorded: recorder.takeRecorded() } : {}) });
      } catch (e) {
        reply({ type: 'failed', message: (e as Error).message });
      }
    });
  } catch (e) {
    reply({ type: 'failed', message: (e as Error).message });
  }
}

if (parentPort && (workerData as WorkerJob | undefined)?.files) run(workerData as WorkerJob);
