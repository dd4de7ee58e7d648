/**
 * Publishing one post to its channels, exactly once, with the post file as the ledger.
 *
 * Order of events for a channel (publishChannel, one function per step):
 *   1. plan: render the parts for the platform, hash them, compare with the ledger
 *      (already published? a half-published thread to resume?)
 *   2. take the post's lock (a second publish of the same post is refused)
 *   3. connect (credentials, server limits) and check every part fits before sending any
 *   4. record the intent in the front matter (key + start time), then per part:
 *      mark the part pending -> send (bounded retries) -> record the part's id
 *   5. replace the intent by a `published:` entry; `status: published` once all channels are in
 *
 * If the process dies between 4's send and record, the next run finds the part pending: an
 * idempotent channel (Mastodon's Idempotency-Key, Bluesky's fixed record key + getRecord) is
 * asked again safely; a webhook cannot be, so the run stops and says how to settle it.
 */
import { createHash, randomBytes } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import type { Channel, Playbook } from '../playbook';
import { parsePost, type ParsedPost } from '../post';
import { countLength } from '../platforms';
import { renderChannel, type RenderedPart } from '../render';
import { MAX_POST_FILE_BYTES, postSizeProblem } from '../limits';
import { PUBLISHABLE_PLATFORMS, type Finding } from '../types';
import type { Adapter, AdapterEnv, PartToSend, SentPart } from './adapter';
import { PublishError, PublishLockedError } from './errors';
import {
  addLintOverride,
  removeOrphanTemps,
  sweepOrphanTemps,
  readLedger,
  recordPublished,
  setIntent,
  updateLedger,
  type Intent,
} from './ledger';
import { acquireLock } from './lock';
import { DEFAULT_RETRY, asPublishError, withRetry, type RetryOptions } from './retry';
import { Redactor, type SecretKey, type SecretSource } from './secrets';
import { hostKey } from './http';

export interface PublishOptions {
  /** Workspace root. */
  root: string;
  /** The post (absolute path). */
  file: string;
  playbook: Playbook;
  /** Only this channel (it must be one of the post's channels). */
  channel?: string;
  /** Plan only: nothing is sent, nothing written. */
  dryRun?: boolean;
  /** Lint the post's current text; error findings block publishing unless forceLint. */
  lint?: (file: string, text: string) => Finding[];
  /** Publish despite lint errors; the overridden rule ids are recorded in the ledger. */
  forceLint?: boolean;
  /** Publish although the playbook's schedule is paused (an explicit, named publish only). */
  ignorePause?: boolean;
  /** For a channel that cannot de-duplicate: send again a part whose outcome is unknown. */
  resend?: boolean;
  /** For a channel that cannot de-duplicate: record a part whose outcome is unknown as sent. */
  markSent?: boolean;
  secrets: SecretSource;
  now?: () => Date;
  retry?: Partial<RetryOptions>;
  /** Per-request timeout (ms). */
  timeoutMs?: number;
  sleep?: (ms: number) => Promise<void>;
  /** Progress, one line at a time (already redacted). */
  onProgress?: (message: string) => void;
  /**
   * Sweep posts/ and outbox/ for killed runs' temp files first (default: yes, unless a dry run,
   * which writes and removes nothing). `publish --due` sweeps once for the whole run instead.
   */
  sweepTemps?: boolean;
}

export type ChannelState = 'send' | 'resume' | 'done' | 'changed' | 'blocked';

/** A part as planned: the rendered part without its place in the file. */
export type PlannedPart = Pick<RenderedPart, 'index' | 'text' | 'length' | 'limit'>;

export interface ChannelPlan {
  channel: string;
  /** A Platform, or the unknown platform id the channels table names. */
  platform: string;
  state: ChannelState;
  parts: PlannedPart[];
  hash: string;
  /** Parts already sent (resume), with the pending one if any. */
  sentParts: number;
  note?: string;
  url?: string;
}

export type ChannelOutcome = 'published' | 'already' | 'failed' | 'unknown' | 'skipped';

