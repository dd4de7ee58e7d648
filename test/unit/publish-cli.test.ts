import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { run } from '../../src/cli/publish';
import { Workspace } from '../../src/core';
import { lockPath, readLedger, setPaused } from '../../src/core/publish';
import { startMastodonFake, type MastodonFake } from '../fakes/mastodon-fake';
import { Capture, makeWorkspace, read, tokenEnv, writePost } from './publish-helpers';

const REPO = path.resolve(__dirname, '..', '..', '..');
const BIN = path.join(REPO, 'bin', 'unscripted.js');
const TOKEN = 'cli-secret-token-77aa01bb';

async function cli(root: string, argv: string[], env: Record<string, string> = {}) {
  const stdout = new Capture();
  const stderr = new Capture();
  const code = await run(argv, { cwd: root, stdout, stderr, env: { UNSCRIPTED_PUBLISH_RETRY_BASE_MS: '1', ...env }, isTTY: false });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

/** Three outbox posts due at 08:01, 08:02 and 08:03 on 2026-06-01, re-read at 07:00. */
function writeThreeDuePosts(root: string): void {
  for (const n of [1, 2, 3]) {
    writePost(
      root,
      `p${n}.md`,
      {
        title: `P${n}`,
        channels: ['outbox'],
        status: 'scheduled',
        publish_at: `2026-06-01T08:0${n}:00Z`,
        reviewed_at: '2026-06-01T07:00:00Z',
      },
      `Post ${n}.\n`,
    );
  }
}

describe('unscripted publish (CLI)', () => {
  describe('the shipped sample, outbox, on a fresh copy', () => {
    let root: string;
    beforeEach(() => {
      root = mkdtempSync(path.join(os.tmpdir(), 'unscripted-sample-'));
      cpSync(path.join(REPO, 'playbooks'), path.join(root, 'playbooks'), { recursive: true });
    });
    afterEach(() => rmSync(root, { recursive: true, force: true }));

    it('--dry-run prints every part per channel and sends nothing', async () => {
      const post = 'playbooks/posts/library-opening.md';
      const before = read(path.join(root, post));
      const r = await cli(root, ['publish', post, '--dry-run'].slice(1));
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /→ outbox \(outbox\): 2 parts/);
      assert.match(r.stdout, /part 1\/2 · \d+ characters/);
      assert.match(r.stdout, /The story corner runs every Saturday morning/);
      assert.match(r.stdout, /Dry run: nothing was sent/);
      assert.equal(read(path.join(root, post)), before);
      assert.equal(existsSync(path.join(root, 'outbox')), false);
    });

    it('without --yes and no terminal it shows the preview and sends nothing', async () => {
      const r = await cli(root, ['playbooks/posts/library-opening.md', '--channel', 'outbox']);
      assert.equal(r.code, 1);
      assert.match(r.stderr, /add --yes/);
      assert.equal(existsSync(path.join(root, 'outbox')), false);
    });

    it('publishes to outbox and records it; a second run sends nothing', async () => {
      const post = path.join(root, 'playbooks/posts/library-opening.md');
      const r = await cli(root, ['playbooks/posts/library-opening.md', '--channel', 'outbox', '--yes']);
      assert.equal(r.code, 0, r.stderr + r.stdout);
      assert.match(r.stdout, /✔ .*→ outbox: published/);
      assert.ok(existsSync(path.join(root, 'outbox', 'outbox', 'library-opening', '1.txt')));
      assert.ok(existsSync(path.join(root, 'outbox', 'outbox', 'library-opening', '2.txt')));
      const ledger = readLedger(read(post));
      assert.equal(ledger.published.length, 1);
      assert.equal(ledger.status, 'ready', 'bluesky is still to go, so not `published` yet');
      const again = await cli(root, ['playbooks/posts/library-opening.md', '--channel', 'outbox', '--yes']);
      assert.equal(again.code, 0);
      assert.match(again.stdout, /already published/);
    });

    it('names the missing token variable for bluesky, never asking for a file', async () => {
      const r = await cli(root, ['playbooks/posts/library-opening.md', '--yes']);
      assert.equal(r.code, 1);
      assert.match(r.stdout, /UNSCRIPTED_TOKEN_BLUESKY_BSKY_SOCIAL_EXAMPLE_BSKY_SOCIAL/);
    });
  });

  describe('policy: lint gate, pause, review window, --due', () => {
    let root: string;
    beforeEach(() => {
      root = makeWorkspace([{ id: 'outbox', platform: 'outbox' }], { review_window: '48 hours', burst: '2 per 6 hours' });
    });
    afterEach(() => rmSync(root, { recursive: true, force: true }));

    it('the lint gate judges findings by rule and data, never by wording: an error naming "publishing" still blocks', async () => {
      // The gate once skipped any front-matter finding whose message said "publishing", so an
      // unknown channel of that name slipped through while the outbox part went out.
      const file = writePost(root, 'odd.md', { title: 'Odd', channels: ['outbox', 'publishing'], status: 'ready' }, 'The lane is open.\n');
      const r = await cli(root, ['posts/odd.md', '--yes']);
      assert.equal(r.code, 1);
      assert.match(r.stderr, /lint errors/);
      assert.match(r.stderr, /Unknown channel "publishing"/);
      assert.equal(readLedger(read(file)).published.length, 0);
      // The publisher's own in-flight record is a known key: it never blocks a resume.
      const resumed = writePost(
        root,
        'resume.md',
        {
          title: 'Resume',
          channels: ['outbox'],
          status: 'ready',
          publishing: [{ channel: 'outbox', key: 'abc', started: '2026-06-01T09:00:00Z', hash: 'sha256:0', parts: [] }],
        },
        'The lane is open.\n',
      );
      const ok = await cli(root, ['posts/resume.md', '--yes']);
      assert.equal(ok.code, 0, ok.stderr + ok.stdout);
      assert.equal(readLedger(read(resumed)).status, 'published');
    });

    it('refuses a post with lint errors; --force-lint publishes and records the override', async () => {
      const file = writePost(root, 'typo.md', { title: 'Typo', channels: ['outbox'], status: 'redy' }, 'The lane is open.\n');
      const r = await cli(root, ['posts/typo.md', '--yes']);
      assert.equal(r.code, 1);
      assert.match(r.stderr, /lint errors/);
      assert.match(r.stderr, /front-matter/);
      assert.equal(readLedger(read(file)).published.length, 0);
      const f = await cli(root, ['posts/typo.md', '--yes', '--force-lint']);
      assert.equal(f.code, 0, f.stderr + f.stdout);
      const text = read(file);
      assert.match(text, /lint_override:\n {2}- at: .*\n {4}rules: \[front-matter\]\n {4}channels: \[outbox\]/);
      assert.equal(readLedger(text).status, 'published');
    });

    it('--due publishes what is due and reviewed, reports stale and drafts, leaves the future alone', async () => {
      const now = '2026-06-01T09:00:00Z';
      const due = writePost(
        root,
        'due.md',
        {
          title: 'Due',
          channels: ['outbox'],
          status: 'scheduled',
          publish_at: '2026-06-01T08:00:00Z',
          reviewed_at: '2026-05-31T10:00:00Z',
        },
        'Due now.\n',
      );
      const stale = writePost(
        root,
        'stale.md',
        {
          title: 'Stale',
          channels: ['outbox'],
          status: 'scheduled',
          publish_at: '2026-06-01T07:00:00Z',
          reviewed_at: '2026-05-20T10:00:00Z',
        },
        'Written long ago.\n',
      );
      const draft = writePost(
        root,
        'draft.md',
        { title: 'Draft', channels: ['outbox'], status: 'draft', publish_at: '2026-06-01T07:00:00Z' },
        'Not ready.\n',
      );
      const later = writePost(
        root,
        'later.md',
        {
          title: 'Later',
          channels: ['outbox'],
          status: 'scheduled',
          publish_at: '2026-06-02T07:00:00Z',
          reviewed_at: '2026-06-01T08:00:00Z',
        },
        'Tomorrow.\n',
      );
      const dry = await cli(root, ['--due', '--dry-run', '--now', now]);
      assert.match(dry.stdout, /due\s+posts\/due\.md:\n\s+posts\/due\.md → outbox \(outbox\): 1 part\n.*\n\s+Due now\./);
      assert.match(dry.stdout, /Dry run: 0 published/);
      assert.equal(readLedger(read(due)).published.length, 0);
      assert.equal(existsSync(path.join(root, 'outbox')), false);
      const r = await cli(root, ['--due', '--now', now]);
      assert.equal(r.code, 1, 'a stale post needs a person: non-zero so the cron job shows it');
      assert.match(r.stdout, /✔ posts\/due\.md → outbox: published/);
      assert.match(
        r.stdout,
        /stale\s+posts\/stale\.md: last re-read 11 days 23 hours ago, outside the 2 days review window: read posts\/stale\.md again .* then set reviewed_at: 2026-06-01T09:00:00Z/,
      );
      assert.match(r.stdout, /draft\s+posts\/draft\.md: publish_at has passed but its status is draft/);
      assert.doesNotMatch(r.stdout, /later\.md/);
      assert.equal(readLedger(read(due)).status, 'published');
      for (const f of [stale, draft, later]) assert.equal(readLedger(read(f)).published.length, 0);
      // Nothing left that can go: a re-run publishes nothing new.
      const again = await cli(root, ['--due', '--now', now]);
      assert.doesNotMatch(again.stdout, /published\s*—|✔/);
    });

    it('--due holds everything while the playbook is paused, and sends it once resumed', async () => {
      const file = writePost(
        root,
        'due.md',
        {
          title: 'Due',
          channels: ['outbox'],
          status: 'scheduled',
          publish_at: '2026-06-01T08:00:00Z',
          reviewed_at: '2026-06-01T07:00:00Z',
        },
        'Due now.\n',
      );
      await setPaused(Workspace.open(root).playbook, true, 'Flooding on Mill Lane: statements only');
      const sched = read(path.join(root, 'playbooks', 'schedule.md'));
      assert.match(sched, /paused: true\npause_reason: "Flooding on Mill Lane: statements only"/);
      const r = await cli(root, ['--due', '--now', '2026-06-01T09:00:00Z']);
      assert.equal(r.code, 0, 'held by a pause is not a failure');
      assert.match(r.stdout, /held\s+posts\/due\.md: publishing is paused \(Flooding on Mill Lane: statements only\)/);
      assert.equal(readLedger(read(file)).published.length, 0);
      assert.equal(existsSync(path.join(root, 'outbox')), false);
      // A named publish is refused too, unless asked for explicitly.
      const named = await cli(root, ['posts/due.md', '--yes']);
      assert.equal(named.code, 1);
      assert.match(named.stderr, /paused/);
      // The holding statement itself goes out when named with --ignore-pause (the `paused` lint error is what is overridden).
      const holding = writePost(
        root,
        'holding.md',
        {
          title: 'Holding',
          channels: ['outbox'],
          status: 'scheduled',
          publish_at: '2026-06-01T08:30:00Z',
          reviewed_at: '2026-06-01T08:00:00Z',
        },
        'We know about the flooding and will update at 11.\n',
      );
      const forced = await cli(root, ['posts/holding.md', '--yes', '--ignore-pause', '--now', '2026-06-01T09:00:00Z']);
      assert.equal(forced.code, 0, forced.stderr + forced.stdout);
      assert.equal(readLedger(read(holding)).status, 'published');

      await setPaused(Workspace.open(root).playbook, false);
      const after = await cli(root, ['--due', '--now', '2026-06-01T09:00:00Z']);
      assert.equal(after.code, 0, after.stdout);
      assert.equal(readLedger(read(file)).status, 'published');
    });

    it('--due respects the burst allowance per channel', async () => {
      writeThreeDuePosts(root);
      const r = await cli(root, ['--due', '--now', '2026-06-01T09:00:00Z']);
      assert.equal(r.code, 0, r.stdout);
      assert.match(r.stdout, /held\s+posts\/p3\.md: 2 posts went to outbox in the last 6 hours \(burst: 2 per 6 hours\)/);
      assert.equal(readLedger(read(path.join(root, 'posts', 'p3.md'))).published.length, 0);
    });

    it('--due --dry-run holds the same posts for the burst allowance as the real run', async () => {
      writeThreeDuePosts(root);
      const dry = await cli(root, ['--due', '--dry-run', '--now', '2026-06-01T09:00:00Z']);
      assert.equal(dry.code, 0, dry.stdout);
      assert.match(dry.stdout, /due\s+posts\/p1\.md/);
      assert.match(dry.stdout, /due\s+posts\/p2\.md/);
      assert.doesNotMatch(dry.stdout, /due\s+posts\/p3\.md/);
      assert.match(dry.stdout, /held\s+posts\/p3\.md: 2 posts went to outbox in the last 6 hours \(burst: 2 per 6 hours\)/);
      assert.match(dry.stdout, /Dry run: .* 1 held/);
      assert.equal(readLedger(read(path.join(root, 'posts', 'p1.md'))).published.length, 0, 'a dry run sends nothing');
    });
  });

  describe('a publisher killed between send and record (child process)', () => {
    let fake: MastodonFake;
    let root: string;
    let env: Record<string, string>;
    beforeEach(async () => {
      fake = await startMastodonFake({ tokens: { [TOKEN]: 'news' } });
      root = makeWorkspace([{ id: 'masto', platform: 'mastodon', account: 'news', host: fake.host }]);
      env = tokenEnv([[{ platform: 'mastodon', host: fake.host, account: 'news' }, TOKEN]]);
    });
    afterEach(async () => {
      await fake.close();
      rmSync(root, { recursive: true, force: true });
    });

    for (const killAt of [1, 2]) {
      it(`kill -9 after part ${killAt} reached the server: the re-run posts every part exactly once`, async () => {
        const file = writePost(
          root,
          'thread.md',
          { title: 'Thread', channels: ['masto'], status: 'ready' },
          'One.\n\n---\n\nTwo.\n\n---\n\nThree.\n',
        );
        const child = spawn(process.execPath, [BIN, 'publish', 'posts/thread.md', '--yes'], {
          cwd: root,
          env: { ...process.env, ...env, UNSCRIPTED_PUBLISH_TIMEOUT_MS: '60000' },
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        let out = '';
        child.stdout.on('data', (d) => (out += d));
        child.stderr.on('data', (d) => (out += d));
        // The server holds its answer to part `killAt` while the test kills the publisher.
        if (killAt === 1) fake.addFault({ kind: 'hang-after', match: 'POST /api/v1/statuses' });
        else fake.once('status', () => fake.addFault({ kind: 'hang-after', match: 'POST /api/v1/statuses' }));
        const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_c, sig) => resolve(sig)));
        await new Promise<void>((resolve) => {
          const onStatus = () => {
            if (fake.statuses.length === killAt) {
              fake.off('status', onStatus);
              resolve();
            }
          };
          fake.on('status', onStatus);
        });
        child.kill('SIGKILL');
        assert.equal(await exited, 'SIGKILL');
        assert.equal(fake.statuses.length, killAt);

        const mid = readLedger(read(file));
        assert.equal(mid.publishing.length, 1, 'the intent was recorded before sending');
        assert.equal(mid.publishing[0].pending, killAt - 1, 'the part in flight is marked');
        assert.equal(mid.publishing[0].parts.length, killAt - 1);
        assert.ok(existsSync(lockPath(file)), 'the dead process left its lock behind');

        fake.faults.releaseAll();
        const r = await cli(root, ['posts/thread.md', '--yes'], env);
        assert.equal(r.code, 0, r.stdout + r.stderr + out);
        assert.equal(fake.statuses.length, 3, 'no part twice, none lost');
        assert.deepEqual(
          fake.statuses.map((s) => s.source),
          ['One.', 'Two.', 'Three.'],
        );
        assert.equal(fake.statuses[1].in_reply_to_id, fake.statuses[0].id);
        assert.equal(fake.statuses[2].in_reply_to_id, fake.statuses[1].id);
        const ledger = readLedger(read(file));
        assert.equal(ledger.status, 'published');
        assert.deepEqual(
          ledger.published[0].parts,
          fake.statuses.map((s) => s.id),
        );
        assert.ok(!existsSync(lockPath(file)));
      });
    }

    it('two publisher processes on the same post at once: one publishes, the other is refused', async () => {
      const file = writePost(root, 'twice.md', { title: 'Twice', channels: ['masto'], status: 'ready' }, 'One.\n\n---\n\nTwo.\n');
      // The first request to reach the server gets no answer until the other run has ended, so
      // the two runs overlap whatever the start-up times; the connection is then cut (unknown
      // outcome) and the winner's retry is answered by Mastodon's idempotency replay.
      fake.addFault({ kind: 'hang-after', match: 'POST /api/v1/statuses' });
      let exits = 0;
      const runChild = () =>
        new Promise<{ code: number | null; out: string }>((resolve) => {
          const c = spawn(process.execPath, [BIN, 'publish', 'posts/twice.md', '--yes'], {
            cwd: root,
            env: { ...process.env, ...env, UNSCRIPTED_PUBLISH_TIMEOUT_MS: '60000', UNSCRIPTED_PUBLISH_RETRY_BASE_MS: '1' },
            stdio: ['ignore', 'pipe', 'pipe'],
          });
          let out = '';
          c.stdout.on('data', (d) => (out += d));
          c.stderr.on('data', (d) => (out += d));
          c.on('exit', (code) => {
            if (++exits === 1) {
              // Whether or not the other run's request is being held yet: no more holding.
              fake.faults.clear();
              fake.faults.releaseAll();
            }
            resolve({ code, out });
          });
        });
      const results = await Promise.all([runChild(), runChild()]);
      const refused = results.filter((r) => /being published by another process/.test(r.out));
      assert.equal(refused.length, 1, results.map((r) => r.out).join('\n----\n'));
      assert.equal(refused[0].code, 1);
      const winner = results.find((r) => r !== refused[0])!;
      assert.equal(winner.code, 0, winner.out);
      assert.equal(fake.statuses.length, 2);
      assert.equal(readLedger(read(file)).status, 'published');
    });

    it('never prints the token, on success or failure, and never writes it to the post', async () => {
      const file = writePost(root, 'one.md', { title: 'One', channels: ['masto'], status: 'ready' }, 'Hello.\n');
      const ok = await cli(root, ['posts/one.md', '--yes'], env);
      assert.equal(ok.code, 0, ok.stderr);
      await fake.close();
      fake = await startMastodonFake({ tokens: {}, echoAuthOn401: true });
      const root2 = makeWorkspace([{ id: 'masto', platform: 'mastodon', account: 'news', host: fake.host }]);
      writePost(root2, 'one.md', { title: 'One', channels: ['masto'], status: 'ready' }, 'Hello.\n');
      const env2 = tokenEnv([[{ platform: 'mastodon', host: fake.host, account: 'news' }, TOKEN]]);
      const bad = await cli(root2, ['posts/one.md', '--yes'], env2);
      assert.equal(bad.code, 1);
      assert.match(bad.stdout, /401/);
      for (const text of [ok.stdout, ok.stderr, bad.stdout, bad.stderr, read(file), read(path.join(root2, 'posts', 'one.md'))]) {
        assert.ok(!text.includes(TOKEN), `token in: ${text}`);
      }
      rmSync(root2, { recursive: true, force: true });
    });

    it('a token stored for one host is not used for another host', async () => {
      writePost(root, 'one.md', { title: 'One', channels: ['masto'], status: 'ready' }, 'Hello.\n');
      const other = tokenEnv([[{ platform: 'mastodon', host: 'mastodon.social', account: 'news' }, TOKEN]]);
      const r = await cli(root, ['posts/one.md', '--yes'], other);
      assert.equal(r.code, 1);
      assert.match(r.stdout, /no access token for news on 127\.0\.0\.1:\d+/);
      assert.equal(fake.requests.filter((x) => x.method === 'POST').length, 0);
    });
  });

  it('rejects bad usage with exit 2', async () => {
    const root = makeWorkspace([{ id: 'outbox', platform: 'outbox' }]);
    try {
      assert.equal((await cli(root, [])).code, 2);
      assert.equal((await cli(root, ['--due', 'posts/x.md'])).code, 2);
      assert.equal((await cli(root, ['posts/missing.md'])).code, 2);
      assert.equal((await cli(root, ['--due', '--now', 'tomorrow'])).code, 2);
      writeFileSync(path.join(root, 'posts', 'a.md'), '---\ntitle: A\nchannels: [outbox]\nstatus: ready\n---\nA.\n');
      assert.equal((await cli(root, ['posts/a.md', '--resend', '--mark-sent'])).code, 2);
      // A missing channel is a usage error like a missing post (one exit-code policy).
      const other = await cli(root, ['posts/a.md', '--channel', 'bluesky', '--yes']);
      assert.equal(other.code, 2);
      assert.match(other.stderr, /does not list channel "bluesky" \(its channels: outbox\)/);
      assert.equal(existsSync(path.join(root, 'outbox')), false);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

void readFileSync;
