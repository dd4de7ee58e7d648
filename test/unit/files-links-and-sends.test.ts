/**
 * Issue 12, the file-system and network defects: links out of the workspace and loops, folders
 * named *.md and unreadable folders, file modes, writing through links, orphan temp files of a
 * killed run, slugs from `..md`, and failures before a request leaves ("outcome unknown").
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { main } from '../../src/cli/main';
import { run as publishRun } from '../../src/cli/publish';
import { Workspace } from '../../src/core';
import { postSlug, readLedger, writeFileAtomic } from '../../src/core/publish';
import { classifyNetworkError } from '../../src/core/publish/http';
import * as h from '../hostile-inputs';
import { Capture, makeWorkspace, read, writePost } from './publish-helpers';

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;

async function cli(cwd: string, argv: string[]) {
  const stdout = new Capture();
  const stderr = new Capture();
  const code = await main(argv, { cwd, stdout, stderr, env: {}, isTTY: false });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

describe('files: links, folders, modes, temp files, slugs', () => {
  const dirs: string[] = [];
  const temp = () => {
    const d = h.tempRoot();
    dirs.push(d);
    return d;
  };
  after(() => {
    for (const d of dirs) {
      try {
        fs.chmodSync(path.join(d, 'posts', 'locked'), 0o755);
      } catch {
        /* not there */
      }
      fs.rmSync(d, { recursive: true, force: true });
    }
  });

  it('a link out of the workspace is not followed; a loop ends; a folder named *.md and an unreadable folder each get one message', async () => {
    const outside = temp();
    fs.writeFileSync(path.join(outside, 'secret.md'), '---\ntitle: [outside-secret-value\n---\nThe outside text.\n');
    const ws = temp();
    h.writeFiles(ws, { 'posts/ok.md': `${h.FRONT('OK')}Plain words.\n` });
    fs.symlinkSync(path.join(outside, 'secret.md'), path.join(ws, 'posts', 'link.md'));
    fs.symlinkSync(outside, path.join(ws, 'posts', 'linked-dir'));
    fs.symlinkSync(path.join(ws, 'posts', 'loop-b.md'), path.join(ws, 'posts', 'loop-a.md'));
    fs.symlinkSync(path.join(ws, 'posts', 'loop-a.md'), path.join(ws, 'posts', 'loop-b.md'));
    fs.symlinkSync(path.join(ws, 'posts'), path.join(ws, 'posts', 'self'));
    fs.mkdirSync(path.join(ws, 'posts', 'folder.md'));
    fs.mkdirSync(path.join(ws, 'posts', 'locked'));
    fs.writeFileSync(path.join(ws, 'posts', 'locked', 'hidden.md'), `${h.FRONT('H')}Hidden.\n`);
    fs.chmodSync(path.join(ws, 'posts', 'locked'), 0o000);
    fs.symlinkSync(path.join(ws, 'posts', 'ok.md'), path.join(ws, 'posts', 'inside-link.md'));

    const r = await cli(ws, ['lint', '--format', 'compact']);
    assert.equal(r.stdout.includes('outside-secret-value') || r.stdout.includes('The outside text'), false, r.stdout);
    const lines = r.stdout.trim().split('\n');
    const msg = (name: string) => lines.filter((l) => l.startsWith(`posts/${name}:`));
    assert.equal(msg('link.md').length, 1);
    assert.match(msg('link.md')[0], /1:1: error This is a symbolic link to a file outside the workspace: not followed/);
    assert.match(msg('linked-dir')[0] ?? '', /symbolic link to a file outside the workspace/);
    assert.match(msg('loop-a.md')[0], /symbolic link is a loop/);
    assert.match(msg('loop-b.md')[0], /symbolic link is a loop/);
    assert.match(msg('folder.md')[0], /a folder, not a post/);
    if (!isRoot) assert.match(msg('locked')[0], /Cannot read this folder/);
    assert.equal(msg('ok.md').length, 0, 'the normal post has no finding');
    assert.equal(msg('inside-link.md').length, 0, 'a link inside the workspace is linted like its target');
    assert.equal(r.code, 1);
  });

  it('a named pipe called *.md gets one message, not a wait for a writer that never comes', async function () {
    const ws = temp();
    h.writeFiles(ws, { 'posts/ok.md': `${h.FRONT('OK')}Plain words.\n` });
    const pipe = path.join(ws, 'posts', 'pipe.md');
    if (spawnSync('mkfifo', [pipe]).status !== 0) this.skip();
    const r = await cli(ws, ['lint', '--format', 'compact', 'posts/pipe.md', 'posts/ok.md']);
    assert.match(r.stdout, /posts\/pipe\.md:1:1: error This is not a regular file \(a pipe, a socket or a device\): not linted/);
    assert.equal(r.stdout.includes('posts/ok.md'), false, r.stdout);
    assert.equal(r.code, 1);
  });

  it('publishing refuses a symlinked post before sending anything, and leaves the link alone', async () => {
    const ws = makeWorkspace([{ id: 'outbox', platform: 'outbox' }]);
    dirs.push(ws);
    const real = writePost(ws, 'real.md', { title: 'Real', channels: ['outbox'] }, 'Words.\n');
    fs.symlinkSync(real, path.join(ws, 'posts', 'link.md'));
    const stderr = new Capture();
    const code = await publishRun(['posts/link.md', '--yes'], { cwd: ws, stdout: new Capture(), stderr, env: {}, isTTY: false });
    assert.equal(code, 1);
    assert.match(stderr.text, /link\.md is a symbolic link/);
    assert.ok(fs.lstatSync(path.join(ws, 'posts', 'link.md')).isSymbolicLink());
    assert.equal(fs.existsSync(path.join(ws, 'outbox')), false);
    await assert.rejects(writeFileAtomic(path.join(ws, 'posts', 'link.md'), 'x'), /never writes through a link/);
    assert.equal(read(real), '---\ntitle: Real\nchannels: [outbox]\n---\nWords.\n');
  });

  it('ledger writes keep the file mode; a killed run’s temp files are cleaned on the next run', async () => {
    const ws = makeWorkspace([{ id: 'outbox', platform: 'outbox' }]);
    dirs.push(ws);
    const file = writePost(ws, 'a.md', { title: 'A', channels: ['outbox'] }, 'Words.\n');
    fs.chmodSync(file, 0o600);
    // What `kill -9` between write and rename leaves: a temp file of a process that is gone.
    const orphan = path.join(ws, 'posts', `.a.md.${2 ** 22 + 12345}.1700000000000.tmp`);
    fs.writeFileSync(orphan, 'half a ledger');
    const mine = path.join(ws, 'posts', `.b.md.${process.pid}.1700000000000.tmp`);
    fs.writeFileSync(mine, 'in flight');
    const code = await publishRun(['posts/a.md', '--yes'], {
      cwd: ws,
      stdout: new Capture(),
      stderr: new Capture(),
      env: {},
      isTTY: false,
    });
    assert.equal(code, 0);
    assert.equal(readLedger(read(file)).published.length, 1);
    assert.equal(fs.statSync(file).mode & 0o777, 0o600);
    assert.equal(fs.existsSync(orphan), false, 'the orphan is removed');
    assert.equal(fs.existsSync(mine), true, 'a live process’s temp file is left alone');
    assert.deepEqual(fs.readdirSync(path.join(ws, 'outbox', 'outbox', 'a')), ['1.txt']);
  });

  it('a publish of one post cleans a killed run’s temp files across outbox/ and posts/, not only its own folders', async () => {
    const ws = makeWorkspace([{ id: 'outbox', platform: 'outbox' }]);
    dirs.push(ws);
    writePost(ws, 'a.md', { title: 'A', channels: ['outbox'] }, 'Words.\n');
    writePost(ws, 'b.md', { title: 'B', channels: ['outbox'] }, 'Other words.\n');
    const run = (post: string) =>
      publishRun([post, '--yes'], { cwd: ws, stdout: new Capture(), stderr: new Capture(), env: {}, isTTY: false });
    assert.equal(await run('posts/b.md'), 0);
    // What `kill -9` of an earlier run left in b's outbox folder and in a posts/ subfolder (writeFileAtomic's naming).
    const dead = 2 ** 22 + 12345;
    const bDir = path.join(ws, 'outbox', 'outbox', 'b');
    const orphanOutbox = path.join(bDir, `.1.txt.${dead}.1700000000000.tmp`);
    fs.writeFileSync(orphanOutbox, 'half a part');
    fs.mkdirSync(path.join(ws, 'posts', 'sub'));
    const orphanPosts = path.join(ws, 'posts', 'sub', `.c.md.${dead}.1700000000000.tmp`);
    fs.writeFileSync(orphanPosts, 'half a ledger');
    // A writer that is still running (this process): its temp file is in flight, not an orphan.
    const live = path.join(bDir, `.2.txt.${process.pid}.1700000000000.tmp`);
    fs.writeFileSync(live, 'in flight');
    // A dry run writes nothing, so it removes nothing either.
    assert.equal(
      await publishRun(['posts/a.md', '--dry-run'], { cwd: ws, stdout: new Capture(), stderr: new Capture(), env: {}, isTTY: false }),
      0,
    );
    assert.equal(fs.existsSync(orphanOutbox), true, 'a dry run leaves the orphan');
    assert.equal(await run('posts/a.md'), 0);
    assert.equal(fs.existsSync(orphanOutbox), false, 'the orphan in another post’s outbox folder is removed');
    assert.equal(fs.existsSync(orphanPosts), false, 'the orphan in a posts/ subfolder is removed');
    assert.equal(fs.existsSync(live), true, 'a live writer’s temp file is left alone');
    assert.deepEqual(fs.readdirSync(bDir).sort(), [path.basename(live), '1.txt'].sort());
  });

  it('init --force never writes through a symlinked playbook file', async () => {
    const outside = temp();
    fs.writeFileSync(path.join(outside, 'target.md'), 'keep me');
    const ws = temp();
    fs.mkdirSync(path.join(ws, 'playbooks'));
    fs.symlinkSync(path.join(outside, 'target.md'), path.join(ws, 'playbooks', 'voice.md'));
    const r = await cli(ws, ['init', '--force']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /Not writing through symbolic links[\s\S]*playbooks\/voice\.md/);
    assert.equal(fs.readFileSync(path.join(outside, 'target.md'), 'utf8'), 'keep me');
  });

  it('slugs are non-empty, dot-free at the ends and unique, even for `..md` and `...md`', () => {
    const root = '/ws';
    const slugs = ['..md', '...md', '.md', ' .md', 'a..md', 'a.md', 'sub/.hidden.md', 'x.y.md'].map((n) =>
      postSlug(root, `/ws/posts/${n}`),
    );
    for (const s of slugs) {
      assert.ok(s.length > 0);
      for (const seg of s.split('/')) assert.ok(seg && !/^[.\s]|[.\s]$/.test(seg), `slug ${JSON.stringify(s)}`);
    }
    assert.equal(new Set(slugs).size, slugs.length, slugs.join(', '));
    assert.equal(postSlug(root, '/ws/posts/a.md'), 'a');
    assert.equal(postSlug(root, '/ws/posts/x.y.md'), 'x.y');
  });

  it('`..md` and `...md` publish to their own outbox folders, inside the outbox', async () => {
    const ws = makeWorkspace([{ id: 'outbox', platform: 'outbox' }]);
    dirs.push(ws);
    for (const name of ['..md', '...md']) {
      writePost(ws, name, { title: name, channels: ['outbox'] }, `Text of ${name}\n`);
      const code = await publishRun([`posts/${name}`, '--yes'], {
        cwd: ws,
        stdout: new Capture(),
        stderr: new Capture(),
        env: {},
        isTTY: false,
      });
      assert.equal(code, 0);
    }
    const folders = fs.readdirSync(path.join(ws, 'outbox', 'outbox'));
    assert.equal(folders.length, 2, folders.join(', '));
    const texts = folders.map((f) => read(path.join(ws, 'outbox', 'outbox', f, '1.txt'))).sort();
    assert.deepEqual(texts, ['Text of ...md\n', 'Text of ..md\n']);
  });
});