export interface ChannelResult {
  channel: string;
  platform: string;
  outcome: ChannelOutcome;
  id?: string;
  url?: string;
  urls?: string[];
  message?: string;
}

export interface PublishReport {
  file: string;
  plan: ChannelPlan[];
  results: ChannelResult[];
  /** Why nothing was attempted (lint errors, lock, pause, no channels…). */
  refused?: string;
  lintErrors?: Finding[];
  lintOverride?: string[];
  /** Front-matter status after the run. */
  status?: string;
  /** True when every attempted channel is published (or already was). */
  ok: boolean;
}

/** The built-in default channel, used when a post names none and the playbook declares no `outbox`. */
export const DEFAULT_OUTBOX: Channel = { id: 'outbox', platform: 'outbox', file: '', line: 0 };

export function contentHash(texts: string[]): string {
  return 'sha256:' + createHash('sha256').update(JSON.stringify(texts)).digest('hex').slice(0, 32);
}

export function postSlug(root: string, file: string): string {
  let rel = path.relative(root, file).split(path.sep).join('/');
  if (rel.startsWith('../')) rel = path.basename(file);
  // Below a posts/ folder, the path inside it names the post.
  const i = rel.lastIndexOf('posts/');
  if (i === 0 || (i > 0 && rel[i - 1] === '/')) rel = rel.slice(i + 'posts/'.length);
  const bare = rel.replace(/\.(md|markdown)$/i, '');
  // Every segment non-empty and without dots or spaces at its ends (`..md` must not become `..`,
  // a folder above). A segment that had to change gets a hash of the path, so slugs stay unique.
  let changed = false;
  const segs = bare.split('/').map((seg) => {
    const clean = seg.replace(/^[.\s]+|[.\s]+$/g, '');
    if (clean !== seg || !clean) changed = true;
    return clean || 'post';
  });
  if (!changed) return bare;
  const h = createHash('sha256').update(rel).digest('hex').slice(0, 8);
  segs[segs.length - 1] = `${segs[segs.length - 1]}-${h}`;
  return segs.join('/');
}

/** The channels a post goes to: its `channels:`, else the default outbox. */
export function postChannels(post: ParsedPost): string[] {
  if (post.meta.channels.length) return [...new Set(post.meta.channels)];
  return ['outbox'];
}

export function resolveChannel(id: string, playbook: Playbook): Channel | undefined {
  return playbook.channels.get(id) ?? (id === 'outbox' ? DEFAULT_OUTBOX : undefined);
}

export function createAdapter(env: AdapterEnv): Adapter {
  switch (env.channel.platform) {
    // Loaded on demand: @atproto/api is only needed when a post goes to Bluesky.
    case 'outbox':
      return new (require('./channels/outbox') as typeof import('./channels/outbox')).OutboxAdapter(env);
    case 'feed':
      return new (require('./channels/feed') as typeof import('./channels/feed')).FeedAdapter(env);
    case 'bluesky':
      return new (require('./channels/bluesky') as typeof import('./channels/bluesky')).BlueskyAdapter(env);
    case 'mastodon':
      return new (require('./channels/mastodon') as typeof import('./channels/mastodon')).MastodonAdapter(env);
    case 'webhook':
      return new (require('./channels/webhook') as typeof import('./channels/webhook')).WebhookAdapter(env);
    default:
      throw new PublishError(`publishing to ${env.channel.platform} is not supported yet; use an outbox channel for it`, 'permanent');
  }
}

/** The credential a channel needs (platform + host + account), if any. */
export function secretKeyFor(channel: Channel): SecretKey | undefined {
  switch (channel.platform) {
    case 'bluesky':
      return { platform: 'bluesky', host: hostKey(channel.host ?? 'bsky.social'), account: channel.account ?? '' };
    case 'mastodon':
    case 'webhook':
      return { platform: channel.platform, host: hostKey(channel.host ?? ''), account: channel.account ?? '' };
    default:
      return undefined;
  }
}

