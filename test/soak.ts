/**
 * Publishing under faults, counted (issue 12). Many posts go through the outbox, a feed, the
 * Mastodon fake and the webhook fake (loopback only), with faults injected at random: dropped
 * connections before and after the server acted, 429s, 5xx, timeouts, and for some posts a
 * `kill -9` of a real CLI process between sending and recording. After each run an operator
 * settles what the tool reports as unknown the way the docs say (look at the channel: --mark-sent
 * if it is there, else --resend) and runs publish again, until every post is out or the round
 * limit is hit. Counts: posts attempted, sent, duplicates (must be 0), lost (must be 0).
 * Bounded in posts, rounds and time. Used by `npm run soak` (bench/soak.ts) and a short test.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Workspace } from '../src/core';
import { EnvSecretSource, publishPost, readLedger, type PublishReport } from '../src/core/publish';
import type { Fault } from './fakes/faults';
import { startMastodonFake, type MastodonFake } from './fakes/mastodon-fake';
import { startWebhookFake, type WebhookFake } from './fakes/webhook-fake';
import { makeWorkspace, tokenEnv, writePost } from './unit/publish-helpers';

export interface SoakOptions {
  posts: number;
  seed: number;
  /** Stop starting new posts after this long (the counts cover what was attempted). */
  maxMs: number;
  /** Every n-th post is published by a real CLI process killed between send and record (0: none). */
  killEvery: number;
  rounds?: number;
  log?: (line: string) => void;
}

export interface SoakCounts {
  attempted: number;
  sent: number;
  duplicates: number;
  lost: number;
  faults: number;
  kills: number;
  unknownSettled: number;
  ms: number;
  problems: string[];
}

/** A small deterministic generator (mulberry32). */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FAULTS: Fault['kind'][] = ['drop-before', 'drop-after', 'hang-before', 'hang-after', 'status', 'rate-limit'];
const TOKEN = 'soak-mastodon-token-5e1f';
const BIN = path.resolve(__dirname, '..', '..', 'bin', 'unscripted.js');

export async function runSoak(opts: SoakOptions): Promise<SoakCounts> {
  const t0 = Date.now();
  const rand = rng(opts.seed);
  const pick = <T>(xs: T[]) => xs[Math.floor(rand() * xs.length)];
  const log = opts.log ?? (() => undefined);
  const masto: MastodonFake = await startMastodonFake({ tokens: { [TOKEN]: 'news' }, postLimit: 1_000_000 });
  const hooks: WebhookFake = await startWebhookFake();
  const root = makeWorkspace(
    [
      { id: 'outbox', platform: 'outbox' },
      { id: 'news', platform: 'feed', account: 'News', host: 'news.example.org' },
      { id: 'masto', platform: 'mastodon', account: '@news', host: masto.host },
      { id: 'hook', platform: 'webhook', account: 'team', host: hooks.host },
    ],
    { burst: '1000000 per 1 hour' },
  );
  const env: Record<string, string> = {
    ...tokenEnv([
      [{ platform: 'mastodon', host: masto.host, account: '@news' }, TOKEN],
      [{ platform: 'webhook', host: hooks.host, account: 'team' }, hooks.newHook('slack')],
    ]),
  };
  const counts: SoakCounts = { attempted: 0, sent: 0, duplicates: 0, lost: 0, faults: 0, kills: 0, unknownSettled: 0, ms: 0, problems: [] };
  const ws = Workspace.open(root);
  const common = {
    root,
    playbook: ws.playbook,
    secrets: new EnvSecretSource(env),
    retry: { baseMs: 1, maxDelayMs: 5, maxAttempts: 3 },
    timeoutMs: 300,
    sleep: async () => undefined,
  };
  const publish = (file: string, extra: { markSent?: boolean; resend?: boolean; channel?: string } = {}): Promise<PublishReport> =>
    publishPost({ ...common, file, ...extra });

  const expected = new Map<string, { file: string; parts: string[]; channels: string[] }>();
  try {
    for (let i = 0; i < opts.posts && Date.now() - t0 < opts.maxMs; i++) {
      counts.attempted++;
      const nParts = 1 + Math.floor(rand() * 3);
      const parts = Array.from({ length: nParts }, (_, k) => `Soak post ${i} part ${k + 1}: the library opens at nine.`);
      const channels = ['outbox', 'news', 'masto', 'hook'].filter(() => rand() < 0.7);
      if (channels.length === 0) channels.push('masto');
      const name = `soak-${i}.md`;
      const file = writePost(root, name, { title: `Soak ${i}`, channels, status: 'ready' }, parts.join('\n\n---\n\n') + '\n');
      expected.set(name, { file, parts, channels });
      // Faults for this post's first run, on the fakes it uses.
      for (const fake of [masto, hooks]) {
        const n = Math.floor(rand() * 3);
        for (let k = 0; k < n; k++) {
          const kind = pick(FAULTS);
          fake.addFault({ kind, match: 'POST', status: pick([500, 502, 503]), retryAfterSeconds: 0 });
          counts.faults++;
        }
      }
      if (opts.killEvery > 0 && i % opts.killEvery === opts.killEvery - 1 && channels.includes('masto')) {
        counts.kills++;
        await killBetweenSendAndRecord(root, name, env, masto);
      }
      for (let round = 0; round < (opts.rounds ?? 6); round++) {
        const report = await publish(file);
        if (report.refused && !/being published by another process/.test(report.refused)) {
          counts.problems.push(`${name}: refused: ${report.refused}`);
          break;
        }
        if (report.ok) break;
        // The operator settles what is unknown, as the message says: look, then mark or resend.
        for (const r of report.results.filter((x) => x.outcome === 'unknown')) {
          counts.unknownSettled++;
          const there = r.channel === 'hook' ? hooksHolding(hooks, parts) : mastoHolding(masto, parts);
          const intent = readLedger(fs.readFileSync(file, 'utf8')).publishing.find((p) => p.channel === r.channel);
          const pendingText =
            intent?.pending !== undefined ? (r.channel === 'hook' ? parts.join('\n\n') : parts[intent.pending]) : undefined;
          const sentAlready = pendingText !== undefined && there.includes(pendingText);
          await publish(file, sentAlready ? { markSent: true, channel: r.channel } : { resend: true, channel: r.channel });
        }
        masto.faults.clear();
        hooks.faults.clear();
      }
      log(`post ${i}: ${channels.join(', ')} (${nParts} part${nParts > 1 ? 's' : ''})`);
    }
    masto.faults.clear();
    hooks.faults.clear();
    // Count: every expected part on every channel exactly once.
    for (const [name, e] of expected) {
      const ledger = readLedger(fs.readFileSync(e.file, 'utf8'));
      let complete = true;
      for (const ch of e.channels) {
        const seen =
          ch === 'masto'
            ? e.parts.map((p) => masto.statuses.filter((s) => s.source === p).length)
            : ch === 'hook'
              ? [hooks.messages.filter((m) => m.text === e.parts.join('\n\n')).length]
              : e.parts.map((_, k) => outboxCount(root, ch, name, k, e.parts));
        for (const n of seen) {
          if (n > 1) counts.duplicates += n - 1;
          if (n === 0) complete = false;
        }
        if (!ledger.published.some((p) => p.channel === ch)) complete = false;
      }
      if (complete) counts.sent++;
      else {
        counts.lost++;
        counts.problems.push(
          `${name}: not out on every channel (${e.channels.join(', ')}); ledger: ${ledger.published.map((p) => p.channel).join(', ') || 'nothing'}`,
        );
      }
    }
  } finally {
    await masto.close();
    await hooks.close();
    fs.rmSync(root, { recursive: true, force: true });
  }
  counts.ms = Date.now() - t0;
  return counts;
}

