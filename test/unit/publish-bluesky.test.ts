/**
 * Bluesky publishing against a real PDS (the reference implementation from @atproto/dev-env,
 * run under Node 22 from .pds/; install with scripts/setup-pds.sh, run with `npm run test:pds`).
 * Skipped when the PDS is not installed, unless UNSCRIPTED_REQUIRE_PDS=1.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { AtpAgent } from '@atproto/api';
import { readLedger, recordKey } from '../../src/core/publish';
import { startFaultProxy, type FaultProxy } from '../fakes/fault-proxy';
import { pdsInstalled, pdsRequired, startPds, type RunningPds } from '../pds/pds';
import { makeWorkspace, publish, read, tokenEnv, writePost } from './publish-helpers';

interface PostRecord {
  text: string;
  createdAt: string;
  facets?: Array<{
    index: { byteStart: number; byteEnd: number };
    features: Array<{ $type: string; uri?: string; did?: string; tag?: string }>;
  }>;
  reply?: { root: { uri: string; cid: string }; parent: { uri: string; cid: string } };
}

function bytesOf(text: string, sub: string): { byteStart: number; byteEnd: number } {
  const i = text.indexOf(sub);
  assert.ok(i >= 0, `${sub} not in ${text}`);
  const byteStart = Buffer.byteLength(text.slice(0, i), 'utf8');
  return { byteStart, byteEnd: byteStart + Buffer.byteLength(sub, 'utf8') };
}

describe('publish: bluesky against a real local PDS', function () {
  this.timeout(60_000);
  let pds: RunningPds;
  let proxy: FaultProxy;
  let alice: { did: string; handle: string; appPassword: string };
  let bobDid: string;
  let reader: AtpAgent;
  let pdsHost: string;
  let n = 0;

  before(async function () {
    if (!pdsInstalled()) {
      if (pdsRequired()) throw new Error('the PDS is not installed: run scripts/setup-pds.sh');
      this.skip();
    }
    pds = await startPds();
    pdsHost = new URL(pds.url).host;
    const agent = new AtpAgent({ service: pds.url });
    const a = await agent.createAccount({ handle: 'alice.test', email: 'alice@example.test', password: 'alice-main-password' });
    const pw = await agent.com.atproto.server.createAppPassword({ name: 'unscripted' });
    alice = { did: a.data.did, handle: 'alice.test', appPassword: pw.data.password };
    const bob = await new AtpAgent({ service: pds.url }).createAccount({
      handle: 'bob.test',
      email: 'bob@example.test',
      password: 'bob-main-password',
    });
    bobDid = bob.data.did;
    reader = new AtpAgent({ service: pds.url });
    proxy = await startFaultProxy(pds.url);
  });
  after(async () => {
    await proxy?.close();
    await pds?.stop();
  });

  function workspace(host: string) {
    const root = makeWorkspace([{ id: 'sky', platform: 'bluesky', account: alice.handle, host }]);
    const env = tokenEnv([[{ platform: 'bluesky', host, account: alice.handle }, alice.appPassword]]);
    return { root, env };
  }

  async function records(): Promise<Array<{ uri: string; cid: string; value: PostRecord }>> {
    const r = await reader.com.atproto.repo.listRecords({ repo: alice.did, collection: 'app.bsky.feed.post', limit: 100 });
    return r.data.records as unknown as Array<{ uri: string; cid: string; value: PostRecord }>;
  }

  it('publishes a thread with link, mention and hashtag facets as UTF-8 byte ranges, and replies chained', async () => {
    const { root, env } = workspace(pdsHost);
    const before = (await records()).length;
    try {
      const body = `Café reopens — thanks @bob.test! Details: https://example.org/café-news #Riverside 🎉

---

Part two: the story corner is back. #StoryTime

---

Part three, with ünïcödé and no facets.
`;
      const file = writePost(root, `thread${n++}.md`, { title: 'Thread', channels: ['sky'], status: 'ready' }, body);
      const { report } = await publish(root, file, env);
      assert.equal(report.ok, true, JSON.stringify(report.results));
      const ledger = readLedger(read(file));
      assert.equal(ledger.status, 'published');
      const ids = ledger.published[0].parts!;
      assert.equal(ids.length, 3);

      const got = [];
      for (const uri of ids) {
        const [, repo, collection, rkey] = /^at:\/\/([^/]+)\/([^/]+)\/([^/]+)$/.exec(uri)!;
        assert.equal(repo, alice.did);
        const r = await reader.com.atproto.repo.getRecord({ repo, collection, rkey });
        got.push({ uri: r.data.uri, cid: r.data.cid!, value: r.data.value as unknown as PostRecord });
      }
      const [p1, p2, p3] = got;
      assert.equal(p1.value.text, 'Café reopens — thanks @bob.test! Details: https://example.org/café-news #Riverside 🎉');
      const facets = p1.value.facets!;
      const mention = facets.find((f) => f.features[0].$type === 'app.bsky.richtext.facet#mention')!;
      assert.deepEqual(mention.index, bytesOf(p1.value.text, '@bob.test'));
      assert.equal(mention.features[0].did, bobDid);
      const link = facets.find((f) => f.features[0].$type === 'app.bsky.richtext.facet#link')!;
      assert.deepEqual(link.index, bytesOf(p1.value.text, 'https://example.org/café-news'));
      assert.equal(link.features[0].uri, 'https://example.org/café-news');
      const tag = facets.find((f) => f.features[0].$type === 'app.bsky.richtext.facet#tag')!;
      assert.deepEqual(tag.index, bytesOf(p1.value.text, '#Riverside'));
      assert.equal(tag.features[0].tag, 'Riverside');

      assert.equal(p1.value.reply, undefined);
      assert.deepEqual(p2.value.reply, { root: { uri: p1.uri, cid: p1.cid }, parent: { uri: p1.uri, cid: p1.cid } });
      assert.deepEqual(p3.value.reply, { root: { uri: p1.uri, cid: p1.cid }, parent: { uri: p2.uri, cid: p2.cid } });
      assert.equal(p3.value.facets, undefined);
      assert.equal((await records()).length, before + 3);

      // Record keys are the deterministic ones from the recorded intent.
      const rkeys = ids.map((u) => u.split('/').pop());
      assert.match(rkeys[0]!, /^[2-7a-j][2-7a-z]{12}$/);
      // Re-running sends nothing.
      const again = await publish(root, file, env);
      assert.equal(again.report.results[0].outcome, 'already');
      assert.equal((await records()).length, before + 3);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('a dropped answer after the PDS stored the record: the retry finds it with getRecord, no duplicate', async () => {
    const { root, env } = workspace(proxy.host);
    const before = (await records()).length;
    try {
      const file = writePost(
        root,
        `drop${n++}.md`,
        { title: 'Drop', channels: ['sky'], status: 'ready' },
        'First part.\n\n---\n\nSecond part.\n',
      );
      proxy.addFault({ kind: 'drop-after', match: 'com.atproto.repo.createRecord' });
      proxy.addFault({ kind: 'status', status: 502, match: 'com.atproto.repo.createRecord' });
      proxy.addFault({ kind: 'rate-limit', retryAfterSeconds: 2, match: 'com.atproto.repo.createRecord' });
      const { report, delays } = await publish(root, file, env);
      assert.equal(report.ok, true, JSON.stringify(report.results));
      const after = await records();
      assert.equal(after.length, before + 2, 'each part exactly once');
      assert.ok(
        proxy.seen.some((s) => s.includes('com.atproto.repo.getRecord')),
        'looked the record up before retrying',
      );
      assert.ok(
        delays.some((d) => d > 1000 && d <= 3000),
        `honoured RateLimit-Reset: ${delays.join(', ')}`,
      );
      const ids = readLedger(read(file)).published[0].parts!;
      const second = after.find((r) => r.uri === ids[1])!;
      assert.equal(second.value.reply?.parent.uri, ids[0]);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('resumes a half-published thread from the ledger (the part in flight is looked up, not re-posted)', async () => {
    const { root, env } = workspace(proxy.host);
    const before = (await records()).length;
    try {
      const file = writePost(
        root,
        `resume${n++}.md`,
        { title: 'Resume', channels: ['sky'], status: 'ready' },
        'One.\n\n---\n\nTwo.\n\n---\n\nThree.\n',
      );
      // Part 2 reaches the PDS, then every answer is lost: the run gives up with part 2 pending.
      let creates = 0;
      proxy.faults.clear();
      const origTake = proxy.faults.take.bind(proxy.faults);
      proxy.faults.take = (req) => {
        if (req.url?.includes('com.atproto.repo.createRecord') && ++creates === 2) return { kind: 'drop-after' };
        if (creates >= 2 && req.url?.includes('com.atproto.repo.')) return { kind: 'drop-before' };
        return origTake(req);
      };
      const first = await publish(root, file, env);
      proxy.faults.take = origTake;
      assert.equal(first.report.results[0].outcome, 'failed');
      const mid = readLedger(read(file)).publishing[0];
      assert.equal(mid.parts.length, 1);
      assert.equal(mid.pending, 1);
      assert.equal((await records()).length, before + 2, 'part 2 is on the PDS although the publisher does not know');
      const rkey2 = recordKey(mid.started, mid.key, 1);

      const second = await publish(root, file, env);
      assert.equal(second.report.ok, true, JSON.stringify(second.report.results));
      const after = await records();
      assert.equal(after.length, before + 3);
      const ids = readLedger(read(file)).published[0].parts!;
      assert.equal(ids[1].split('/').pop(), rkey2);
      const third = after.find((r) => r.uri === ids[2])!;
      assert.equal(third.value.reply?.parent.uri, ids[1]);
      assert.equal(third.value.reply?.root.uri, ids[0]);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('a publisher process killed after the PDS stored part 2 (before recording it): the re-run finishes the thread, no duplicate', async () => {
    const { root, env } = workspace(proxy.host);
    const before = (await records()).length;
    try {
      const file = writePost(
        root,
        `kill${n++}.md`,
        { title: 'Kill', channels: ['sky'], status: 'ready' },
        'One.\n\n---\n\nTwo.\n\n---\n\nThree.\n',
      );
      let creates = 0;
      const held = new Promise<void>((resolve) => {
        proxy.on('forwarded', function onF(e: { url?: string }) {
          if (e.url?.includes('com.atproto.repo.createRecord') && ++creates === 1) {
            // Hold the answer to the next create (part 2) after the PDS has stored it.
            proxy.addFault({ kind: 'hang-after', match: 'com.atproto.repo.createRecord' });
          } else if (e.url?.includes('com.atproto.repo.createRecord') && creates === 2) {
            proxy.off('forwarded', onF);
            resolve();
          }
        });
      });
      const bin = path.join(__dirname, '..', '..', '..', 'bin', 'unscripted.js');
      const child = spawn(process.execPath, [bin, 'publish', path.relative(root, file), '--yes'], {
        cwd: root,
        env: { ...process.env, ...env, UNSCRIPTED_PUBLISH_TIMEOUT_MS: '60000' },
        stdio: 'ignore',
      });
      const exited = new Promise((resolve) => child.on('exit', (_c, sig) => resolve(sig)));
      await held;
      child.kill('SIGKILL');
      assert.equal(await exited, 'SIGKILL');
      proxy.faults.releaseAll();
      assert.equal((await records()).length, before + 2, 'part 2 is on the PDS, unrecorded');
      const mid = readLedger(read(file)).publishing[0];
      assert.equal(mid.parts.length, 1);
      assert.equal(mid.pending, 1);

      const again = await publish(root, file, env);
      assert.equal(again.report.ok, true, JSON.stringify(again.report.results));
      const after = await records();
      assert.equal(after.length, before + 3, 'every part exactly once');
      const ids = readLedger(read(file)).published[0].parts!;
      assert.equal(ids[1].split('/').pop(), recordKey(mid.started, mid.key, 1));
      const texts = ids.map((id) => after.find((r) => r.uri === id)!.value.text);
      assert.deepEqual(texts, ['One.', 'Two.', 'Three.']);
      assert.equal(after.find((r) => r.uri === ids[2])!.value.reply?.parent.uri, ids[1]);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('refuses a part over 300 graphemes before sending anything', async () => {
    const { root, env } = workspace(pdsHost);
    const before = (await records()).length;
    try {
      const file = writePost(
        root,
        `long${n++}.md`,
        { title: 'Long', channels: ['sky'], status: 'ready' },
        `Short first part.\n\n---\n\n${'é'.repeat(301)}\n`,
      );
      const { report } = await publish(root, file, env, { lint: () => [] });
      assert.equal(report.results[0].outcome, 'failed');
      assert.match(report.results[0].message ?? '', /part 2 is 301 characters; sky allows 300/);
      assert.equal((await records()).length, before);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('stops on a wrong app password with a clear message that never contains it', async () => {
    const root = makeWorkspace([{ id: 'sky', platform: 'bluesky', account: alice.handle, host: pdsHost }]);
    const wrong = 'aaaa-bbbb-cccc-dddd';
    const env = tokenEnv([[{ platform: 'bluesky', host: pdsHost, account: alice.handle }, wrong]]);
    try {
      const file = writePost(root, `pw${n++}.md`, { title: 'Pw', channels: ['sky'], status: 'ready' }, 'Hello.\n');
      const { report, progress, delays } = await publish(root, file, env);
      assert.equal(report.results[0].outcome, 'failed');
      assert.match(
        report.results[0].message ?? '',
        /401.*check the environment variable UNSCRIPTED_TOKEN_BLUESKY_LOCALHOST_\d+_ALICE_TEST/,
      );
      assert.deepEqual(delays, []);
      assert.ok(!(JSON.stringify(report) + progress.join('') + read(file)).includes(wrong));
      assert.ok(!(JSON.stringify(report) + read(file)).includes(alice.appPassword));
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