/** What kind of credential, in words, for prompts. */
export function secretLabel(key: SecretKey): string {
  const who = key.account ? `${key.account} on ${key.host}` : key.host;
  switch (key.platform) {
    case 'bluesky':
      return `Bluesky app password for ${who}`;
    case 'mastodon':
      return `Mastodon access token (write:statuses) for ${who}`;
    case 'webhook':
      return `Webhook URL for ${who}`;
    default:
      return `Token for ${who}`;
  }
}

/** Platforms with an adapter. */
const PUBLISHABLE = new Set<string>(PUBLISHABLE_PLATFORMS);

/** Platforms whose adapter joins thread parts into one message. */
const UNTHREADED = new Set<string>(['feed', 'webhook']);

function renderFor(post: ParsedPost, channel: Channel): PlannedPart[] {
  const parts = renderChannel(post, channel).parts.map((p) => ({ index: p.index, text: p.text, length: p.length, limit: p.limit }));
  if (!UNTHREADED.has(channel.platform) || parts.length <= 1) return parts;
  const text = parts.map((p) => p.text).join('\n\n');
  return [{ index: 0, text, length: countLength(text, channel.platform), limit: undefined }];
}

/** Work out, without side effects, what publishing would do per channel. */
export function planPublish(
  post: ParsedPost,
  playbook: Playbook,
  only?: string,
): { plan: ChannelPlan[]; channels: string[]; refused?: string } {
  const channels = postChannels(post);
  if (only && !channels.includes(only)) {
    return {
      plan: [],
      channels,
      refused: `${path.basename(post.file)} does not list channel "${only}" (its channels: ${channels.join(', ')}); add it to \`channels:\` first`,
    };
  }
  if (post.parts.length === 0) return { plan: [], channels, refused: `${path.basename(post.file)} has no text to publish` };
  // The same limit as lint, before anything is parsed or rendered.
  const tooBig = postSizeProblem(post);
  if (tooBig) return { plan: [], channels, refused: `${tooBig.over}: not published` };
  const ledger = readLedger(post.text);
  const plan: ChannelPlan[] = [];
  for (const id of only ? [only] : channels) {
    const channel = resolveChannel(id, playbook);
    if (!channel) {
      const known = [...playbook.channels.keys()];
      plan.push({
        channel: id,
        platform: '?',
        state: 'blocked',
        parts: [],
        hash: '',
        sentParts: 0,
        note: `unknown channel "${id}" (the playbook declares: ${known.length ? known.join(', ') : 'none'})`,
      });
      continue;
    }
    if (!PUBLISHABLE.has(channel.platform)) {
      plan.push({
        channel: id,
        platform: channel.platform,
        state: 'blocked',
        parts: [],
        hash: '',
        sentParts: 0,
        note: `publishing to ${channel.platform} is not supported; list an outbox channel for it instead`,
      });
      continue;
    }
    const parts = renderFor(post, channel);
    const hash = contentHash(parts.map((p) => p.text));
    const done = ledger.published.find((e) => e.channel === id);
    const intent = ledger.publishing.find((i) => i.channel === id);
    const base = { channel: id, platform: channel.platform, parts, hash, sentParts: 0 };
    if (done) {
      plan.push({
        ...base,
        state: done.hash && done.hash !== hash ? 'changed' : 'done',
        url: done.url,
        sentParts: parts.length,
        note:
          done.hash && done.hash !== hash
            ? `already published at ${done.at}; the text changed since, and published posts are not sent again`
            : `already published at ${done.at}${done.url ? `: ${done.url}` : ''}`,
      });
      continue;
    }
    // A part that renders to nothing (all markup, or swallowed by an unclosed comment) is never sent.
    const empty = parts.find((p) => p.text.trim() === '');
    if (empty) {
      plan.push({
        ...base,
        state: 'blocked',
        note: `part ${empty.index + 1} renders empty (only markup or a comment, perhaps an unclosed <!--): nothing would be posted`,
      });
      continue;
    }
    const tooLong = parts.find((p) => p.limit !== undefined && p.length > p.limit);
    if (tooLong) {
      plan.push({
        ...base,
        state: 'blocked',
        note: `part ${tooLong.index + 1} is ${tooLong.length} characters; ${channel.id} allows ${tooLong.limit}`,
      });
      continue;
    }
    if (intent && (intent.parts.length > 0 || intent.pending !== undefined)) {
      if (intent.hash !== hash) {
        plan.push({
          ...base,
          state: 'blocked',
          sentParts: intent.parts.length,
          note: `a publish started at ${intent.started} sent ${intent.parts.length} part(s) of an earlier text; the text changed since. Restore the text to finish that thread, or remove the \`publishing:\` entry for ${id} to start over`,
        });
        continue;
      }
      plan.push({
        ...base,
        state: 'resume',
        sentParts: intent.parts.length,
        note: `resuming after ${intent.parts.length} of ${parts.length} part(s) sent at ${intent.started}`,
      });
      continue;
    }
    plan.push({ ...base, state: 'send' });
  }
  return { plan, channels };
}

