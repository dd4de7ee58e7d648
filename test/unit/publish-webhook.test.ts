import assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { countLength, loadPlaybookSync, parsePost } from '../../src/core';
import { planPublish, readLedger } from '../../src/core/publish';
import { startWebhookFake, type WebhookFake } from '../fakes/webhook-fake';
import { makeWorkspace, publish, read, tokenEnv, writePost } from './publish-helpers';

const BODY = `Mill Lane is open again.

---

Thanks for your patience this week.
`;

describe('publish: webhooks (Slack/Discord/Teams-style fake)', () => {
  let fake: WebhookFake;
  let root: string;

  beforeEach(async () => {
    fake = await startWebhookFake();
    root = makeWorkspace([
      { id: 'slack', platform: 'webhook', account: 'news', host: fake.host },
      { id: 'discord', platform: 'webhook', account: 'community', host: fake.host },
      { id: 'teams', platform: 'webhook', account: 'staff', host: fake.host },
    ]);
  });
  afterEach(async () => {
    await fake.close();
    rmSync(root, { recursive: true, force: true });
  });

  function env(hooks: Partial<Record<'news' | 'community' | 'staff', string>>): Record<string, string> {
    return tokenEnv(Object.entries(hooks).map(([account, url]) => [{ platform: 'webhook', host: fake.host, account }, url]));
  }

  it('counts the joined thread with the same counter as every other length (graphemes), not code points by hand', () => {
    const file = writePost(
      root,
      'family.md',
      { title: 'Family', channels: ['slack'], status: 'ready' },
      '👨‍👩‍👧 day.\n\n---\n\nSee you there 👍🏽\n',
    );
    const { plan } = planPublish(parsePost(file, read(file)), loadPlaybookSync({ workspaceRoot: root }));
    const [part] = plan[0].parts;
    assert.equal(part.text, '👨‍👩‍👧 day.\n\nSee you there 👍🏽');
    assert.equal(part.length, countLength(part.text, 'webhook'));
    assert.equal(part.length, 1 + ' day.'.length + 2 + 'See you there '.length + 1);
  });

  it('posts each style with its own payload, the thread joined into one message', async () => {
    const e = env({ news: fake.newHook('slack'), community: fake.newHook('discord'), staff: fake.newHook('teams') });
    const file = writePost(root, 'lane.md', { title: 'Mill Lane', channels: ['slack', 'discord', 'teams'], status: 'ready' }, BODY);
    const { report } = await publish(root, file, e);
    assert.equal(report.ok, true, JSON.stringify(report.results));
    assert.deepEqual(fake.messages.map((m) => m.style).sort(), ['discord', 'slack', 'teams']);
    for (const m of fake.messages) assert.equal(m.text, 'Mill Lane is open again.\n\nThanks for your patience this week.');
    const discord = fake.messages.find((m) => m.style === 'discord')!;
    assert.deepEqual((discord.body as { allowed_mentions: unknown }).allowed_mentions, { parse: [] });
    const ledger = readLedger(read(file));
    assert.equal(ledger.status, 'published');
    assert.equal(ledger.published.find((p) => p.channel === 'discord')!.id, `discord:${discord.id}`);
    // The webhook URL (the credential) is nowhere in the ledger.
    for (const h of Object.values(e)) assert.ok(!read(file).includes(new URL(h).pathname));
  });

  it('retries 429 (Retry-After) and 500, then posts once', async () => {
    const e = env({ news: fake.newHook('slack') });
    fake.addFault({ kind: 'rate-limit', retryAfterSeconds: 2 });
    fake.addFault({ kind: 'status', status: 500 });
    const file = writePost(root, 'lane.md', { title: 'Mill Lane', channels: ['slack'], status: 'ready' }, BODY);
    const { report, delays } = await publish(root, file, e);
    assert.equal(report.ok, true, JSON.stringify(report.results));
    assert.equal(fake.messages.length, 1);
    assert.equal(delays[0], 2000);
  });

  it('does not resend on its own after a dropped connection (unknown outcome), and says how to settle it', async () => {
    const e = env({ news: fake.newHook('slack') });
    fake.addFault({ kind: 'drop-after' });
    const file = writePost(root, 'lane.md', { title: 'Mill Lane', channels: ['slack'], status: 'ready' }, BODY);
    const first = await publish(root, file, e);
    assert.equal(first.report.results[0].outcome, 'unknown');
    assert.match(first.report.results[0].message ?? '', /--mark-sent.*--resend/s);
    assert.equal(fake.messages.length, 1, 'the message did arrive');
    const intent = readLedger(read(file)).publishing[0];
    assert.equal(intent.pending, 0);
    assert.equal(intent.unknown, true);

    // Running again does not send it twice.
    const second = await publish(root, file, e);
    assert.equal(second.report.results[0].outcome, 'unknown');
    assert.equal(fake.messages.length, 1);

    // A person checked the channel: it is there.
    const settled = await publish(root, file, e, { markSent: true });
    assert.equal(settled.report.ok, true, JSON.stringify(settled.report.results));
    assert.equal(fake.messages.length, 1);
    const ledger = readLedger(read(file));
    assert.equal(ledger.status, 'published');
    assert.equal(ledger.publishing.length, 0);
  });

  it('--mark-sent with nothing unknown sends nothing and records nothing', async () => {
    const e = env({ news: fake.newHook('slack') });
    const file = writePost(root, 'lane.md', { title: 'Mill Lane', channels: ['slack'], status: 'ready' }, BODY);
    const { report } = await publish(root, file, e, { markSent: true });
    assert.equal(report.results[0].outcome, 'skipped');
    assert.equal(fake.messages.length, 0);
    assert.equal(readLedger(read(file)).published.length, 0);
  });

  it('sends again after an unknown outcome only with --resend (the message was lost)', async () => {
    const e = env({ news: fake.newHook('slack') });
    fake.addFault({ kind: 'hang-before' });
    const file = writePost(root, 'lane.md', { title: 'Mill Lane', channels: ['slack'], status: 'ready' }, BODY);
    const first = await publish(root, file, e, { timeoutMs: 200 });
    assert.equal(first.report.results[0].outcome, 'unknown');
    assert.equal(fake.messages.length, 0);
    const resent = await publish(root, file, e, { resend: true });
    assert.equal(resent.report.ok, true);
    assert.equal(fake.messages.length, 1);
  });

  it('refuses a webhook URL for another host than the channel declares, without sending', async () => {
    const e = tokenEnv([[{ platform: 'webhook', host: fake.host, account: 'news' }, 'https://hooks.slack.com/services/T1/B1/abcdefgh']]);
    const file = writePost(root, 'lane.md', { title: 'Mill Lane', channels: ['slack'], status: 'ready' }, BODY);
    const { report } = await publish(root, file, e);
    assert.equal(report.results[0].outcome, 'failed');
    assert.match(report.results[0].message ?? '', /different host/);
    assert.ok(!JSON.stringify(report).includes('abcdefgh'));
  });

  it('stops on a refused webhook (403) and keeps the URL out of the message', async () => {
    const bad = `${fake.url}/services/T0001/B0001/not-a-known-secret-123`;
    const e = env({ news: bad });
    const file = writePost(root, 'lane.md', { title: 'Mill Lane', channels: ['slack'], status: 'ready' }, BODY);
    const { report, delays } = await publish(root, file, e);
    assert.equal(report.results[0].outcome, 'failed');
    assert.match(report.results[0].message ?? '', /HTTP 403/);
    assert.deepEqual(delays, []);
    assert.ok(!JSON.stringify(report).includes('not-a-known-secret-123'));
  });
});

