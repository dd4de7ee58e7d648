import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parsePost } from '../../src/core';
import {
  Redactor,
  acquireLock,
  setTopLevel,
  envVarName,
  readLedger,
  recordKey,
  recordPublished,
  setIntent,
  tid,
  webhookStyle,
} from '../../src/core/publish';
import { retryAfterMs } from '../../src/core/publish/http';

const retryAfterMsForTest = (h: Record<string, string>, now: number) => retryAfterMs(new Headers(h), now);

const POST = `---
# Written by sam, checked by jo
title: "Mill Lane: open again"   # quoted on purpose
channels: [outbox, masto]
status: ready
publish_at: 2026-06-01T09:00:00+01:00
---
Body line one.

---

Part two stays byte for byte.\r
`;

describe('publish: the ledger in the front matter', () => {
  it('the post model and the ledger read `published:` alike (one parser): odd entries included', () => {
    // post.ts used to turn a numeric url into a string while the ledger dropped it.
    const text = `---
title: t
status: published
published:
  - channel: masto
    id: 109
    url: 42
    at: 2026-06-01T09:00:00Z
    hash: sha256:abc
    parts: [109, 110]
    lint_override: [channel-length]
  - id: no-channel
  - just a string
  - channel: outbox
---
Hi.
`;
    const fromPost = parsePost('/ws/posts/p.md', text).meta.published;
    assert.deepEqual(fromPost, readLedger(text).published);
    assert.deepEqual(fromPost, [
      {
        channel: 'masto',
        id: '109',
        url: undefined,
        at: '2026-06-01T09:00:00Z',
        hash: 'sha256:abc',
        parts: ['109', '110'],
        lintOverride: ['channel-length'],
      },
      { channel: 'outbox', id: '', url: undefined, at: '', hash: undefined, parts: undefined },
    ]);
  });
  it('changes nothing when nothing is changed, and only the value when a scalar changes', () => {
    assert.equal(setTopLevel(POST, 'status', 'ready'), POST);
    assert.equal(setTopLevel(POST, 'nothing-here', undefined), POST);
    assert.equal(setTopLevel(POST, 'status', 'published'), POST.replace('status: ready', 'status: published'));
    const commented = POST.replace('status: ready', 'status: ready   # jo: hold until the council confirms');
    assert.equal(setTopLevel(commented, 'status', 'published'), commented.replace('status: ready', 'status: published'));
  });

  it('records intent, then the published entry, keeping comments, quoting, order and the body', () => {
    const intent = {
      channel: 'masto',
      key: 'abc123',
      started: '2026-06-01T08:00:00.000Z',
      hash: 'sha256:1',
      parts: [],
      urls: [],
      pending: 0,
    };
    const t1 = setIntent(POST, intent);
    assert.match(
      t1,
      /# Written by sam, checked by jo\ntitle: "Mill Lane: open again" {3}# quoted on purpose\nchannels: \[outbox, masto\]\nstatus: ready\npublish_at: 2026-06-01T09:00:00\+01:00\npublishing:\n {2}- channel: masto\n {4}key: abc123/,
    );
    assert.deepEqual(readLedger(t1).publishing[0].pending, 0);
    const t2 = setIntent(t1, { ...intent, parts: ['1'], urls: ['https://x/1'], pending: undefined });
    assert.equal(readLedger(t2).publishing.length, 1, 'updated in place');
    assert.deepEqual(readLedger(t2).publishing[0].parts, ['1']);
    const t3 = recordPublished(
      t2,
      { channel: 'masto', id: '1', url: 'https://x/1', at: '2026-06-01T08:00:01.000Z', hash: 'sha256:1', parts: ['1', '2'] },
      ['outbox', 'masto'],
    );
    const l3 = readLedger(t3);
    assert.equal(l3.publishing.length, 0);
    assert.doesNotMatch(t3, /publishing:/);
    assert.equal(l3.status, 'ready', 'outbox is not in yet');
    const t4 = recordPublished(t3, { channel: 'outbox', id: 'outbox/outbox/a/1.txt', at: '2026-06-01T08:00:02.000Z' }, ['outbox', 'masto']);
    assert.equal(readLedger(t4).status, 'published');
    assert.ok(t4.endsWith(POST.slice(POST.indexOf('---\nBody') + 4)), 'body unchanged');
    // The lead's parser reads the same ledger.
    const parsed = parsePost('/x.md', t4);
    assert.deepEqual(
      parsed.meta.published.map((p) => p.channel),
      ['masto', 'outbox'],
    );
    assert.equal(parsed.meta.title, 'Mill Lane: open again');
  });

  it('keeps CRLF front matter in CRLF, and adds front matter to a file without one', () => {
    const crlf = '---\r\ntitle: A\r\nstatus: ready\r\n---\r\nBody\r\n';
    const out = setIntent(crlf, { channel: 'o', key: 'k', started: 's', hash: 'h', parts: [], urls: [] });
    assert.ok(!/[^\r]\n/.test(out), JSON.stringify(out));
    const bare = recordPublished('Just a body.\n', { channel: 'outbox', id: 'x', at: 't' }, ['outbox']);
    assert.match(bare, /^---\npublished:\n {2}- channel: outbox\n {4}id: x\n {4}at: t\nstatus: published\n---\nJust a body\.\n$/);
  });

  it('refuses to edit front matter that does not parse', () => {
    assert.throws(() => setTopLevel('---\ntitle: [unclosed\n---\nBody\n', 'status', 'published'), /does not parse/);
  });
});

