import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import fc from 'fast-check';
import { NOW, REPO_ROOT, tempWorkspace } from '../../test/helpers';
import { LintCache } from './lint-cache';
import { lintFilesInParallel } from './parallel-lint';
import type { LintResult } from './workspace';
import { Workspace } from './workspace';

/** Sentences long enough to count as pasted when two posts share one, and some that trip the voice rules. */
const SENTENCES = [
  'Our new timetable starts on Monday with more buses on every route in town.',
  'The library garden opens to everyone this Saturday with music and free lemonade for the kids.',
  'Volunteers cleaned the whole river path last weekend and found three bicycles in the reeds.',
  'Please contact the relevant department prior to submitting your form.',
  'We apologise for any inconvenience this may have caused.',
  'Come along.',
  'Thanks to everyone who came out in the rain!',
  'You can’t park there.',
];

function text(status: 'draft' | 'scheduled', hours: number, reviewed: boolean, sentences: number[]): string {
  const at = new Date(NOW.getTime() + hours * 3_600_000).toISOString().replace('.000Z', 'Z');
  const schedule = status === 'scheduled' ? `\npublish_at: ${at}` : '';
  const review = reviewed ? `\nreviewed_at: ${new Date(NOW.getTime() - 3_600_000).toISOString().replace('.000Z', 'Z')}` : '';
  const body = sentences.map((i) => SENTENCES[i]).join(' ');
  return `---\ntitle: A post\nchannels: [outbox, bluesky]\nstatus: ${status}${schedule}${review}\n---\n${body}\n`;
}

const arbPost = fc
  .record({
    status: fc.constantFrom<'draft' | 'scheduled'>('draft', 'draft', 'scheduled'),
    hours: fc.integer({ min: -30, max: 24 * 20 }),
    reviewed: fc.boolean(),
    sentences: fc.array(fc.integer({ min: 0, max: SENTENCES.length - 1 }), { minLength: 1, maxLength: 4 }),
  })
  .map((p) => text(p.status, p.hours, p.reviewed, p.sentences));

type Op =
  | { kind: 'write'; post: number; text: string }
  | { kind: 'delete'; post: number }
  | { kind: 'playbook'; maxRepeats: number }
  | { kind: 'clock'; hours: number }
  | { kind: 'nothing' };

const arbOp: fc.Arbitrary<Op> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('write' as const), post: fc.integer({ min: 0, max: 7 }), text: arbPost }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('delete' as const), post: fc.integer({ min: 0, max: 7 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('playbook' as const), maxRepeats: fc.integer({ min: 1, max: 3 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('clock' as const), hours: fc.integer({ min: -48, max: 24 * 30 }) }) },
  { weight: 2, arbitrary: fc.constant({ kind: 'nothing' as const }) },
);

/** What a reader of the results sees (JSON drops absent and undefined fields alike). */
const seen = (results: LintResult[]) => JSON.stringify(results.map((r) => ({ file: r.file, findings: r.findings })));

function cached(root: string, cacheDir: string, now: Date): { results: LintResult[]; counts: LintCache['counts'] } {
  const ws = Workspace.open(root, { cache: cacheDir });
  const cache = LintCache.open(ws, cacheDir)!;
  assert.ok(cache, 'a workspace opened with the playbook cache has a lint cache');
  const results = ws.lintFiles(ws.listPosts(), { now, findingsOnly: true }, cache);
  cache.save(true);
  return { results, counts: cache.counts };
}

function fresh(root: string, cacheDir: string, now: Date): LintResult[] {
  const ws = Workspace.open(root, { cache: cacheDir });
  return ws.lintFiles(ws.listPosts(), { now, findingsOnly: true });
}

function setMaxRepeats(root: string, n: number): void {
  const f = path.join(root, 'playbooks', 'talking-points.md');
  fs.writeFileSync(f, fs.readFileSync(f, 'utf8').replace(/max_repeats: \d+/, `max_repeats: ${n}`));
}

const lintFiles = (dir: string) => fs.readdirSync(dir).filter((n) => /^lint-[0-9a-f]+\.json$/.test(n));

