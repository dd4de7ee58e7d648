import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { NOW, REPO_ROOT, tempWorkspace } from '../../test/helpers';
import { Worker } from 'node:worker_threads';
import { lintChunkSize, lintFilesInParallel, LintQueue, MIN_PARALLEL_POSTS, threadCount } from './parallel-lint';
import { Workspace } from './workspace';

const PASTED = 'Our new timetable starts on Monday with more buses on every route in town';

/**
 * A workspace that exercises every cross-post path: sentences pasted into posts that land in
 * different threads' shares, scheduled posts close enough to make a burst, and files that are
 * not posts (binary, too large, broken front matter) among them.
 */
function mixedWorkspace(n: number): string {
  const files: Record<string, string | Buffer> = {};
  for (let i = 0; i < n; i++) {
    const when =
      i % 5 === 0
        ? `\npublish_at: 2026-03-0${2 + (i % 3)}T09:${String(i % 60).padStart(2, '0')}:00Z\nstatus: scheduled`
        : '\nstatus: draft';
    const pasted = i % 7 === 0 ? ` ${PASTED}.` : '';
    const body = `Post ${i} is about the ${['market', 'library', 'river walk', 'bus depot'][i % 4]} and what happens there this week, prior to the weekend.${pasted}\n`;
    files[`posts/p${String(i).padStart(3, '0')}.md`] = `---\ntitle: Post ${i}\nchannels: [outbox, bluesky]${when}\n---\n${body}`;
  }
  files['posts/binary.md'] = Buffer.from([0x00, 0x01, 0x02]);
  files['posts/broken.md'] = '---\ntitle: [unclosed\n---\nBody.\n';
  files['posts/huge.md'] = `---\ntitle: Huge\nchannels: [outbox]\nstatus: draft\n---\n${'word '.repeat(300_000)}\n`;
  return tempWorkspace(files);
}

