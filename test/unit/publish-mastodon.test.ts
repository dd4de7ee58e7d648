import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { countLength, loadPlaybookSync, parsePost, renderChannels } from '../../src/core';
import { readLedger } from '../../src/core/publish';
import { startMastodonFake, type MastodonFake } from '../fakes/mastodon-fake';
import { makeWorkspace, publish, read, tokenEnv, writePost } from './publish-helpers';

const TOKEN = 'mastodon-secret-token-8f3a9c';
const THREAD = `The 42 is back on its normal route from 6am tomorrow. Details: https://example.org/buses/42/a-very-long-path-that-is-longer-than-twenty-three-characters

---

Thanks to everyone who walked the long way round this week.

---

And to our drivers, who kept the early buses running. #thanks
`;

describe('publish: mastodon (local fake following the documented API)', () => {
  let fake: MastodonFake;
  let root: string;
  let env: Record<string, string>;

  beforeEach(async () => {
    fake = await startMastodonFake({ tokens: { [TOKEN]: 'news' } });
    root = makeWorkspace([{ id: 'masto', platform: 'mastodon', account: '@news', host: fake.host }]);
    env = tokenEnv([[{ platform: 'mastodon', host: fake.host, account: '@news' }, TOKEN]]);
  });
  afterEach(async () => {
    await fake.close();
    rmSync(root, { recursive: true, force: true });
  });

  function post(body = THREAD): string {
    return writePost(root, 'buses.md', { title: 'Buses', channels: ['masto'], status: 'ready' }, body);
  }

  it('publishes a thread as replies, with one Idempotency-Key per part, and records it in the front matter', async () => {
    const file = post();
    const { report } = await publish(root, file, env);
    assert.equal(report.ok, true, JSON.stringify(report.results));
    assert.equal(fake.statuses.length, 3);
    const [a, b, c] = fake.statuses;
    assert.equal(a.in_reply_to_id, null);
    assert.equal(b.in_reply_to_id, a.id);
    assert.equal(c.in_reply_to_id, b.id);
    assert.match(a.source, /^The 42 is back/);
    assert.match(c.source, /#thanks$/);
    const keys = fake.statuses.map((s) => s.idempotencyKey);
    assert.equal(new Set(keys).size, 3);
    const ledger = readLedger(read(file));
    assert.equal(ledger.status, 'published');
    assert.equal(ledger.publishing.length, 0);
    assert.deepEqual(ledger.published[0].parts, [a.id, b.id, c.id]);
    assert.equal(ledger.published[0].url, a.url);
    assert.match(ledger.published[0].hash ?? '', /^sha256:[0-9a-f]+$/);
    // Publishing again sends nothing.
    const again = await publish(root, file, env);
    assert.equal(again.report.results[0].outcome, 'already');
    assert.equal(fake.statuses.length, 3);
  });

  it('reads the limit from the instance and sends nothing when a part is too long for it', async () => {
    await fake.close();
    fake = await startMastodonFake({ tokens: { [TOKEN]: 'news' }, maxCharacters: 60, instanceApi: ['v1'] });
    root = makeWorkspace([{ id: 'masto', platform: 'mastodon', account: '@news', host: fake.host }]);
    env = tokenEnv([[{ platform: 'mastodon', host: fake.host, account: '@news' }, TOKEN]]);
    const file = post();
    const { report } = await publish(root, file, env);
    assert.equal(report.results[0].outcome, 'failed');
    assert.match(report.results[0].message ?? '', /part 1 is \d+ characters; masto allows 60\. Nothing was sent/);
    assert.equal(fake.statuses.length, 0);
    assert.equal(readLedger(read(file)).published.length, 0);
  });

  it('counts a URL as characters_reserved_per_url, like the instance', async () => {
    await fake.close();
    // 70 characters of text + a 100-character URL: fits at 23 per URL, not by raw length.
    fake = await startMastodonFake({ tokens: { [TOKEN]: 'news' }, maxCharacters: 100, charactersReservedPerUrl: 23 });
    root = makeWorkspace([{ id: 'masto', platform: 'mastodon', account: '@news', host: fake.host }]);
    env = tokenEnv([[{ platform: 'mastodon', host: fake.host, account: '@news' }, TOKEN]]);
    const file = post(`${'x'.repeat(70)} https://example.org/${'p'.repeat(80)}\n`);
    const { report } = await publish(root, file, env);
    assert.equal(report.ok, true, JSON.stringify(report.results));
    assert.equal(fake.statuses.length, 1);
  });

  it('lint, the preview counter and the publisher count a post as Mastodon does: graphemes, URLs 23, @user@host as @user', async () => {
    // Mastodon's StatusLengthValidator counts `each_grapheme_cluster.size` after URLs become 23
    // characters and remote mentions their local part. Lint used to count code points here, so an
    // emoji family (one grapheme, five code points) was "over" in lint and fine on the server.
    const family = '👨‍👩‍👧'; // 1 grapheme, 5 code points
    const body = `${family.repeat(120)} @sam@example.social https://example.org/${'p'.repeat(60)}\n`;
    const expected = 120 + 1 + '@sam'.length + 1 + 23;
    assert.equal(countLength(body.trim(), 'mastodon'), expected);
    await fake.close();
    // A limit between the grapheme count and the code-point count (120 × 5 = 600 code points of emoji).
    fake = await startMastodonFake({ tokens: { [TOKEN]: 'news' }, maxCharacters: 200 });
    root = makeWorkspace([{ id: 'masto', platform: 'mastodon', account: '@news', host: fake.host, limit: 200 }]);
    env = tokenEnv([[{ platform: 'mastodon', host: fake.host, account: '@news' }, TOKEN]]);
    const file = post(body);
    const [rendering] = renderChannels(parsePost(file, read(file)), loadPlaybookSync({ workspaceRoot: root }).channels);
    assert.deepEqual([rendering.parts[0].length, rendering.limit, rendering.over], [expected, 200, false]);
    const { report } = await publish(root, file, env);
    assert.equal(report.lintErrors, undefined, JSON.stringify(report.lintErrors));
    assert.equal(report.ok, true, JSON.stringify(report.results));
    assert.equal(fake.statuses.length, 1);
  });

  it('stops with a clear message on 401, and never shows the token even when the server echoes it', async () => {
    await fake.close();
    fake = await startMastodonFake({ tokens: { 'another-token': 'news' }, echoAuthOn401: true });
    root = makeWorkspace([{ id: 'masto', platform: 'mastodon', account: '@news', host: fake.host }]);
    env = tokenEnv([[{ platform: 'mastodon', host: fake.host, account: '@news' }, TOKEN]]);
    const file = post();
    const { report, progress } = await publish(root, file, env);
    const r = report.results[0];
    assert.equal(r.outcome, 'failed');
    assert.match(r.message ?? '', /HTTP 401/);
    assert.match(r.message ?? '', /UNSCRIPTED_TOKEN_MASTODON_127_0_0_1_\d+_NEWS/);
    assert.match(r.message ?? '', /\[redacted\]/, 'the echoed header is scrubbed');
    const everything = JSON.stringify(report) + progress.join('\n') + read(file);
    assert.ok(!everything.includes(TOKEN), 'token leaked');
    assert.equal(fake.statuses.length, 0);
  });

  it('stops on 422 (validation) without retrying', async () => {
    const file = post();
    fake.addFault({ kind: 'status', status: 422, match: 'POST /api/v1/statuses' });
    const { report, delays } = await publish(root, file, env);
    assert.equal(report.results[0].outcome, 'failed');
    assert.match(report.results[0].message ?? '', /HTTP 422/);
    assert.deepEqual(delays, []);
    assert.equal(fake.requests.filter((r) => r.method === 'POST').length, 1);
  });

  it('waits until X-RateLimit-Reset after a 429 and retries 500s with backoff, posting each part once', async () => {
    const file = post();
    fake.addFault({ kind: 'rate-limit', retryAfterSeconds: 3, match: 'POST /api/v1/statuses' });
    fake.addFault({ kind: 'status', status: 500, match: 'POST /api/v1/statuses', times: 2 });
    const { report, delays } = await publish(root, file, env);
    assert.equal(report.ok, true, JSON.stringify(report.results));
    assert.equal(fake.statuses.length, 3);
    assert.ok(delays[0] > 2000 && delays[0] <= 3000, `waited for the rate-limit reset: ${delays[0]}`);
    assert.equal(delays.length, 3);
  });

  it('does not double-post after dropped connections and timeouts once the server has created the status', async () => {
    const file = post();
    fake.addFault({ kind: 'drop-after', match: 'POST /api/v1/statuses' });
    fake.addFault({ kind: 'drop-before', match: 'POST /api/v1/statuses' });
    fake.addFault({ kind: 'hang-after', match: 'POST /api/v1/statuses' });
    const { report } = await publish(root, file, env, { timeoutMs: 300 });
    assert.equal(report.ok, true, JSON.stringify(report.results));
    assert.equal(fake.statuses.length, 3, 'each part exactly once');
    const [a, b, c] = fake.statuses;
    assert.equal(b.in_reply_to_id, a.id);
    assert.equal(c.in_reply_to_id, b.id);
    assert.ok(fake.requests.filter((r) => r.method === 'POST').length >= 5, 'the faults were hit and retried');
    assert.deepEqual(readLedger(read(file)).published[0].parts, [a.id, b.id, c.id]);
  });

  it('records what went out when a thread fails halfway, and resumes from there', async () => {
    const file = post();
    fake.on('status', () => {
      if (fake.statuses.length === 1) fake.addFault({ kind: 'status', status: 503, match: 'POST /api/v1/statuses', times: 10 });
    });
    const first = await publish(root, file, env);
    assert.equal(first.report.results[0].outcome, 'failed');
    assert.match(first.report.results[0].message ?? '', /1 of 3 part\(s\) went out/);
    const mid = readLedger(read(file));
    assert.equal(mid.publishing.length, 1);
    assert.deepEqual(mid.publishing[0].parts, [fake.statuses[0].id]);
    assert.equal(mid.published.length, 0);
    assert.notEqual(mid.status, 'published');

    fake.removeAllListeners('status');
    fake.faults.clear();
    const second = await publish(root, file, env);
    assert.equal(second.report.ok, true, JSON.stringify(second.report.results));
    assert.equal(fake.statuses.length, 3);
    assert.equal(fake.statuses[1].in_reply_to_id, fake.statuses[0].id, 'the thread continues from the recorded part');
    assert.equal(readLedger(read(file)).status, 'published');
  });

  it('refuses a second publish of the same post while the first runs', async () => {
    const file = post();
    fake.addFault({ kind: 'hang-after', match: 'POST /api/v1/statuses' });
    const [a, b] = await Promise.all([publish(root, file, env, { timeoutMs: 500 }), publish(root, file, env, { timeoutMs: 500 })]);
    const refused = [a, b].filter((x) => x.report.refused);
    const won = [a, b].filter((x) => !x.report.refused);
    assert.equal(refused.length, 1);
    assert.match(refused[0].report.refused!, /being published by another process/);
    assert.equal(won[0].report.ok, true);
    assert.equal(fake.statuses.length, 3);
  });

  it('keeps the rest of the front matter as it was (comments, order, body)', async () => {
    const file = writePost(root, 'c.md', { title: 'Buses # not a comment', channels: ['masto'], status: 'ready' }, THREAD);
    const before = read(file).replace('status: ready', 'status: ready # set by sam\n# keep this comment');
    require('node:fs').writeFileSync(file, before);
    await publish(root, file, env);
    const after = read(file);
    assert.match(after, /# keep this comment/);
    assert.match(after, /channels: \[masto\]/);
    assert.ok(after.endsWith(THREAD), 'body unchanged');
    const parsed = parsePost(file, after);
    assert.equal(parsed.meta.status, 'published');
    assert.equal(parsed.meta.published[0].channel, 'masto');
  });
});