describe('publish: helpers', () => {
  it('derives valid, deterministic, distinct Bluesky record keys from the intent', () => {
    const a = recordKey('2026-06-01T08:00:00.000Z', 'abcdef', 0);
    assert.equal(a, recordKey('2026-06-01T08:00:00.000Z', 'abcdef', 0));
    assert.notEqual(a, recordKey('2026-06-01T08:00:00.000Z', 'abcdef', 1));
    assert.match(a, /^[234567abcdefghij][234567abcdefghijklmnopqrstuvwxyz]{12}$/);
    assert.equal(tid(0n, 0), '2222222222222');
    // Sortable: later intents give larger keys.
    assert.ok(recordKey('2026-06-01T08:00:01.000Z', 'abcdef', 0) > a);
  });

  it('names token variables by platform, host and account', () => {
    assert.equal(
      envVarName({ platform: 'mastodon', host: 'mastodon.social', account: '@example' }),
      'UNSCRIPTED_TOKEN_MASTODON_MASTODON_SOCIAL_EXAMPLE',
    );
    assert.equal(envVarName({ platform: 'webhook', host: 'hooks.slack.com', account: '' }), 'UNSCRIPTED_TOKEN_WEBHOOK_HOOKS_SLACK_COM');
    assert.notEqual(
      envVarName({ platform: 'mastodon', host: 'a.example', account: 'x' }),
      envVarName({ platform: 'mastodon', host: 'b.example', account: 'x' }),
    );
  });

  it('redacts secrets in their raw, URL-encoded and base64 forms, and a webhook URL by its path', () => {
    const r = new Redactor();
    r.add('s3cr3t+token/x');
    r.add('https://hooks.slack.com/services/T1/B2/zzzzzz');
    const text = `a s3cr3t+token/x b ${encodeURIComponent('s3cr3t+token/x')} c ${Buffer.from('s3cr3t+token/x').toString('base64')} d https://hooks.slack.com/services/T1/B2/zzzzzz`;
    const out = r.redact(text);
    assert.ok(!out.includes('s3cr3t') && !out.includes('zzzzzz'), out);
  });

  it('reads Retry-After in seconds or as a date, and rate-limit resets as ISO time or epoch seconds', () => {
    const now = Date.parse('2026-06-01T08:00:00Z');
    assert.equal(retryAfterMsForTest({ 'retry-after': '7' }, now), 7000);
    assert.equal(retryAfterMsForTest({ 'retry-after': 'Mon, 01 Jun 2026 08:00:30 GMT' }, now), 30000);
    assert.equal(retryAfterMsForTest({ 'x-ratelimit-reset': '2026-06-01T08:05:00.000Z' }, now), 300000);
    assert.equal(retryAfterMsForTest({ 'ratelimit-reset': String(now / 1000 + 12) }, now), 12000);
    assert.equal(retryAfterMsForTest({}, now), undefined);
  });

  it('recognises webhook styles by host or path', () => {
    assert.equal(webhookStyle(new URL('https://hooks.slack.com/services/T/B/x')), 'slack');
    assert.equal(webhookStyle(new URL('https://discord.com/api/webhooks/1/x')), 'discord');
    assert.equal(webhookStyle(new URL('https://org.webhook.office.com/webhookb2/x')), 'teams');
    assert.equal(webhookStyle(new URL('https://example.org/hook')), 'generic');
  });

  it('one lock per post: a second holder is refused until the first releases', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'unscripted-lock-'));
    const file = path.join(dir, 'p.md');
    writeFileSync(file, 'x');
    try {
      const a = await acquireLock(file);
      await assert.rejects(acquireLock(file), /being published by another process \(pid \d+/);
      await a.release();
      const b = await acquireLock(file);
      await b.release();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('publish: setTopLevel (property)', () => {
  const fc = require('fast-check') as typeof import('fast-check');
  const { readFrontMatter } = require('../../src/core') as typeof import('../../src/core');
  const keyArb = fc.constantFrom('title', 'status', 'campaign', 'author', 'published', 'publishing', 'lint_override', 'channels');
  const scalarArb = fc.oneof(fc.string({ maxLength: 12 }), fc.integer(), fc.boolean());
  const entryArb = fc
    .record({
      channel: fc.constantFrom('a', 'b', 'c'),
      id: fc.string({ maxLength: 8 }),
      parts: fc.array(fc.string({ maxLength: 5 }), { maxLength: 3 }),
    })
    .map((e) => ({ ...e }));
  const valueArb = fc.oneof(scalarArb, fc.array(entryArb, { minLength: 1, maxLength: 3 }));

  it('sets exactly one key: the data changes only there and every other line stays as it was', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.tuple(keyArb, valueArb, fc.boolean()), { selector: (t) => t[0], maxLength: 6 }),
        keyArb,
        fc.option(valueArb, { nil: undefined }),
        (pairs, key, value) => {
          // A front matter written by hand: some keys with comments.
          const yaml = pairs
            .map(([k, v, comment]) => {
              const doc = new (require('yaml').Document)({ [k]: v });
              const text = doc.toString({ lineWidth: 0 });
              return comment ? `# about ${k}\n${text}` : text;
            })
            .join('');
          const text = `---\n${yaml}---\nBody.\n`;
          const out = setTopLevel(text, key, value);
          const before = readFrontMatter(text)!.data!;
          const after = readFrontMatter(out)!.data!;
          const expected = { ...before };
          if (value === undefined) delete expected[key];
          else expected[key] = value;
          assert.deepEqual(after, expected);
          assert.ok(out.endsWith('---\nBody.\n'));
          // Lines of the other keys (and comments) are all still there, in order.
          const othersBefore = text.split('\n').filter((l) => l.startsWith('# about'));
          const othersAfter = out.split('\n').filter((l) => l.startsWith('# about'));
          assert.deepEqual(othersAfter, othersBefore);
        },
      ),
      { numRuns: 300 },
    );
  });
});