const sleepReal = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export async function publishPost(opts: PublishOptions): Promise<PublishReport> {
  const now = opts.now ?? (() => new Date());
  const redactor = new Redactor();
  const say = (m: string) => opts.onProgress?.(redactor.redact(m));
  if ((await fsp.lstat(opts.file)).isSymbolicLink()) {
    // Recording the ledger would replace the link with a file (or write outside the workspace): refuse before sending.
    return {
      file: opts.file,
      plan: [],
      results: [],
      ok: false,
      refused: `${path.basename(opts.file)} is a symbolic link: publish the file it points to, inside the workspace`,
    };
  }
  await removeOrphanTemps(path.dirname(opts.file));
  if (!opts.dryRun && opts.sweepTemps !== false) await sweepOrphanTemps(opts.root);
  const size = (await fsp.stat(opts.file)).size;
  if (size > MAX_POST_FILE_BYTES) {
    return {
      file: opts.file,
      plan: [],
      results: [],
      ok: false,
      refused: `${path.basename(opts.file)} is ${(size / 1024 / 1024).toFixed(1)} MiB, over the 1 MiB a post file may have: not published`,
    };
  }
  const text0 = await fsp.readFile(opts.file, 'utf8');
  const post0 = parsePost(opts.file, text0);
  const first = planPublish(post0, opts.playbook, opts.channel);
  const report: PublishReport = { file: opts.file, plan: first.plan, results: [], ok: false, status: post0.meta.status };
  if (first.refused) return { ...report, refused: first.refused };

  if (opts.playbook.schedule.paused && !opts.ignorePause) {
    return {
      ...report,
      refused: `publishing is paused in the playbook${opts.playbook.schedule.pauseReason ? ` (${opts.playbook.schedule.pauseReason})` : ''}: resume it first${opts.dryRun ? '' : ', or publish this one post anyway with --ignore-pause'}`,
    };
  }
  let lintOverride: string[] | undefined;
  if (opts.lint) {
    const errors = opts
      .lint(opts.file, text0)
      // With --ignore-pause the `paused` finding is the very thing being overridden.
      .filter((f) => f.severity === 'error' && !(opts.ignorePause && f.ruleId === 'paused'));
    if (errors.length) {
      report.lintErrors = errors;
      if (!opts.forceLint) {
        return {
          ...report,
          refused: `${errors.length} lint error(s): fix them, or publish anyway with --force-lint (recorded in the post)`,
        };
      }
      lintOverride = [...new Set(errors.map((e) => e.ruleId))];
      report.lintOverride = lintOverride;
    }
  }
  if (opts.dryRun) return { ...report, ok: first.plan.every((p) => p.state !== 'blocked') };
  if (first.plan.every((p) => p.state === 'done' || p.state === 'changed')) {
    return {
      ...report,
      results: first.plan.map((p) => ({
        channel: p.channel,
        platform: String(p.platform),
        outcome: p.state === 'done' ? 'already' : 'skipped',
        url: p.url,
        message: p.note,
      })),
      ok: true,
    };
  }

  let lock;
  try {
    lock = await acquireLock(opts.file, path.relative(opts.root, opts.file) || opts.file);
  } catch (e) {
    if (e instanceof PublishLockedError) return { ...report, refused: e.message };
    throw e;
  }
  try {
    // Re-read under the lock: another publish may have finished meanwhile.
    const text = await fsp.readFile(opts.file, 'utf8');
    const post = parsePost(opts.file, text);
    const { plan, channels } = planPublish(post, opts.playbook, opts.channel);
    report.plan = plan;
    if (lintOverride) {
      const toSend = plan.filter((p) => p.state === 'send' || p.state === 'resume').map((p) => p.channel);
      if (toSend.length)
        await updateLedger(opts.file, (t) => addLintOverride(t, { at: now().toISOString(), rules: lintOverride, channels: toSend }));
    }
    const retry = { ...DEFAULT_RETRY, ...opts.retry };
    const http = { timeoutMs: opts.timeoutMs ?? 30_000 };
    for (const p of plan) {
      const res = await publishChannel(p, post, channels, { ...opts, now, redactor, say, retry, http, lintOverride });
      res.message = res.message ? redactor.redact(res.message) : undefined;
      report.results.push(res);
    }
    const after = readLedger(await fsp.readFile(opts.file, 'utf8'));
    report.status = after.status;
    report.ok = report.results.every((r) => r.outcome === 'published' || r.outcome === 'already');
    return report;
  } finally {
    await lock.release();
  }
}