describe('sending: failures before a request leaves are certain', () => {
  it('a URL with user:pass@ or a blocked port fails for certain, without quoting the URL', async () => {
    for (const url of ['http://user:s3cr3t-pass@127.0.0.1:8080/hook', 'http://127.0.0.1:6000/x']) {
      let err: unknown;
      try {
        await fetch(url, { method: 'POST', body: 'x' });
      } catch (e) {
        err = e;
      }
      assert.ok(err, `fetch ${url} should fail`);
      const pe = classifyNetworkError(err, 'send part 1');
      assert.equal(pe.kind, 'permanent', `${url}: ${pe.message}`);
      assert.match(pe.message, /could not be made .*nothing was sent/);
      assert.equal(pe.message.includes('s3cr3t-pass'), false);
    }
    // A refused connection is still a transient failure, retried.
    const server = net.createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as net.AddressInfo).port;
    await new Promise((r) => server.close(r));
    let refused: unknown;
    try {
      await fetch(`http://127.0.0.1:${port}/x`);
    } catch (e) {
      refused = e;
    }
    assert.equal(classifyNetworkError(refused, 'x').kind, 'transient');
  });

  it('a workspace listing keeps working when posts/ is missing', () => {
    const ws = h.tempRoot();
    try {
      assert.deepEqual(Workspace.open(ws).listPosts(), []);
    } finally {
      fs.rmSync(ws, { recursive: true, force: true });
    }
  });
});

describe('review: an alias bomb in the base', function () {
  this.timeout(60_000);
  it('does not abort: the change is still summarised', async () => {
    const { TempRepo } = require('./review-fixtures') as typeof import('./review-fixtures');

    const { buildReview } = require('../../src/review/summary') as typeof import('../../src/review/summary');
    const repo = TempRepo.init();
    try {
      repo.write('posts/bomb.md', h.aliasBomb());
      repo.write('posts/ok.md', `${h.FRONT('OK')}Plain words.\n`);
      repo.commitAll('base');
      repo.git('checkout', '-q', '-b', 'change');
      repo.write('posts/new.md', `${h.FRONT('New')}Going forward we will.\n`);
      repo.commitAll('head');
      const s = await buildReview({ cwd: repo.dir, base: 'main', now: new Date('2026-03-01T09:00:00Z') });
      assert.deepEqual(
        s.posts.added.map((p) => p.file),
        ['posts/new.md'],
      );
      assert.equal(s.nothingToReport, false);
    } finally {
      repo.cleanup();
    }
  });
});