describe('parallel lint (worker threads)', () => {
  it('gives exactly the findings of the serial lint, in the same order, on 2 and 3 threads', async function () {
    this.timeout(60000);
    const root = mixedWorkspace(60);
    const serialWs = Workspace.open(root);
    const serial = serialWs.lintFiles(serialWs.listPosts(), { now: NOW, findingsOnly: true });
    // The cross-post rules fired, so the merged index is what they read.
    const ids = new Set(serial.flatMap((r) => r.findings.map((f) => f.ruleId)));
    for (const id of ['talking-point', 'schedule-burst', 'file', 'front-matter'])
      assert.ok(ids.has(id), `the workspace makes ${id} report`);
    for (const threads of [2, 3]) {
      const ws = Workspace.open(root);
      let used = 0;
      let indexed: number[] = [];
      let stolen: number[] = [];
      const parallel = await lintFilesInParallel(ws, ws.listPosts(), NOW, {
        threads,
        byTurns: true,
        onRun: (how) => ((used = how.threads), (indexed = how.indexed ?? []), (stolen = how.stolen ?? [])),
      });
      assert.equal(used, threads, 'the workers ran (no fallback to the serial lint)');
      assert.equal(indexed.length, threads);
      assert.equal(
        indexed.reduce((a, b) => a + b, 0),
        ws.listPosts().length,
        `the threads took every post once between them (${indexed.join(' + ')})`,
      );
      assert.equal(stolen.length, threads);
      assert.ok(
        stolen.every((n) => n > 0),
        `every thread linted posts another thread had read (${stolen.join(', ')}), so it read them again`,
      );
      assert.deepEqual(parallel, serial, `${threads} threads`);
      assert.equal(ws.index.size, serialWs.index.size, 'this thread holds the whole index afterwards');
    }
    // Shares taken as they come depend on timing (a thread may take no chunk at all): the same findings still.
    for (let run = 0; run < 3; run++) {
      const ws = Workspace.open(root);
      let indexed: number[] = [];
      const parallel = await lintFilesInParallel(ws, ws.listPosts(), NOW, { threads: 2, onRun: (how) => (indexed = how.indexed ?? []) });
      assert.deepEqual(parallel, serial, `run ${run} (shares ${indexed.join(' + ')})`);
    }
  });

  it('lints only the named files, against an index of every post', async function () {
    this.timeout(60000);
    const root = mixedWorkspace(30);
    const named = ['posts/p000.md', 'posts/p007.md', 'posts/p014.md'];
    const serial = Workspace.open(root).lintFiles(named, { now: NOW, findingsOnly: true });
    let used = 0;
    let indexed: number[] = [];
    const parallel = await lintFilesInParallel(Workspace.open(root), named, NOW, {
      threads: 2,
      byTurns: true,
      onRun: (how) => ((used = how.threads), (indexed = how.indexed ?? [])),
    });
    assert.equal(used, 2);
    assert.ok(indexed[0] > 0 && indexed[1] > 0, `both threads indexed posts (${indexed.join(' + ')})`);
    assert.deepEqual(parallel, serial);
    assert.ok(
      parallel[0].findings.some((f) => f.ruleId === 'talking-point' && /p021\.md|p028\.md/.test(f.message)),
      'names a post that was not linted',
    );
  });

  it("the lint queue gives every chunk to exactly one thread, and a thread with none left takes the others'", async function () {
    this.timeout(60000);
    // Unequal shares: this thread's is small, so it runs out first and takes from the others'.
    const lists = [100, 300, 40_000].map((n, l) => Array.from({ length: n }, (_, i) => `${l}/${i}`));
    const chunk = 1;
    const words = LintQueue.words(lists, chunk);
    const script = `const { parentPort, workerData: d } = require('node:worker_threads');
      const { LintQueue } = require(${JSON.stringify(require.resolve('./parallel-lint'))});
      const q = new LintQueue(d.lists, d.words, d.chunk, d.me);
      const got = [];
      for (let c = q.take(); c; c = q.take()) got.push(...c);
      parentPort.postMessage({ got, stolen: q.stolen });`;
    const workers = [1, 2].map((me) => new Worker(script, { eval: true, workerData: { lists, words, chunk, me } }));
    const replies = workers.map(
      (w) =>
        new Promise<{ got: string[]; stolen: number }>((resolve, reject) => {
          w.once('message', resolve);
          w.once('error', reject);
        }),
    );
    const mine = new LintQueue(lists, words, chunk, 0);
    const got: string[] = [];
    for (let c = mine.take(); c; c = mine.take()) got.push(...c);
    const theirs = await Promise.all(replies);
    await Promise.all(workers.map((w) => w.terminate()));
    const all = [got, ...theirs.map((r) => r.got)].flat();
    assert.equal(all.length, 40_400, 'no chunk taken twice');
    assert.deepEqual(new Set(all), new Set(lists.flat()), 'none left out');
    assert.ok(mine.stolen > 0, `this thread took posts of the others' shares (${mine.stolen})`);
    assert.equal(mine.take(), undefined, 'nothing is left');
  });

  it('lint chunks stay within what a queue word counts', () => {
    assert.equal(lintChunkSize([[], []]), 32);
    const big = Array.from({ length: 3_000_000 }, () => 'x');
    const c = lintChunkSize([big, []]);
    assert.ok(Math.ceil(big.length / c) <= 0xffff, `${c} posts a chunk`);
    const q = new LintQueue([big.slice(0, 100), []], LintQueue.words([big.slice(0, 100), []], 32), 32, 1);
    const taken = [q.take(), q.take(), q.take(), q.take()].map((x) => x?.length);
    assert.deepEqual(taken, [32, 32, 32, 4], 'the other list, oldest chunk first');
    assert.equal(q.take(), undefined);
    assert.equal(q.stolen, 100);
  });

  it('runs serially when the rules were changed or the index is already built', async () => {
    const root = mixedWorkspace(10);
    const ws = Workspace.open(root);
    ws.rules = ws.rules.filter((r) => r.id !== 'talking-point');
    let used = 0;
    const r = await lintFilesInParallel(ws, ws.listPosts(), NOW, { threads: 2, onRun: (how) => (used = how.threads) });
    assert.equal(used, 1);
    assert.ok(!r.some((x) => x.findings.some((f) => f.ruleId === 'talking-point')), 'the changed rule set applies');
  });

  it('chooses threads by posts and cores; UNSCRIPTED_THREADS overrides', () => {
    assert.equal(threadCount(MIN_PARALLEL_POSTS - 1, {}), 1);
    assert.ok(threadCount(100_000, {}) >= 1 && threadCount(100_000, {}) <= 8);
    assert.equal(threadCount(100_000, { UNSCRIPTED_THREADS: '1' }), 1);
    assert.equal(threadCount(10, { UNSCRIPTED_THREADS: '3' }), 3);
    assert.equal(threadCount(100_000, { UNSCRIPTED_THREADS: 'lots' }), 1, 'a value that is not a count: serial');
  });

  it('the CLI prints the same output on one thread and on three (the bundled worker)', function () {
    this.timeout(60000);
    const root = mixedWorkspace(40);
    fs.rmSync(path.join(root, 'posts', 'huge.md'));
    const run = (threads: string) =>
      spawnSync(process.execPath, [path.join(REPO_ROOT, 'bin', 'unscripted.js'), 'lint', '-f', 'json', '--now', NOW.toISOString()], {
        cwd: root,
        env: { ...process.env, UNSCRIPTED_THREADS: threads, NO_COLOR: '1' },
        encoding: 'utf8',
      });
    const one = run('1');
    const three = run('3');
    assert.equal(one.status, 1, one.stderr);
    assert.equal(three.status, one.status);
    assert.equal(three.stdout, one.stdout);
    assert.doesNotMatch(three.stderr, /could not lint on several threads/, 'the bundled worker ran');
    assert.ok(JSON.parse(one.stdout).length >= 40);
  });
});