interface RunCtx extends PublishOptions {
  now: () => Date;
  redactor: Redactor;
  say: (m: string) => void;
  retry: RetryOptions;
  http: { timeoutMs: number };
  lintOverride?: string[];
}

type Base = { channel: string; platform: string };

/**
 * One channel of a publish, step by step: a plan that needs no sending settles at once; else
 * connect, check the server's limits, record the intent, send the remaining parts, record the
 * `published:` entry. Each step returns a result when the run stops there.
 */
async function publishChannel(p: ChannelPlan, post: ParsedPost, allChannels: string[], ctx: RunCtx): Promise<ChannelResult> {
  const base: Base = { channel: p.channel, platform: String(p.platform) };
  const settled = settledResult(p, base);
  if (settled) return settled;
  const channel = resolveChannel(p.channel, ctx.playbook)!;
  const sleep = ctx.sleep ?? sleepReal;
  const onRetry = (err: PublishError, ms: number, attempt: number) =>
    ctx.say(`${p.channel}: ${err.message}; retrying in ${(ms / 1000).toFixed(1)} s (attempt ${attempt + 1} of ${ctx.retry.maxAttempts})`);
  const connected = await connectAdapter(channel, post, ctx, sleep, onRetry);
  if ('error' in connected) return { ...base, outcome: 'failed', message: connected.error };
  const adapter = connected.adapter;
  const tooLong = serverLimitProblem(adapter, p, channel);
  if (tooLong) return { ...base, outcome: 'failed', message: tooLong };
  const started = await startIntent(p, adapter, ctx, base);
  if ('outcome' in started) return started;
  const run = new ChannelRun(p, channel, adapter, ctx, base, started, { sleep, onRetry });
  const stopped = await run.sendRemainingParts();
  if (stopped) return stopped;
  return run.recordPublished(allChannels);
}

/** A plan with nothing to send: already published, changed since, or blocked. */
function settledResult(p: ChannelPlan, base: Base): ChannelResult | undefined {
  if (p.state === 'done') return { ...base, outcome: 'already', url: p.url, message: p.note };
  if (p.state === 'changed') return { ...base, outcome: 'skipped', url: p.url, message: p.note };
  if (p.state === 'blocked') return { ...base, outcome: 'failed', message: p.note };
  return undefined;
}

type OnRetry = (err: PublishError, ms: number, attempt: number) => void;

