/**
 * A Mastodon server fake on 127.0.0.1, following Mastodon's documented API for what Unscripted
 * uses (https://docs.joinmastodon.org/methods/statuses/, /methods/instance/, /api/rate-limits/):
 *
 * - GET  /api/v2/instance, /api/v1/instance  -> configuration.statuses.max_characters and
 *        characters_reserved_per_url
 * - GET  /api/v1/accounts/verify_credentials
 * - POST /api/v1/statuses  (JSON or form body: status, in_reply_to_id, visibility, language)
 *        Bearer token required (401 `{"error":"The access token is invalid"}`),
 *        `Idempotency-Key` replays the status created with the same key by the same account,
 *        422 `Validation failed: ...` for blank or too-long text (graphemes; URLs count as
 *        characters_reserved_per_url, remote mentions count as their local part),
 *        404 when in_reply_to_id does not exist,
 *        429 `{"error":"Too many requests"}` with X-RateLimit-Limit/Remaining/Reset (ISO time)
 *        when the posting limit is hit; every answer carries the X-RateLimit-* headers.
 * - GET  /api/v1/statuses/:id
 *
 * Faults (see faults.ts) are injected per request. Test code may read `statuses` directly.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { dropConnection, readBody } from './faults';
import { escapeHtml } from '../../src/core/escape';
import { LoopbackServer } from './loopback';

export interface FakeStatus {
  id: string;
  created_at: string;
  in_reply_to_id: string | null;
  content: string;
  url: string;
  uri: string;
  visibility: string;
  language: string | null;
  account: { id: string; username: string; acct: string };
  /** The raw text as posted (Mastodon only returns it on delete; kept here for assertions). */
  source: string;
  idempotencyKey?: string;
}

export interface MastodonFakeOptions {
  maxCharacters?: number;
  charactersReservedPerUrl?: number;
  /** Tokens accepted, mapped to the username they authenticate. */
  tokens?: Record<string, string>;
  /** Posting limit per window (Mastodon: 300 statuses per 3 hours). */
  postLimit?: number;
  postWindowSeconds?: number;
  /** Which instance API versions exist (old servers only have v1). */
  instanceApi?: Array<'v1' | 'v2'>;
  /** Echo the Authorization header in 401 bodies, like a badly behaved proxy (to test redaction). */
  echoAuthOn401?: boolean;
}

