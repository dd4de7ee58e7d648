/**
 * Issue 12: hostile and oversized input. One test per row of the table (generated
 * inputs, nothing big committed), asserting the outcome and that the cost grows at most
 * linearly: the time ratio between two sizes is compared with the size ratio, with generous
 * slack for a loaded machine (a quadratic cost overshoots it many times). Never an absolute time.
 * Then the defects found the same way, each reproduced first.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Readable } from 'node:stream';
import { main } from '../../src/cli/main';
import { run as publishRun } from '../../src/cli/publish';
import { BUILTIN_RULES, lintPost, loadPlaybookSync, Workspace, graphemeCount, countLength, parsePost } from '../../src/core';
import { clearParseCache } from '../../src/core/markdown';
import { planPublish } from '../../src/core/publish';
import { MAX_BLOCK_CHARS, MAX_STDIN_BYTES, MAX_THREAD_PARTS } from '../../src/core/limits';
import { fixturePlaybook, NOW } from '../helpers';
import * as h from '../hostile-inputs';
import { Capture, makeWorkspace, read, writePost } from './publish-helpers';

/** Best of `runs` wall times of fn, in ms (the minimum is the least disturbed by other load). */
function timeOf(fn: () => void, runs = 3): number {
  let best = Infinity;
  for (let i = 0; i < runs; i++) {
    clearParseCache();
    const t = process.hrtime.bigint();
    fn();
    best = Math.min(best, Number(process.hrtime.bigint() - t) / 1e6);
  }
  return Math.max(best, 0.5);
}

/** Cost at size `big` against size `small` may exceed the size ratio by at most `slack` times. */
function assertLinear(label: string, small: number, big: number, fn: (n: number) => void, slack = 2.5, runs = 3, warm = true): void {
  if (warm) fn(small); // warm up the JIT and the caches that are not the subject
  const a = timeOf(() => fn(small), runs);
  const b = timeOf(() => fn(big), runs);
  const sizeRatio = big / small;
  assert.ok(
    b / a <= sizeRatio * slack,
    `${label}: ${small} → ${big} (×${sizeRatio}) took ${a.toFixed(1)} → ${b.toFixed(1)} ms (×${(b / a).toFixed(1)}; linear allows ×${(sizeRatio * slack).toFixed(0)})`,
  );
}

function withEnv<T>(name: string, value: string, fn: () => T): T {
  const old = process.env[name];
  process.env[name] = value;
  try {
    return fn();
  } finally {
    if (old === undefined) delete process.env[name];
    else process.env[name] = old;
  }
}

const lintBody = (body: string, front = 'title: T\nchannels: [outbox]\nstatus: draft') =>
  lintPost({ file: '/ws/posts/big.md', text: `---\n${front}\n---\n${body}`, playbook: fixturePlaybook(), rules: BUILTIN_RULES, now: NOW });