function mastoHolding(m: MastodonFake, parts: string[]): string[] {
  return m.statuses.map((s) => s.source).filter((s) => parts.includes(s));
}
function hooksHolding(h: WebhookFake, parts: string[]): string[] {
  const joined = parts.join('\n\n');
  return h.messages.map((m) => m.text).filter((t) => t === joined);
}

function outboxCount(root: string, channel: string, name: string, k: number, parts: string[]): number {
  if (channel === 'outbox') {
    const f = path.join(root, 'outbox', 'outbox', name.replace(/\.md$/, ''), `${k + 1}.txt`);
    return fs.existsSync(f) && fs.readFileSync(f, 'utf8').trim() === parts[k] ? 1 : 0;
  }
  // The feed: items for this post (one item holds every part).
  if (k > 0) return 1;
  const feedFile = path.join(root, 'feed', channel, 'feed.json');
  if (!fs.existsSync(feedFile)) return 0;
  const feed = JSON.parse(fs.readFileSync(feedFile, 'utf8')) as { items: { id: string }[] };
  return feed.items.filter((it) => it.id.endsWith(`:${name.replace(/\.md$/, '')}`)).length;
}

/**
 * Publish a post with the real CLI and `kill -9` it once Mastodon has created a status and before
 * the answer reaches the process (a `hang-after` fault holds it): the ledger says a part is in
 * flight, and the next run must finish the thread without a duplicate.
 */
async function killBetweenSendAndRecord(root: string, name: string, env: Record<string, string>, masto: MastodonFake): Promise<void> {
  masto.faults.clear();
  masto.addFault({ kind: 'hang-after', match: 'POST /api/v1/statuses' });
  const before = masto.statuses.length;
  const child = spawn(process.execPath, [BIN, 'publish', `posts/${name}`, '--channel', 'masto', '--yes'], {
    cwd: root,
    env: { ...process.env, ...env, UNSCRIPTED_PUBLISH_TIMEOUT_MS: '60000' },
    stdio: 'ignore',
  });
  const exited = new Promise<void>((r) => child.on('exit', () => r()));
  const deadline = Date.now() + 20_000;
  while (masto.statuses.length === before && Date.now() < deadline && child.exitCode === null) await new Promise((r) => setTimeout(r, 10));
  child.kill('SIGKILL');
  await exited;
  masto.faults.releaseAll();
}