async function connectAdapter(
  channel: Channel,
  post: ParsedPost,
  ctx: RunCtx,
  sleep: (ms: number) => Promise<void>,
  onRetry: OnRetry,
): Promise<{ adapter: Adapter } | { error: string }> {
  const env: AdapterEnv = {
    channel,
    root: ctx.root,
    slug: postSlug(ctx.root, ctx.file),
    title: post.meta.title,
    secrets: ctx.secrets,
    redactor: ctx.redactor,
    http: ctx.http,
    now: ctx.now,
  };
  try {
    const adapter = createAdapter(env);
    await withRetry(() => adapter.connect(), ctx.retry, true, sleep, onRetry);
    return { adapter };
  } catch (e) {
    return { error: asPublishError(e).message };
  }
}

/** Server-side limits (e.g. a Mastodon instance's max_characters): every part is checked before any is sent. */
function serverLimitProblem(adapter: Adapter, p: ChannelPlan, channel: Channel): string | undefined {
  if (!adapter.limitOf) return undefined;
  for (const part of p.parts) {
    const l = adapter.limitOf(part.text);
    if (l && l.length > l.limit)
      return `part ${part.index + 1} is ${l.length} characters; ${channel.id} allows ${l.limit}. Nothing was sent`;
  }
  return undefined;
}

/** The intent to resume (same text) or a new one, written to the ledger before anything is sent. */
async function startIntent(p: ChannelPlan, adapter: Adapter, ctx: RunCtx, base: Base): Promise<Intent | ChannelResult> {
  const existing = readLedger(await fsp.readFile(ctx.file, 'utf8')).publishing.find((i) => i.channel === p.channel);
  if (ctx.markSent && (existing?.pending === undefined || existing.hash !== p.hash)) {
    return { ...base, outcome: 'skipped', message: 'no part with an unknown outcome to mark as sent here; nothing was sent' };
  }
  if (ctx.markSent && adapter.threaded && existing!.pending! < p.parts.length - 1) {
    return {
      ...base,
      outcome: 'failed',
      message: `--mark-sent cannot continue a thread (the next part needs the real id of part ${existing!.pending! + 1}); use --resend, or record its id in the \`publishing:\` entry`,
    };
  }
  const intent: Intent =
    existing && existing.hash === p.hash
      ? existing
      : { channel: p.channel, key: randomBytes(12).toString('hex'), started: ctx.now().toISOString(), hash: p.hash, parts: [], urls: [] };
  await updateLedger(ctx.file, (t) => setIntent(t, intent));
  return intent;
}

/** Sending a channel's parts, with the intent recorded after every step. */
class ChannelRun {
  private readonly sent: SentPart[];

  constructor(
    private readonly p: ChannelPlan,
    private readonly channel: Channel,
    private readonly adapter: Adapter,
    private readonly ctx: RunCtx,
    private readonly base: Base,
    private intent: Intent,
    private readonly retrying: { sleep: (ms: number) => Promise<void>; onRetry: OnRetry },
  ) {
    this.sent = intent.parts.map((id, i) => ({ id, url: intent.urls[i] || undefined }));
  }

  private async save(change: Partial<Intent>): Promise<void> {
    this.intent = { ...this.intent, ...change };
    const intent = this.intent;
    await updateLedger(this.ctx.file, (t) => setIntent(t, intent));
  }

  /** The parts sent so far, as the intent records them. */
  private recorded(): Partial<Intent> {
    return { parts: this.sent.map((s) => s.id), urls: this.sent.map((s) => s.url ?? ''), pending: undefined, unknown: undefined };
  }

  /** A part whose outcome nobody can know: record that, and tell the user how to settle it. */
  private async settleByHand(why: string, tail: string): Promise<ChannelResult> {
    await this.save({ unknown: true });
    const rel = path.relative(this.ctx.root, this.ctx.file) || this.ctx.file;
    const id = this.p.channel;
    return {
      ...this.base,
      outcome: 'unknown',
      message: `${why}Check ${id}: if it is there, run \`unscripted publish ${rel} --channel ${id} --mark-sent\`; if not, \`… --resend\`${tail}`,
    };
  }