describe('publish: outbox and feed', () => {
  let root: string;
  beforeEach(() => {
    root = makeWorkspace([
      { id: 'outbox', platform: 'outbox' },
      { id: 'news', platform: 'feed', account: 'Riverside news', host: 'news.example.org' },
    ]);
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('says a channel on a platform without an adapter (x) cannot be published, and publishes the rest', async () => {
    const root2 = makeWorkspace([
      { id: 'outbox', platform: 'outbox' },
      { id: 'x', platform: 'x', account: '@example' },
    ]);
    try {
      const file = writePost(root2, 'a.md', { title: 'A', channels: ['outbox', 'x'], status: 'ready' }, 'Hello.\n');
      const { report } = await publish(root2, file, {});
      assert.equal(report.plan.find((p) => p.channel === 'x')!.state, 'blocked');
      assert.deepEqual(
        report.results.map((r) => [r.channel, r.outcome]),
        [
          ['outbox', 'published'],
          ['x', 'failed'],
        ],
      );
      assert.match(report.results[1].message ?? '', /not supported/);
      assert.notEqual(readLedger(read(file)).status, 'published');
    } finally {
      rmSync(root2, { recursive: true, force: true });
    }
  });

  it('writes one file per part under outbox/<channel>/ and a feed item to JSON Feed + Atom, once', async () => {
    const file = writePost(
      root,
      'lane.md',
      { title: 'Mill Lane', channels: ['outbox', 'news'], status: 'ready' },
      'Mill Lane is **open** again: [details](https://example.org/x).\n\n---\n\nThanks <3 & see you.\n',
    );
    const { report } = await publish(root, file, {});
    assert.equal(report.ok, true, JSON.stringify(report.results));
    const dir = path.join(root, 'outbox', 'outbox', 'lane');
    assert.equal(readFileSync(path.join(dir, '1.txt'), 'utf8').trim().startsWith('Mill Lane is open again'), true);
    assert.ok(existsSync(path.join(dir, '2.txt')));
    const feed = JSON.parse(readFileSync(path.join(root, 'feed', 'news', 'feed.json'), 'utf8'));
    assert.equal(feed.version, 'https://jsonfeed.org/version/1.1');
    assert.equal(feed.items.length, 1);
    assert.equal(feed.items[0].title, 'Mill Lane');
    assert.equal(feed.items[0].url, 'https://news.example.org/lane/');
    const atom = readFileSync(path.join(root, 'feed', 'news', 'atom.xml'), 'utf8');
    assert.match(atom, /<feed xmlns="http:\/\/www.w3.org\/2005\/Atom">/);
    assert.match(atom, /Thanks &lt;3 &amp; see you\./);
    // A second post is added; the first is not duplicated when re-run.
    const file2 = writePost(root, 'b.md', { title: 'Second', channels: ['news'], status: 'ready' }, 'Second post.\n');
    await publish(root, file2, {});
    await publish(root, file, {});
    const feed2 = JSON.parse(readFileSync(path.join(root, 'feed', 'news', 'feed.json'), 'utf8'));
    assert.equal(feed2.items.length, 2);
    assert.equal((readFileSync(path.join(root, 'feed', 'news', 'atom.xml'), 'utf8').match(/<entry>/g) ?? []).length, 2);
  });
});
