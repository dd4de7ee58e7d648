/**
 * `mastodon`: POST /api/v1/statuses with an Idempotency-Key per part (Mastodon replays the status
 * created with the same key for an hour), threads via in_reply_to_id, limits read from the
 * instance (/api/v2/instance, falling back to /api/v1/instance).
 * Token: a user access token with write:statuses, from UNSCRIPTED_TOKEN_MASTODON_<HOST>_<ACCOUNT>.
 */
import type { Adapter, AdapterEnv, PartToSend, SendContext, SentPart } from '../adapter';
import { PublishError } from '../errors';
import { baseUrl, classifyStatus, hostKey, httpRequest } from '../http';
import { MASTODON_CHARACTERS_PER_URL, mastodonLength } from '../../platforms';

export { mastodonLength };

interface Status {
  id: string;
  url?: string;
  uri?: string;
}

export class MastodonAdapter implements Adapter {
  readonly threaded = true;
  readonly idempotent = true;
  /** Mastodon keeps idempotency keys for one hour. */
  readonly idempotentForMs = 60 * 60 * 1000;
  private base: URL;
  private token?: string;
  maxCharacters = 500;
  charactersPerUrl = MASTODON_CHARACTERS_PER_URL;

  constructor(private readonly env: AdapterEnv) {
    this.base = baseUrl(env.channel.host ?? '');
  }

  private get key() {
    return { platform: 'mastodon' as const, host: hostKey(this.env.channel.host ?? ''), account: this.env.channel.account ?? '' };
  }

  limitOf(text: string): { length: number; limit: number } {
    return { length: mastodonLength(text, this.charactersPerUrl), limit: Math.min(this.maxCharacters, this.env.channel.limit ?? Infinity) };
  }

  private error(res: { text: string; json<T>(): T | undefined }): string | undefined {
    const j = res.json<{ error?: string }>();
    return this.env.redactor.redact(j?.error ?? res.text.slice(0, 200));
  }

  async connect(): Promise<void> {
    this.token = await this.env.secrets.get(this.key);
    if (!this.token) {
      throw new PublishError(
        `no access token for ${this.key.account || 'the account'} on ${this.key.host}: set ${this.env.secrets.describe(this.key)}`,
        'permanent',
      );
    }
    this.env.redactor.add(this.token);
    for (const v of ['v2', 'v1']) {
      const res = await httpRequest(
        new URL(`/api/${v}/instance`, this.base).toString(),
        { method: 'GET' },
        this.env.http,
        `GET /api/${v}/instance`,
      );
      if (res.status === 404 && v === 'v2') continue;
      if (res.status !== 200) throw classifyStatus(res, `reading the limits of ${this.base.host}`, this.error(res));
      const conf = res.json<{ configuration?: { statuses?: { max_characters?: number; characters_reserved_per_url?: number } } }>()
        ?.configuration?.statuses;
      if (typeof conf?.max_characters === 'number') this.maxCharacters = conf.max_characters;
      if (typeof conf?.characters_reserved_per_url === 'number') this.charactersPerUrl = conf.characters_reserved_per_url;
      break;
    }
  }

  async send(part: PartToSend, ctx: SendContext): Promise<SentPart> {
    if (!this.token) await this.connect();
    const body: Record<string, string> = { status: part.text, visibility: 'public' };
    const prev = ctx.previous[ctx.previous.length - 1];
    if (prev) body.in_reply_to_id = prev.id;
    const res = await httpRequest(
      new URL('/api/v1/statuses', this.base).toString(),
      {
        method: 'POST',
        headers: {
          Authorization: `Bearer ${this.token}`,
          'Content-Type': 'application/json',
          'Idempotency-Key': `unscripted-${ctx.key}-${part.index}`,
        },
        body: JSON.stringify(body),
      },
      this.env.http,
      `posting part ${part.index + 1} to ${this.base.host}`,
    );
    if (res.status !== 200) {
      const err = classifyStatus(res, `posting part ${part.index + 1} to ${this.base.host}`, this.error(res));
      if (res.status === 401)
        throw new PublishError(`${err.message}: the access token was refused; check ${this.env.secrets.describe(this.key)}`, 'permanent', {
          status: 401,
        });
      throw err;
    }
    const st = res.json<Status>();
    if (!st?.id) throw new PublishError(`posting part ${part.index + 1} to ${this.base.host}: the answer has no status id`, 'unknown');
    return { id: String(st.id), url: st.url ?? st.uri };
  }
}