  /** Every part not yet sent, in order; a result when the run stops early. */
  async sendRemainingParts(): Promise<ChannelResult | undefined> {
    for (const part of this.p.parts.slice(this.intent.parts.length)) {
      const stopped = await this.sendPart(part);
      if (stopped) return stopped;
    }
    return undefined;
  }

  private async sendPart(part: PlannedPart): Promise<ChannelResult | undefined> {
    const { ctx, adapter, p } = this;
    const resumedUnknown = this.intent.pending === part.index;
    const idempotentNow =
      adapter.idempotent &&
      (adapter.idempotentForMs === undefined || ctx.now().getTime() - Date.parse(this.intent.started) < adapter.idempotentForMs);
    if (resumedUnknown && !idempotentNow) {
      if (ctx.markSent) {
        ctx.say(`${p.channel}: part ${part.index + 1} recorded as sent, as you confirmed (--mark-sent)`);
        this.sent.push({ id: `confirmed:${this.intent.key}:${part.index}` });
        await this.save(this.recorded());
        return undefined;
      }
      if (!ctx.resend) {
        return this.settleByHand(
          `part ${part.index + 1} may or may not have gone out (an earlier publish stopped after sending it, ${this.intent.started})` +
            `${adapter.idempotent ? ', and the platform no longer de-duplicates it' : ` and ${this.channel.platform} cannot de-duplicate`}. `,
          '',
        );
      }
      ctx.say(`${p.channel}: sending part ${part.index + 1} again, as you asked (--resend)`);
    }
    await this.save({ pending: part.index });
    const toSend: PartToSend = { index: part.index, text: part.text };
    const { key, started } = this.intent;
    try {
      const result = await withRetry(
        (attempt) =>
          adapter.send(toSend, { key, started, previous: this.sent, maybeSent: (resumedUnknown && idempotentNow) || attempt > 1 }),
        ctx.retry,
        adapter.idempotent,
        this.retrying.sleep,
        this.retrying.onRetry,
      );
      this.sent.push(result);
    } catch (e) {
      return this.sendFailed(asPublishError(e));
    }
    await this.save(this.recorded());
    const last = this.sent[this.sent.length - 1];
    ctx.say(`${p.channel}: part ${part.index + 1} of ${p.parts.length} sent${last.url ? ` — ${last.url}` : ''}`);
    return undefined;
  }

  private async sendFailed(err: PublishError): Promise<ChannelResult> {
    const sent = this.sent;
    const sentNote = sent.length
      ? ` ${sent.length} of ${this.p.parts.length} part(s) went out and are recorded; the next publish resumes from part ${sent.length + 1}.`
      : '';
    if (err.kind === 'unknown' && !this.adapter.idempotent) {
      return this.settleByHand(
        `${err.message}. ${this.channel.platform} cannot de-duplicate, so it is not sent again on its own. `,
        `.${sentNote}`,
      );
    }
    // Nothing in flight: the part was refused or never arrived.
    if (err.kind !== 'unknown') await this.save({ pending: undefined });
    return { ...this.base, outcome: 'failed', message: `${err.message}.${sentNote}`, urls: sent.map((s) => s.url ?? s.id) };
  }

  /** Replace the intent by the channel's `published:` entry. */
  async recordPublished(allChannels: string[]): Promise<ChannelResult> {
    const sent = this.sent;
    const entry = {
      channel: this.p.channel,
      id: sent[0].id,
      url: sent[0].url,
      at: this.ctx.now().toISOString(),
      hash: this.p.hash,
      parts: sent.map((s) => s.id),
    };
    await updateLedger(this.ctx.file, (t) => recordPublished(t, entry, allChannels));
    return { ...this.base, outcome: 'published', id: entry.id, url: entry.url, urls: sent.map((s) => s.url ?? s.id) };
  }
}