async function cli(cwd: string, argv: string[], stdin?: NodeJS.ReadableStream) {
  const stdout = new Capture();
  const stderr = new Capture();
  const code = await main(argv, { cwd, stdout, stderr, stdin, env: {}, isTTY: false });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

describe('hostile input: oversized and many-post inputs end with a clear outcome, at linear cost', function () {
  this.timeout(120_000);
  const roots: string[] = [];
  after(() => roots.forEach((r) => fs.rmSync(r, { recursive: true, force: true })));
  const root = () => {
    const r = h.tempRoot();
    roots.push(r);
    return r;
  };

  it('posts sharing one sentence: every post flagged once, cost linear in the number of posts', async () => {
    const sizes = [250, 2000];
    const dirs = sizes.map((n) => {
      const r = root();
      h.sharedSentencePosts(r, n);
      return r;
    });
    const big = Workspace.open(dirs[1]).lintFiles();
    assert.equal(big.length, 2000);
    for (const r of big) {
      const pasted = r.findings.filter((f) => f.ruleId === 'talking-point');
      assert.equal(pasted.length, 1, r.file);
      assert.match(pasted[0].message, /pasted in 2000 posts \(also .*, …\)/);
    }
    // Names are the first three others in sort order, never the post itself.
    assert.match(big.find((r) => r.file.endsWith('/p0.md'))!.findings[0].message, /also p1\.md, p10\.md, p100\.md, …/);
    assert.match(big.find((r) => r.file.endsWith('/p1.md'))!.findings[0].message, /also p0\.md, p10\.md, p100\.md, …/);
    const lintAll = (n: number) => {
      const ws = Workspace.open(dirs[sizes.indexOf(n)]);
      void ws.lintFiles();
    };
    assertLinear('shared sentence', sizes[0], sizes[1], lintAll, 2.5, 2);
  });

  it('distinct small posts: no finding, cost linear in the number of posts', async () => {
    const sizes = [250, 2000];
    const dirs = sizes.map((n) => {
      const r = root();
      h.distinctPosts(r, n);
      return r;
    });
    const res = Workspace.open(dirs[1]).lintFiles();
    assert.equal(res.length, 2000);
    assert.deepEqual(
      res.flatMap((r) => r.findings),
      [],
    );
    assertLinear('distinct posts', sizes[0], sizes[1], (n) => void Workspace.open(dirs[sizes.indexOf(n)]).lintFiles(), 2.5, 2);
  });

  it('posts scheduled close together: every post in a burst, cost n log n in the number of posts', () => {
    const sizes = [250, 2000];
    const dirs = sizes.map((n) => {
      const r = root();
      h.scheduledPosts(r, n);
      return r;
    });
    const res = Workspace.open(dirs[1]).lintFiles(undefined, { now: NOW });
    assert.equal(res.length, 2000);
    for (const r of res) {
      const burst = r.findings.filter((f) => f.ruleId === 'schedule-burst');
      assert.equal(burst.length, 1, r.file);
      assert.match(burst[0].message, /^\d+ posts on outbox within 6 hours \(the limit is \d/);
    }
    assertLinear(
      'scheduled posts',
      sizes[0],
      sizes[1],
      (n) => void Workspace.open(dirs[sizes.indexOf(n)]).lintFiles(undefined, { now: NOW }),
      2.5,
      2,
    );
  });

  it('a post of emoji or CJK: graphemes counted exactly, in linear time', () => {
    assert.equal(graphemeCount(h.emojiBody(80_000)), 80_000);
    assert.equal(countLength(h.emojiBody(5_000), 'bluesky'), 5_000);
    assert.equal(
      countLength(h.emojiBody(5_000), 'mastodon'),
      5_000,
      'Mastodon counts grapheme clusters (its StatusLengthValidator), as Bluesky does',
    );
    assert.equal(graphemeCount(h.cjkBody(40_000).replace(/\n/g, '')), 40_000);
    // Chunk edges never split a cluster: a long cluster, regional indicators, CR LF.
    assert.equal(graphemeCount('e' + '\u0301'.repeat(5_000) + 'x'), 2);
    assert.equal(graphemeCount('🇫🇷'.repeat(3_001)), 3_001);
    assert.equal(graphemeCount('é\r\n'.repeat(1_000)), 2_000);
    const emoji = new Map([20_000, 160_000].map((n) => [n, h.emojiBody(n)]));
    const cjk = new Map([20_000, 160_000].map((n) => [n, h.cjkBody(n)]));
    assertLinear('emoji graphemes', 20_000, 160_000, (n) => void graphemeCount(emoji.get(n)!));
    assertLinear('CJK graphemes', 20_000, 160_000, (n) => void graphemeCount(cjk.get(n)!));
  });

  it('the channel length of a long emoji post, linted in full on request, is linear', () => {
    const front = 'title: T\nchannels: [bluesky, mastodon]\nstatus: draft';
    withEnv('UNSCRIPTED_MAX_POST_KB', '1024', () => {
      const f = lintBody(h.emojiBody(40_000), front).filter((x) => x.ruleId === 'channel-length');
      assert.equal(f.length, 2);
      assert.match(f.find((x) => /Bluesky/.test(x.message))!.message, /40000\/300 characters on Bluesky/);
      assertLinear('emoji post lint', 10_000, 80_000, (n) => void lintBody(h.emojiBody(n), front), 2.5, 2);
    });
  });

  it('a voice playbook with 100,000 phrases loads, matches, and stays within memory', () => {
    const dir = root();
    const file = path.join(dir, 'voice.md');
    const sizes = [12_500, 100_000];
    const text = new Map(sizes.map((n) => [n, h.voicePlaybook(n)]));
    const load = (n: number) => {
      fs.writeFileSync(file, text.get(n)!);
      return loadPlaybookSync({ workspaceRoot: dir, playbookDir: dir });
    };
    const before = process.memoryUsage().heapUsed;
    const pb = load(100_000);
    assert.deepEqual(pb.errors, []);
    const rule = pb.rules.get('voice/words-we-avoid')!;
    assert.equal(rule.phrases.length, 100_000);
    const target = h.distinctSentence(77_777).split(' ')[1];
    const found = lintPost({
      file: '/ws/posts/a.md',
      text: `---\ntitle: A\nchannels: [outbox]\n---\nWe met by the ${target} 77777 today.\n`,
      playbook: pb,
      rules: BUILTIN_RULES,
      now: NOW,
    });
    assert.equal(found.filter((f) => f.ruleId === 'voice/words-we-avoid').length, 1);
    assert.equal(found.find((f) => f.ruleId === 'voice/words-we-avoid')!.line, 5);
    const grown = process.memoryUsage().heapUsed - before;
    assert.ok(grown < 300 * 1024 * 1024, `100,000 phrases took ${(grown / 1024 / 1024).toFixed(0)} MB of heap`);
    assertLinear('playbook phrases', sizes[0], sizes[1], (n) => void load(n), 2.5, 1, false);
  });

  it('a 2 MiB voice playbook full of mistakes: every mistake at its line, no crash, linear', () => {
    const dir = root();
    const file = path.join(dir, 'voice.md');
    const sizes = [256 * 1024, 2 * 1024 * 1024 - 1024];
    const text = new Map(sizes.map((n) => [n, h.brokenVoicePlaybook(n)]));
    const load = (n: number) => {
      fs.writeFileSync(file, text.get(n)!);
      return loadPlaybookSync({ workspaceRoot: dir, playbookDir: dir });
    };
    const pb = load(sizes[1]);
    const items = text
      .get(sizes[1])!
      .split('\n')
      .filter((l) => l.startsWith('- ')).length;
    assert.ok(pb.errors.length >= items * 0.6, `${pb.errors.length} errors for ${items} items`);
    assert.ok(pb.errors.every((e) => e.file === file && e.line >= 8));
    assert.match(pb.errors[0].message, /Expected a quoted phrase|quoted|placeholder|arrow/);
    assertLinear('broken playbook', sizes[0], sizes[1], (n) => void load(n), 2.5, 1);
  });

  it('a playbook file over the cap is an error at the file, not read', () => {
    const dir = root();
    fs.writeFileSync(path.join(dir, 'voice.md'), h.voicePlaybook(10) + 'x'.repeat(2 * 1024 * 1024));
    const pb = loadPlaybookSync({ workspaceRoot: dir, playbookDir: dir });
    assert.equal(pb.errors.length, 1);
    assert.equal(pb.errors[0].line, 1);
    assert.match(pb.errors[0].message, /too large .* limit is 2 MiB.*split it/);
    // An editor's unsaved buffer gets the same limit.
    const file = path.join(dir, 'voice.md');
    fs.writeFileSync(file, h.voicePlaybook(10));
    const overlaid = loadPlaybookSync({
      workspaceRoot: dir,
      playbookDir: dir,
      overlay: new Map([[file, h.voicePlaybook(10) + 'x'.repeat(3 * 1024 * 1024)]]),
    });
    assert.equal(overlaid.errors.length, 1);
    assert.match(overlaid.errors[0].message, /too large/);
  });

  for (const [name, unit] of [
    ['`- *a*` list items', h.LIST_UNIT],
    ['emphasis paragraphs', h.EMPHASIS_UNIT],
    ['block quotes', h.QUOTE_UNIT],
  ] as const) {
    it(`a 1 MiB post of ${name}: one finding at line 1; linted in full on request, linear`, () => {
      const big = h.repeatTo(unit, 1024 * 1024 - 200);
      const f = lintBody(big);
      assert.equal(f.length, 1);
      assert.equal(f[0].ruleId, 'file');
      assert.equal(f[0].line, 1);
      assert.match(
        f[0].message,
        /over the 64 KB a post may have: only its front matter and schedule were checked\. Split it .* UNSCRIPTED_MAX_POST_KB=/,
      );
      withEnv('UNSCRIPTED_MAX_POST_KB', '2048', () => {
        // One block (no blank lines) or many: both linear, and a block past the cap says it was read as plain text.
        const full = lintBody(big);
        const blocks = unit.endsWith('\n\n') ? 0 : 1;
        assert.equal(full.filter((x) => x.ruleId === 'file' && /checked as plain text/.test(x.message)).length, blocks);
        assertLinear(`${name} post`, 128 * 1024, 1024 * 1024, (n) => void lintBody(h.repeatTo(unit, n)), 2.5, 1);
        // Blocks just under the parser's cap, separated by blank lines.
        const chunked = (n: number) => h.repeatTo(h.repeatTo(unit.trimEnd() + '\n', MAX_BLOCK_CHARS - 64) + '\n', n);
        assert.equal(lintBody(chunked(64 * 1024)).filter((x) => x.ruleId === 'file').length, 0);
        assertLinear(`${name} post in blocks`, 128 * 1024, 1024 * 1024, (n) => void lintBody(chunked(n)), 2.5, 1);
      });
    });
  }

  it(`a thread of more than ${MAX_THREAD_PARTS} parts: front matter only, one finding at line 1`, () => {
    const body = Array.from({ length: MAX_THREAD_PARTS + 1 }, (_, i) => `Part ${i}.`).join('\n\n---\n\n');
    const f = lintBody(body);
    assert.deepEqual(
      f.map((x) => [x.ruleId, x.line]),
      [['file', 1]],
    );
    assert.match(f[0].message, /501 parts, over the 500/);
  });
});

describe('hostile input: one bad post never stops the others, nothing sent empty', function () {
  this.timeout(60_000);
  let ws: string;
  afterEach(() => fs.rmSync(ws, { recursive: true, force: true }));

  it('an alias bomb is a front-matter error at its line, and the other posts are linted', async () => {
    ws = h.tempRoot();
    h.writeFiles(ws, { 'posts/bomb.md': h.aliasBomb(), 'posts/ok.md': `${h.FRONT('OK')}Going forward we will fix it.\n` });
    const r = await cli(ws, ['lint', '--format', 'compact']);
    assert.equal(r.code, 1, r.stderr);
    assert.equal(r.stderr, '');
    assert.match(r.stdout, /^posts\/bomb\.md:5:\d+: error Front matter: .*aliases/m);
    assert.match(r.stdout, /^posts\/ok\.md:6:1: .*going forward/im);
  });

  it('publish --due: an alias bomb, a 3 MiB post and broken front matter are each reported; the due post still goes out', async () => {
    ws = makeWorkspace([{ id: 'outbox', platform: 'outbox' }]);
    const front = {
      title: 'Due',
      channels: ['outbox'],
      status: 'scheduled',
      publish_at: '2026-06-01T08:00:00Z',
      reviewed_at: '2026-06-01T07:00:00Z',
    };
    const due = writePost(ws, 'a-due.md', front, 'Due now.\n');
    writePost(ws, 'b-huge.md', front, h.repeatTo(h.LIST_UNIT, 3 * 1024 * 1024));
    writePost(ws, 'c-big-body.md', front, h.repeatTo('Plain words here. ', 100 * 1024));
    fs.writeFileSync(
      path.join(ws, 'posts', 'd-bomb.md'),
      h.aliasBomb().replace('title: Bomb', 'title: Bomb\nstatus: scheduled\npublish_at: 2026-06-01T08:00:00Z'),
    );
    fs.writeFileSync(
      path.join(ws, 'posts', 'e-broken.md'),
      '---\ntitle: [unclosed\nstatus: scheduled\npublish_at: 2026-06-01T08:00:00Z\n---\nText.\n',
    );
    const stdout = new Capture();
    const stderr = new Capture();
    const code = await publishRun(['--due', '--now', '2026-06-01T09:00:00Z'], { cwd: ws, stdout, stderr, env: {}, isTTY: false });
    assert.equal(code, 1, stdout.text + stderr.text);
    assert.match(stdout.text, /posts\/a-due\.md → outbox: published/);
    assert.match(stdout.text, /failed posts\/b-huge\.md: File is too large/);
    assert.match(stdout.text, /failed posts\/c-big-body\.md: .*over the 64 KB a post may have.*not published/);
    assert.match(stdout.text, /failed posts\/d-bomb\.md:\d+: the front matter does not parse/);
    assert.match(stdout.text, /failed posts\/e-broken\.md:[2-4]: the front matter does not parse \(.*\), so its schedule cannot be read/);
    assert.equal(parsePost(due, read(due)).meta.status, 'published');
  });

  it('publish --due with only an unparsable post does not say "nothing is due" and exit 0', async () => {
    ws = makeWorkspace([{ id: 'outbox', platform: 'outbox' }]);
    fs.writeFileSync(path.join(ws, 'posts', 'broken.md'), '---\nstatus: scheduled\npublish_at: [2026-06-01T08:00:00Z\n---\nText.\n');
    const stdout = new Capture();
    const code = await publishRun(['--due', '--now', '2026-06-01T09:00:00Z'], {
      cwd: ws,
      stdout,
      stderr: new Capture(),
      env: {},
      isTTY: false,
    });
    assert.equal(code, 1);
    assert.match(stdout.text, /failed posts\/broken\.md:[2-4]: the front matter does not parse/);
    assert.match(stdout.text, /1 post\(s\) could not be read/);
  });

  it('publish --dry-run of a 3 MiB post is refused with a reason, no crash', async () => {
    ws = makeWorkspace([{ id: 'outbox', platform: 'outbox' }]);
    writePost(ws, 'huge.md', { title: 'Huge', channels: ['outbox'] }, h.repeatTo(h.LIST_UNIT, 3 * 1024 * 1024));
    const stdout = new Capture();
    const stderr = new Capture();
    const code = await publishRun(['posts/huge.md', '--dry-run'], { cwd: ws, stdout, stderr, env: {}, isTTY: false });
    assert.equal(code, 1);
    assert.match(stderr.text, /huge\.md is 3\.0 MiB, over the 1 MiB a post file may have: not published/);
  });

  it('an unclosed control comment is an error at its line; a part it empties is never published', async () => {
    const body =
      'First part, in plain words.\n\n---\n\n<!-- unscripted-disable authority-voice\n\nGoing forward we are pleased to announce.\n';
    const f = lintBody(body);
    const unclosed = f.filter((x) => x.ruleId === 'inline-control');
    assert.equal(unclosed.length, 1);
    assert.equal(unclosed[0].severity, 'error');
    assert.equal(unclosed[0].line, 10);
    assert.match(unclosed[0].message, /not closed: add -->/);
    const pb = fixturePlaybook();
    const { plan } = planPublish(parsePost('/ws/posts/p.md', `---\ntitle: P\nchannels: [outbox]\n---\n${body}`), pb);
    const outbox = plan.find((p) => p.channel === 'outbox')!;
    assert.equal(outbox.state, 'blocked');
    assert.match(outbox.note!, /part 2 renders empty/);
  });

  it('--stdin refuses more than its limit with a clear error (exit 2)', async () => {
    ws = h.tempRoot();
    const big = Readable.from(
      (function* () {
        for (let i = 0; i < 3; i++) yield Buffer.alloc(MAX_STDIN_BYTES / 2 + 1, 'a');
      })(),
    );
    const r = await cli(ws, ['lint', '--stdin'], big);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /standard input is over 1 MiB.*not linted/);
    const ok = await cli(ws, ['lint', '--stdin'], Readable.from([Buffer.from('---\ntitle: A\nchannels: [outbox]\n---\nHello.\n')]));
    assert.equal(ok.code, 0, ok.stderr);
  });
});

describe('hostile input: no input accepted silently, output that cannot be forged', function () {
  this.timeout(60_000);
  const dirs: string[] = [];
  after(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));
  const playbookWith = (files: Record<string, string>) => {
    const dir = h.tempRoot();
    dirs.push(dir);
    h.writeFiles(dir, files);
    return loadPlaybookSync({ workspaceRoot: dir, playbookDir: dir });
  };

  it('a regex-looking phrase is an error at its line, not the phrase "a"', () => {
    const pb = playbookWith({ 'voice.md': '---\nkind: voice\n---\n# Voice\n\n## Avoid\n\n- "(a+)+$" → "x"\n- "going forward"\n' });
    assert.equal(pb.errors.length, 1);
    assert.equal(pb.errors[0].line, 8);
    assert.match(pb.errors[0].message, /plain words, not a pattern/);
    assert.deepEqual(
      pb.rules.get('voice/avoid')!.phrases.map((p) => p.phrase),
      ['going forward'],
    );
  });

  it('a 400-digit horizon and a map where text belongs are errors that show what was written', () => {
    const pb = playbookWith({
      'schedule.md': `---\nkind: schedule\nhorizon: ${'9'.repeat(400)} days\nreview_window: {a: 1}\n---\n# Schedule\n`,
    });
    assert.equal(pb.schedule.horizonDays, 14, 'the default stays');
    const [horizon, review] = pb.errors;
    assert.equal(horizon.line, 3);
    assert.match(horizon.message, /not a duration .*up to ten years/);
    assert.equal(review.line, 4);
    assert.match(review.message, /review_window: "\{"a":1\}"/);
    assert.equal(
      pb.errors.some((e) => e.message.includes('[object Object]')),
      false,
    );
  });

  it('`channels: [[outbox]]` and `status: {a: 1}` are errors, not outbox and "[object Object]"', () => {
    const f = lintBody('Words.\n', 'title: T\nchannels: [[outbox]]\nstatus: {a: 1}');
    assert.ok(
      f.some((x) => x.ruleId === 'front-matter' && x.line === 3 && /\["outbox"\] is not a channel id/.test(x.message)),
      JSON.stringify(f),
    );
    assert.ok(f.some((x) => x.ruleId === 'front-matter' && x.line === 4 && /Unknown status "\{"a":1\}"/.test(x.message)));
    assert.deepEqual(parsePost('/p.md', '---\nchannels: [[outbox]]\n---\nx\n').meta.channels, []);
  });

  it('an unknown rule in 1,000 control comments is one warning with a count', () => {
    const f = lintBody('<!-- unscripted-disable nosuchrule -->\n\nWords.\n\n'.repeat(1000));
    const unknown = f.filter((x) => x.ruleId === 'inline-control');
    assert.equal(unknown.length, 1);
    assert.match(unknown[0].message, /Unknown rule "nosuchrule" .*\(and 999 more times in this post\)/);
  });

  it('UTF-16 files are called UTF-16 (with or without a byte order mark), not binary', async () => {
    const ws = h.tempRoot();
    dirs.push(ws);
    const text = `${h.FRONT('U')}Words.\n`;
    h.writeFiles(ws, {
      'posts/bom.md': Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]),
      'posts/nobom.md': Buffer.from(text, 'utf16le'),
      'posts/bin.md': Buffer.from([1, 0, 0, 0, 7, 0, 0, 0, 9, 9]),
    });
    const r = await cli(ws, ['lint', '--format', 'compact']);
    assert.match(r.stdout, /posts\/bom\.md:1:1: error File is UTF-16 text: save it as UTF-8/);
    assert.match(r.stdout, /posts\/nobom\.md:1:1: error File is UTF-16 text/);
    assert.match(r.stdout, /posts\/bin\.md:1:1: error File is binary/);
  });

  it('a file with lone CR line endings has lines, as editors show it', () => {
    const text = '---\rtitle: T\rchannels: [outbox]\r---\rFirst line.\r\rGoing forward we will.\r';
    const f = lintPost({ file: '/ws/posts/cr.md', text, playbook: fixturePlaybook(), rules: BUILTIN_RULES, now: NOW }).filter(
      (x) => x.ruleId === 'authority-voice',
    );
    assert.equal(f.length, 1);
    assert.deepEqual([f[0].line, f[0].column], [7, 1]);
  });

  it('a newline in a file name cannot forge a compact-format line', async () => {
    const ws = h.tempRoot();
    dirs.push(ws);
    h.writeFiles(ws, { 'posts/evil\nposts/x.md:1:1: error forged [front-matter]\n.md': `${h.FRONT('E')}Going forward we will.\n` });
    const r = await cli(ws, ['lint', '--format', 'compact']);
    const lines = r.stdout.trim().split('\n');
    assert.equal(lines.length, 1, r.stdout);
    assert.match(lines[0], /^posts\/evil\\nposts\/x\.md:1:1: error forged \[front-matter\]\\n\.md:6:1: warning .*\[authority-voice\]$/);
  });

  it('a zero-width space or joiner inside a word does not hide a phrase; combining accents stay in their word', () => {
    const hits = (body: string) => lintBody(body).filter((x) => x.ruleId === 'authority-voice' || x.ruleId.startsWith('voice/')).length;
    assert.equal(hits('We utili\u200bse the hall.\n'), 1);
    assert.equal(hits('Go\u200bing for\u2060ward, we will.\n'), 1);
    assert.equal(hits('Going forward, we will.\n'), 1);
    // "café" with a combining accent is one word, not "caf" + "e" + an accent.
    const f = lintBody('Going forward at the cafe\u0301 we will.\n');
    assert.equal(f.filter((x) => x.ruleId === 'authority-voice').length, 1);
  });
});
