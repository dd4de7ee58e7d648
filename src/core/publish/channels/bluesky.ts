/**
 * `bluesky`: posts through @atproto/api to the account's PDS (host column; default bsky.social).
 * Links, mentions and hashtags become rich-text facets (UTF-8 byte ranges; mentions are resolved
 * to DIDs, unknown handles stay plain text); a thread is a chain of replies (root + parent).
 *
 * Exactly once: every part gets a record key derived from the recorded intent (a TID built from
 * the intent's start time + part index, clock id from the intent key), so a retry after an
 * unknown outcome first asks the PDS for that record (`getRecord`) and only creates it if absent.
 * Credential: an app password for the account (handle), from UNSCRIPTED_TOKEN_BLUESKY_<HOST>_<ACCOUNT>.
 */
import { AtpAgent, RichText } from '@atproto/api';
import type { Adapter, AdapterEnv, PartToSend, SendContext, SentPart } from '../adapter';
import { PublishError } from '../errors';
import { baseUrl, classifyNetworkError, hostKey } from '../http';
import { recordKey } from './rkey';
import { graphemeCount, platformLimit } from '../../platforms';

export { recordKey, tid } from './rkey';

const COLLECTION = 'app.bsky.feed.post';

interface XrpcLike {
  status?: number;
  error?: string;
  message?: string;
  headers?: Record<string, string>;
  cause?: unknown;
}

export class BlueskyAdapter implements Adapter {
  readonly threaded = true;
  readonly idempotent = true;
  private agent?: AtpAgent;
  private did = '';
  private base: URL;
  /** uri → cid of records of this thread (for reply refs). */
  private cids = new Map<string, string>();

  constructor(private readonly env: AdapterEnv) {
    this.base = baseUrl(env.channel.host ?? '', 'bsky.social');
  }

  private get key() {
    return { platform: 'bluesky' as const, host: hostKey(this.env.channel.host ?? 'bsky.social'), account: this.env.channel.account ?? '' };
  }

  limitOf(text: string): { length: number; limit: number } {
    return { length: graphemeCount(text), limit: Math.min(platformLimit('bluesky')!, this.env.channel.limit ?? Infinity) };
  }

  private fail(e: unknown, what: string): PublishError {
    if (e instanceof PublishError) return e;
    const x = e as XrpcLike;
    const status = typeof x.status === 'number' && x.status >= 100 ? x.status : undefined;
    if (!status) return classifyNetworkError(x.cause ?? e, what);
    const msg = `${what}: ${status} ${this.env.redactor.redact(x.error ?? '')}${x.message && x.message !== x.error ? ` — ${this.env.redactor.redact(x.message)}` : ''}`;
    if (status === 429 || status >= 500) {
      const reset = Number(x.headers?.['ratelimit-reset']);
      return new PublishError(msg, 'transient', {
        status,
        retryAfterMs: Number.isFinite(reset) && reset > 0 ? Math.max(0, reset * 1000 - Date.now()) : undefined,
      });
    }
    return new PublishError(msg, 'permanent', { status });
  }

  async connect(): Promise<void> {
    const password = await this.env.secrets.get(this.key);
    if (!this.key.account) throw new PublishError(`channel ${this.env.channel.id} needs an account (the Bluesky handle)`, 'permanent');
    if (!password)
      throw new PublishError(
        `no app password for ${this.key.account} on ${this.key.host}: set ${this.env.secrets.describe(this.key)}`,
        'permanent',
      );
    this.env.redactor.add(password);
    const timeoutMs = this.env.http.timeoutMs;
    const timedFetch: typeof fetch = (input, init) => fetch(input, { ...init, signal: init?.signal ?? AbortSignal.timeout(timeoutMs) });
    this.agent = new AtpAgent({ service: this.base.toString(), fetch: timedFetch });
    try {
      const res = await this.agent.login({ identifier: this.key.account, password });
      this.did = res.data.did;
    } catch (e) {
      const err = this.fail(e, `logging in to ${this.base.host} as ${this.key.account}`);
      // Logging in publishes nothing: an unknown outcome is just a failed attempt.
      if (err.kind === 'unknown') throw new PublishError(err.message, 'transient');
      if (err.status === 401)
        throw new PublishError(`${err.message}: check ${this.env.secrets.describe(this.key)} (an app password)`, 'permanent', {
          status: 401,
        });
      throw err;
    }
  }

  private async ref(uri: string): Promise<{ uri: string; cid: string }> {
    const known = this.cids.get(uri);
    if (known) return { uri, cid: known };
    const m = /^at:\/\/([^/]+)\/([^/]+)\/([^/]+)$/.exec(uri);
    if (!m) throw new PublishError(`recorded part id ${uri} is not an at:// URI`, 'permanent');
    try {
      const r = await this.agent!.com.atproto.repo.getRecord({ repo: m[1], collection: m[2], rkey: m[3] });
      if (!r.data.cid) throw new PublishError(`record ${uri} has no cid`, 'permanent');
      this.cids.set(uri, r.data.cid);
      return { uri, cid: r.data.cid };
    } catch (e) {
      throw this.fail(e, `reading the earlier part ${uri}`);
    }
  }

  private url(rkey: string): string {
    const handle = this.key.account;
    return `https://bsky.app/profile/${handle}/post/${rkey}`;
  }

  async send(part: PartToSend, ctx: SendContext): Promise<SentPart> {
    if (!this.agent) await this.connect();
    const agent = this.agent!;
    const rkey = recordKey(ctx.started, ctx.key, part.index);
    const what = `posting part ${part.index + 1} to ${this.base.host}`;
    if (ctx.maybeSent) {
      try {
        const r = await agent.com.atproto.repo.getRecord({ repo: this.did, collection: COLLECTION, rkey });
        if (r.data.cid) this.cids.set(r.data.uri, r.data.cid);
        return { id: r.data.uri, url: this.url(rkey) };
      } catch (e) {
        const x = e as XrpcLike;
        const notFound = x.status === 400 && /RecordNotFound|not found/i.test(`${x.error} ${x.message}`);
        if (!notFound) throw this.fail(e, `checking whether part ${part.index + 1} already went out`);
      }
    }
    const rt = new RichText({ text: part.text });
    try {
      await rt.detectFacets(agent);
    } catch (e) {
      throw this.fail(e, `resolving mentions of part ${part.index + 1}`);
    }
    const record: Record<string, unknown> = {
      $type: COLLECTION,
      text: rt.text,
      createdAt: new Date().toISOString(),
    };
    if (rt.facets?.length) record.facets = rt.facets;
    if (ctx.previous.length) {
      record.reply = { root: await this.ref(ctx.previous[0].id), parent: await this.ref(ctx.previous[ctx.previous.length - 1].id) };
    }
    try {
      const r = await agent.com.atproto.repo.createRecord({ repo: this.did, collection: COLLECTION, rkey, record });
      this.cids.set(r.data.uri, r.data.cid);
      return { id: r.data.uri, url: this.url(rkey) };
    } catch (e) {
      const err = this.fail(e, what);
      // The rkey is fixed, so a second create of an existing record fails: let the retry look first.
      throw err.status && err.status >= 500 ? new PublishError(err.message, 'unknown', err.opts) : err;
    }
  }
}