const URL_RE = /https?:\/\/[^\s<>"']+/g;
const MENTION_RE = /(^|[^\w@])@(\w+)@[\w.-]+\w/g;

export function mastodonLength(text: string, reservedPerUrl: number): number {
  const countable = text
    .replace(URL_RE, 'x'.repeat(reservedPerUrl))
    .replace(MENTION_RE, (_m, pre: string, user: string) => `${pre}@${user}`);
  return [...new Intl.Segmenter('en', { granularity: 'grapheme' }).segment(countable)].length;
}

export class MastodonFake extends LoopbackServer {
  readonly statuses: FakeStatus[] = [];
  /** Every request seen: method, path, idempotency key, and whether it carried a token. */
  readonly requests: Array<{ method: string; path: string; idempotencyKey?: string }> = [];
  private nextId = 109_000_000_000_000_000n;
  private idempotency = new Map<string, { status: FakeStatus; at: number }>();
  private postTimes: number[] = [];

  constructor(readonly opts: MastodonFakeOptions = {}) {
    super((req, res) => {
      this.handle(req, res).catch((e) => {
        if (!res.headersSent) this.json(res, 500, { error: String(e) });
      });
    });
  }

  private get maxChars(): number {
    return this.opts.maxCharacters ?? 500;
  }
  private get reserved(): number {
    return this.opts.charactersReservedPerUrl ?? 23;
  }

  private rateHeaders(res: ServerResponse): void {
    const limit = this.opts.postLimit ?? 300;
    const windowMs = (this.opts.postWindowSeconds ?? 3 * 3600) * 1000;
    const now = Date.now();
    this.postTimes = this.postTimes.filter((t) => now - t < windowMs);
    const reset = this.postTimes.length ? this.postTimes[0] + windowMs : now + windowMs;
    res.setHeader('X-RateLimit-Limit', String(limit));
    res.setHeader('X-RateLimit-Remaining', String(Math.max(0, limit - this.postTimes.length)));
    res.setHeader('X-RateLimit-Reset', new Date(reset).toISOString());
  }

  private json(res: ServerResponse, status: number, body: unknown): void {
    const text = JSON.stringify(body);
    res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text) });
    res.end(text);
  }

  private rateLimited(res: ServerResponse, seconds: number): void {
    res.setHeader('X-RateLimit-Limit', String(this.opts.postLimit ?? 300));
    res.setHeader('X-RateLimit-Remaining', '0');
    res.setHeader('X-RateLimit-Reset', new Date(Date.now() + seconds * 1000).toISOString());
    this.json(res, 429, { error: 'Too many requests' });
  }

  private instance(version: 'v1' | 'v2'): unknown {
    const configuration = {
      statuses: { max_characters: this.maxChars, max_media_attachments: 4, characters_reserved_per_url: this.reserved },
    };
    return version === 'v2'
      ? { domain: this.host, title: 'Fake Mastodon', version: '4.3.0', configuration }
      : { uri: this.host, title: 'Fake Mastodon', version: '4.3.0', configuration };
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.url);
    const key = req.headers['idempotency-key'];
    this.requests.push({ method: req.method ?? '', path: url.pathname, idempotencyKey: typeof key === 'string' ? key : undefined });
    const body = await readBody(req);
    const fault = this.faults.take(req);
    if (fault?.kind === 'drop-before') return dropConnection(req, res);
    if (fault?.kind === 'hang-before') return this.faults.hang(res);
    if (fault?.kind === 'status') return this.json(res, fault.status ?? 500, { error: 'Internal server error' });
    if (fault?.kind === 'rate-limit') return this.rateLimited(res, fault.retryAfterSeconds ?? 1);

    const versions = this.opts.instanceApi ?? ['v1', 'v2'];
    if (req.method === 'GET' && (url.pathname === '/api/v2/instance' || url.pathname === '/api/v1/instance')) {
      const v = url.pathname.includes('/v2/') ? 'v2' : 'v1';
      if (!versions.includes(v)) return this.json(res, 404, { error: 'Record not found' });
      return this.json(res, 200, this.instance(v));
    }

    const auth = req.headers.authorization ?? '';
    const token = /^Bearer (.+)$/.exec(auth)?.[1];
    const username = token ? this.opts.tokens?.[token] : undefined;
    const needsAuth =
      url.pathname === '/api/v1/accounts/verify_credentials' || (req.method === 'POST' && url.pathname === '/api/v1/statuses');
    if (needsAuth && !username) {
      const error = this.opts.echoAuthOn401 ? `The access token is invalid (got ${auth})` : 'The access token is invalid';
      return this.json(res, 401, { error });
    }
    const account = { id: '1', username: username ?? '', acct: username ?? '' };

    if (req.method === 'GET' && url.pathname === '/api/v1/accounts/verify_credentials') {
      return this.json(res, 200, { ...account, display_name: username, url: `${this.url}/@${username}` });
    }

    if (req.method === 'POST' && url.pathname === '/api/v1/statuses') {
      const ctype = req.headers['content-type'] ?? '';
      let params: Record<string, unknown>;
      try {
        params = ctype.includes('application/json') ? JSON.parse(body || '{}') : Object.fromEntries(new URLSearchParams(body));
      } catch {
        return this.json(res, 400, { error: 'Error while parsing request body' });
      }
      if (typeof key === 'string') {
        const prior = this.idempotency.get(`${account.id}:${key}`);
        if (prior && Date.now() - prior.at < 3600_000) {
          this.rateHeaders(res);
          return this.json(res, 200, this.publicStatus(prior.status));
        }
      }
      const limit = this.opts.postLimit ?? 300;
      const windowMs = (this.opts.postWindowSeconds ?? 3 * 3600) * 1000;
      this.postTimes = this.postTimes.filter((t) => Date.now() - t < windowMs);
      if (this.postTimes.length >= limit) {
        return this.rateLimited(res, Math.ceil((this.postTimes[0] + windowMs - Date.now()) / 1000));
      }
      const text = typeof params.status === 'string' ? params.status : '';
      if (!text.trim()) return this.json(res, 422, { error: "Validation failed: Text can't be blank" });
      if (mastodonLength(text, this.reserved) > this.maxChars) {
        return this.json(res, 422, { error: `Validation failed: Text character limit of ${this.maxChars} exceeded` });
      }
      const replyTo = typeof params.in_reply_to_id === 'string' && params.in_reply_to_id ? params.in_reply_to_id : null;
      if (replyTo && !this.statuses.some((s) => s.id === replyTo)) return this.json(res, 404, { error: 'Record not found' });
      const id = String(this.nextId++);
      const status: FakeStatus = {
        id,
        created_at: new Date().toISOString(),
        in_reply_to_id: replyTo,
        content: `<p>${escapeHtml(text).replace(/\n\n/g, '</p><p>').replace(/\n/g, '<br />')}</p>`,
        url: `${this.url}/@${username}/${id}`,
        uri: `${this.url}/users/${username}/statuses/${id}`,
        visibility: typeof params.visibility === 'string' ? params.visibility : 'public',
        language: typeof params.language === 'string' ? params.language : null,
        account,
        source: text,
        idempotencyKey: typeof key === 'string' ? key : undefined,
      };
      this.statuses.push(status);
      this.postTimes.push(Date.now());
      if (typeof key === 'string') this.idempotency.set(`${account.id}:${key}`, { status, at: Date.now() });
      this.emit('status', status);
      if (fault?.kind === 'drop-after') return dropConnection(req, res);
      if (fault?.kind === 'hang-after') return this.faults.hang(res);
      this.rateHeaders(res);
      return this.json(res, 200, this.publicStatus(status));
    }

    const m = /^\/api\/v1\/statuses\/(\d+)$/.exec(url.pathname);
    if (req.method === 'GET' && m) {
      const s = this.statuses.find((x) => x.id === m[1]);
      return s ? this.json(res, 200, this.publicStatus(s)) : this.json(res, 404, { error: 'Record not found' });
    }
    this.json(res, 404, { error: 'Not found' });
  }

  private publicStatus(s: FakeStatus): Omit<FakeStatus, 'source' | 'idempotencyKey'> {
    const { source: _s, idempotencyKey: _k, ...pub } = s;
    return pub;
  }
}

export async function startMastodonFake(opts: MastodonFakeOptions = {}): Promise<MastodonFake> {
  return new MastodonFake(opts).listen();
}
