/**
 * `webhook`: Slack-, Discord- and Teams-style incoming webhooks (one JSON POST per post; thread
 * parts are joined with blank lines). The webhook URL is the credential: it comes from
 * UNSCRIPTED_TOKEN_WEBHOOK_<HOST>_<ACCOUNT> and must point at the channel's host. The style is
 * recognised from the URL (hooks.slack.com or /services/…; discord.com or /api/webhooks/…;
 * *.webhook.office.com or /webhookb2/…); anything else gets `{"text": …}`.
 * Webhooks cannot de-duplicate, so a send whose outcome is unknown is not repeated on its own.
 */
import { DISCORD_CONTENT_LIMIT, discordLength } from '../../platforms';
import type { Adapter, AdapterEnv, PartToSend, SentPart } from '../adapter';
import { PublishError } from '../errors';
import { classifyStatus, hostKey, httpRequest } from '../http';

export type WebhookStyle = 'slack' | 'discord' | 'teams' | 'generic';

export function webhookStyle(u: URL): WebhookStyle {
  const h = u.hostname.toLowerCase();
  if (h === 'hooks.slack.com' || /^\/services\/[^/]+\/[^/]+\/[^/]+$/.test(u.pathname)) return 'slack';
  if (/(^|\.)discord(app)?\.com$/.test(h) || /^\/api\/webhooks\/\d+\/[^/]+$/.test(u.pathname)) return 'discord';
  if (h.endsWith('.webhook.office.com') || h.endsWith('.logic.azure.com') || u.pathname.startsWith('/webhookb2/')) return 'teams';
  return 'generic';
}

export function webhookPayload(style: WebhookStyle, text: string, title?: string): unknown {
  switch (style) {
    case 'discord':
      return { content: text, allowed_mentions: { parse: [] } };
    case 'teams':
      return { '@type': 'MessageCard', '@context': 'https://schema.org/extensions', summary: title ?? text.slice(0, 80), text };
    default:
      return { text };
  }
}

export class WebhookAdapter implements Adapter {
  readonly threaded = false;
  readonly idempotent = false;
  private url?: URL;
  constructor(private readonly env: AdapterEnv) {}

  private get key() {
    return { platform: 'webhook' as const, host: hostKey(this.env.channel.host ?? ''), account: this.env.channel.account ?? '' };
  }

  limitOf(text: string): { length: number; limit: number } | undefined {
    if (this.url && webhookStyle(this.url) === 'discord') return { length: discordLength(text), limit: DISCORD_CONTENT_LIMIT };
    return undefined;
  }

  async connect(): Promise<void> {
    const raw = await this.env.secrets.get(this.key);
    if (!raw)
      throw new PublishError(`no webhook URL for channel ${this.env.channel.id}: set ${this.env.secrets.describe(this.key)}`, 'permanent');
    this.env.redactor.add(raw);
    let u: URL;
    try {
      u = new URL(raw);
    } catch {
      throw new PublishError(`the webhook URL in ${this.env.secrets.describe(this.key)} is not a URL`, 'permanent');
    }
    const loopback = u.hostname === '127.0.0.1' || u.hostname === 'localhost';
    if (u.protocol !== 'https:' && !(u.protocol === 'http:' && loopback)) {
      throw new PublishError('the webhook URL must use https', 'permanent');
    }
    if (this.key.host && u.host.toLowerCase() !== this.key.host) {
      throw new PublishError(
        `the webhook URL points at a different host than the channel's host ${this.key.host}; refusing to send`,
        'permanent',
      );
    }
    this.url = u;
  }

  async send(part: PartToSend, ctx: { key: string }): Promise<SentPart> {
    if (!this.url) await this.connect();
    const u = new URL(this.url!.toString());
    const style = webhookStyle(u);
    if (style === 'discord') u.searchParams.set('wait', 'true');
    const what = `posting to webhook ${this.env.channel.id}`;
    const res = await httpRequest(
      u.toString(),
      {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'Idempotency-Key': `unscripted-${ctx.key}` },
        body: JSON.stringify(webhookPayload(style, part.text, this.env.title)),
      },
      this.env.http,
      what,
    );
    if (res.status < 200 || res.status >= 300) {
      throw classifyStatus(res, what, this.env.redactor.redact(res.text.slice(0, 200)));
    }
    if (style === 'discord') {
      const id = res.json<{ id?: string }>()?.id;
      if (id) return { id: `discord:${id}` };
    }
    return { id: `${style}:${ctx.key}` };
  }
}