describe('lint cache', () => {
  it('gives exactly the findings of a lint without it, through any sequence of edits, deletions, playbook edits and clock changes', function () {
    this.timeout(120000);
    let reusedOnNothing = 0;
    fc.assert(
      fc.property(fc.array(arbPost, { minLength: 2, maxLength: 6 }), fc.array(arbOp, { minLength: 1, maxLength: 8 }), (posts, ops) => {
        const files: Record<string, string> = {};
        posts.forEach((t, i) => (files[`posts/p${i}.md`] = t));
        const root = tempWorkspace(files);
        const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'unscripted-lint-cache-'));
        try {
          let now = NOW;
          cached(root, cacheDir, now);
          for (const op of ops) {
            if (op.kind === 'write') fs.writeFileSync(path.join(root, 'posts', `p${op.post}.md`), op.text);
            else if (op.kind === 'delete') fs.rmSync(path.join(root, 'posts', `p${op.post}.md`), { force: true });
            else if (op.kind === 'playbook') setMaxRepeats(root, op.maxRepeats);
            else if (op.kind === 'clock') now = new Date(NOW.getTime() + op.hours * 3_600_000);
            const got = cached(root, cacheDir, now);
            assert.equal(seen(got.results), seen(fresh(root, cacheDir, now)), `after ${op.kind}`);
            if (op.kind === 'nothing') {
              // Every post that reads no clock is reused when nothing changed.
              const steady = fs
                .readdirSync(path.join(root, 'posts'))
                .filter((n) => !/status: scheduled|reviewed_at/.test(fs.readFileSync(path.join(root, 'posts', n), 'utf8'))).length;
              assert.ok(got.counts.reused >= steady, `reused ${got.counts.reused} of ${steady} unscheduled posts`);
              reusedOnNothing += got.counts.reused;
            }
          }
        } finally {
          fs.rmSync(root, { recursive: true, force: true });
          fs.rmSync(cacheDir, { recursive: true, force: true });
        }
      }),
      { seed: 20261203, numRuns: Number(process.env.FUZZ_RUNS ?? 30) },
    );
    assert.ok(reusedOnNothing > 0, 'the cache was used at all');
  });

  it('reuses every unchanged post, and does not rewrite its file when nothing changed', () => {
    const root = tempWorkspace({
      'posts/a.md': text('draft', 0, false, [0, 3]),
      'posts/b.md': text('draft', 0, false, [1]),
      'posts/c.md': text('scheduled', 30, false, [2]),
    });
    const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'unscripted-lint-cache-'));
    const first = cached(root, cacheDir, NOW);
    assert.deepEqual(first.counts, { reused: 0, linted: 3 });
    const [file] = lintFiles(cacheDir);
    assert.ok(file, 'the cache file is written');
    const before = fs.statSync(path.join(cacheDir, file)).mtimeMs;
    const second = cached(root, cacheDir, NOW);
    // The scheduled post reads the clock: linted again every time.
    assert.deepEqual(second.counts, { reused: 2, linted: 1 });
    assert.equal(seen(second.results), seen(first.results));
    assert.equal(fs.statSync(path.join(cacheDir, file)).mtimeMs, before, 'not rewritten');
    // The file holds findings and numbers, never a post's text beyond its sentence keys.
    assert.ok(!fs.readFileSync(path.join(cacheDir, file), 'utf8').includes('title: A post'));
  });

  it('lints an unchanged post again when another post pastes its sentence, and when the playbook changes', () => {
    const root = tempWorkspace({
      'posts/a.md': text('draft', 0, false, [0]),
      'posts/b.md': text('draft', 0, false, [0]),
      'posts/c.md': text('draft', 0, false, [1]),
    });
    const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'unscripted-lint-cache-'));
    const ids = (r: LintResult[], name: string) => r.find((x) => x.file.endsWith(name))!.findings.map((f) => f.ruleId);
    assert.ok(!ids(cached(root, cacheDir, NOW).results, 'a.md').includes('talking-point'), 'two posts: within max_repeats');
    fs.writeFileSync(path.join(root, 'posts', 'c.md'), text('draft', 0, false, [0]));
    const third = cached(root, cacheDir, NOW);
    assert.ok(ids(third.results, 'a.md').includes('talking-point'), 'a.md, unchanged, now reports the sentence pasted in 3 posts');
    assert.equal(third.counts.reused, 0, 'every post holds the sentence whose answer changed');
    setMaxRepeats(root, 3);
    const fourth = cached(root, cacheDir, NOW);
    assert.equal(fourth.counts.reused, 0, 'a new playbook: nothing reused');
    assert.ok(!ids(fourth.results, 'a.md').includes('talking-point'));
  });

  it('lints in full from a damaged cache file, and repairs it', () => {
    const root = tempWorkspace({ 'posts/a.md': text('draft', 0, false, [3]), 'posts/b.md': text('draft', 0, false, [4]) });
    const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'unscripted-lint-cache-'));
    const first = cached(root, cacheDir, NOW);
    const file = path.join(cacheDir, lintFiles(cacheDir)[0]);
    const data = JSON.parse(fs.readFileSync(file, 'utf8')) as { strings: string[]; posts: Record<string, { f: unknown[] }> };
    // An entry pointing past the string table, then a file cut in half.
    data.strings = [];
    fs.writeFileSync(file, JSON.stringify(data));
    const damaged = cached(root, cacheDir, NOW);
    assert.equal(seen(damaged.results), seen(first.results));
    assert.equal(damaged.counts.linted, 2);
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').slice(0, 100));
    const cut = cached(root, cacheDir, NOW);
    assert.equal(seen(cut.results), seen(first.results));
    assert.deepEqual(cached(root, cacheDir, NOW).counts, { reused: 2, linted: 0 }, 'the file was written again whole');
  });

  it("keeps the cache files of the 64 workspaces linted last, and clears a killed run's temporary file", () => {
    const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'unscripted-lint-cache-'));
    const old = new Date(Date.now() - 2 * 3_600_000);
    for (let i = 0; i < 70; i++) {
      const f = path.join(cacheDir, `lint-${i.toString(16).padStart(32, '0')}.json`);
      fs.writeFileSync(f, '{}');
      fs.utimesSync(f, old, new Date(old.getTime() + i * 1000));
    }
    const stray = path.join(cacheDir, `lint-${'f'.repeat(32)}.json.999.tmp`);
    fs.writeFileSync(stray, '{');
    fs.utimesSync(stray, old, old);
    const keep = path.join(cacheDir, 'playbook-x.json');
    fs.writeFileSync(keep, '{}');
    cached(tempWorkspace({ 'posts/a.md': text('draft', 0, false, [1]) }), cacheDir, NOW);
    const left = lintFiles(cacheDir);
    assert.equal(left.length, 64);
    assert.ok(!left.includes(`lint-${(0).toString(16).padStart(32, '0')}.json`), 'the oldest went');
    assert.ok(left.includes(`lint-${(69).toString(16).padStart(32, '0')}.json`), 'the newest stayed');
    assert.ok(!fs.existsSync(stray), 'the stray temporary file went');
    assert.ok(fs.existsSync(keep), 'other caches are left alone');
  });

  it('fills the cache from a lint on worker threads, which the next lint reuses', async function () {
    this.timeout(60000);
    const files: Record<string, string> = {};
    for (let i = 0; i < 24; i++)
      files[`posts/p${String(i).padStart(2, '0')}.md`] = text(i % 6 === 0 ? 'scheduled' : 'draft', i, false, [i % 8, (i * 3) % 8]);
    const root = tempWorkspace(files);
    const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'unscripted-lint-cache-'));
    const ws = Workspace.open(root, { cache: cacheDir });
    const cache = LintCache.open(ws, cacheDir)!;
    let threads = 0;
    const parallel = await lintFilesInParallel(ws, ws.listPosts(), NOW, { threads: 2, cache, onRun: (how) => (threads = how.threads) });
    cache.save(true);
    assert.equal(threads, 2, 'the workers ran');
    assert.equal(seen(parallel), seen(fresh(root, cacheDir, NOW)));
    const again = cached(root, cacheDir, NOW);
    assert.deepEqual(
      again.counts,
      { reused: 20, linted: 4 },
      'every post the workers and this thread linted is stored; the 4 scheduled ones read the clock',
    );
    assert.equal(seen(again.results), seen(parallel));
  });

  it('gives the same findings, in the same order, in every locale (ties between rules sort by id, not by collation)', () => {
    // Two rules on one span: the 40-character channel is cut exactly where the deflection starts.
    const root = tempWorkspace({
      'posts/l.md': '---\ntitle: l\nchannels: [short]\nstatus: draft\n---\nBins on Elm Street are late but that is outside our remit\n',
    });
    const channels = path.join(root, 'playbooks', 'channels.md');
    fs.appendFileSync(channels, '| short | bluesky | us2 | 40 |\n');
    const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'unscripted-lint-cache-'));
    const run = (lang: string, extra: string[] = []) =>
      spawnSync(
        process.execPath,
        [path.join(REPO_ROOT, 'bin', 'unscripted.js'), 'lint', '-f', 'json', '--now', NOW.toISOString(), ...extra],
        {
          cwd: root,
          encoding: 'utf8',
          env: { ...process.env, LANG: lang, LC_ALL: lang, UNSCRIPTED_CACHE_DIR: cacheDir },
        },
      ).stdout;
    const ids = (out: string) => (JSON.parse(out) as { messages: { ruleId: string }[] }[])[0].messages.map((m) => m.ruleId);
    const c = run('C.UTF-8');
    assert.deepEqual(ids(c), ['channel-length', 'deflection'], 'both rules report the same span, in id order');
    // Czech collation puts "ch" after "h": the order must not follow it, cached or not.
    assert.equal(run('cs_CZ.UTF-8'), c);
    assert.equal(run('cs_CZ.UTF-8', ['--no-cache']), c);
  });

  it('is on for a plain `unscripted lint`, off with --no-cache and UNSCRIPTED_CACHE=0, and the output is the same', () => {
    const root = tempWorkspace({ 'posts/a.md': text('draft', 0, false, [0, 3]), 'posts/b.md': text('scheduled', 5, true, [0, 4]) });
    const run = (args: string[], env: Record<string, string>) =>
      spawnSync(process.execPath, [path.join(REPO_ROOT, 'bin', 'unscripted.js'), 'lint', '-f', 'json', ...args], {
        cwd: root,
        encoding: 'utf8',
        env: { ...process.env, NO_COLOR: '1', ...env },
      });
    const off = fs.mkdtempSync(path.join(os.tmpdir(), 'unscripted-lint-cache-'));
    const a = run(['--no-cache', '--now', NOW.toISOString()], { UNSCRIPTED_CACHE_DIR: off });
    assert.deepEqual(lintFiles(off), [], '--no-cache writes no lint cache');
    const b = run(['--now', NOW.toISOString()], { UNSCRIPTED_CACHE_DIR: off, UNSCRIPTED_CACHE: '0' });
    assert.deepEqual(lintFiles(off), [], 'UNSCRIPTED_CACHE=0 writes none');
    const on = fs.mkdtempSync(path.join(os.tmpdir(), 'unscripted-lint-cache-'));
    const c = run(['--now', NOW.toISOString()], { UNSCRIPTED_CACHE_DIR: on });
    assert.equal(lintFiles(on).length, 1, 'a plain lint writes one');
    const d = run(['--now', NOW.toISOString()], { UNSCRIPTED_CACHE_DIR: on });
    for (const r of [b, c, d]) {
      assert.equal(r.status, a.status, r.stderr);
      assert.equal(r.stdout, a.stdout);
    }
    assert.ok(
      JSON.parse(a.stdout).length === 2 && a.stdout.includes('deflection') && a.stdout.includes('non-apology'),
      'the posts have findings to compare',
    );
  });
});
