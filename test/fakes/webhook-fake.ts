/**
 * Incoming-webhook fakes on 127.0.0.1, answering like the real services do:
 *
 * - Slack   POST /services/<T>/<B>/<secret>  JSON {text}; 200 "ok"; 400 "invalid_payload";
 *           403 "invalid_token"; 429 "rate_limited" with Retry-After (seconds).
 * - Discord POST /api/webhooks/<id>/<token>[?wait=true]  JSON {content} (max 2000 chars);
 *           204, or 200 with the message object when wait=true; 400 {"code":50006} for an empty
 *           message; 401 {"message":"Invalid Webhook Token","code":50027}; 429 JSON
 *           {"message":"You are being rate limited.","retry_after":<s>,"global":false} + Retry-After.
 * - Teams   POST /webhookb2/<secret>  JSON {text} or a MessageCard; 200 "1"; 400 for no text.
 *
 * The secret part of the path is the credential (as with the real services): unknown ones are refused.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { dropConnection, readBody } from './faults';
import { LoopbackServer } from './loopback';

export type WebhookStyle = 'slack' | 'discord' | 'teams';

export interface WebhookMessage {
  style: WebhookStyle;
  id: string;
  text: string;
  body: unknown;
  at: number;
}

export class WebhookFake extends LoopbackServer {
  readonly messages: WebhookMessage[] = [];
  private secrets = new Set<string>();
  private nextId = 1_200_000_000_000_000_000n;

  constructor() {
    super((req, res) => {
      this.handle(req, res).catch(() => {
        if (!res.headersSent) this.send(res, 500, 'text/plain', 'error');
      });
    });
  }

  /** A fresh webhook URL of the given style (the URL is the credential). */
  newHook(style: WebhookStyle, secret = Math.random().toString(36).slice(2) + Math.random().toString(36).slice(2)): string {
    this.secrets.add(secret);
    switch (style) {
      case 'slack':
        return `${this.url}/services/T0001/B0001/${secret}`;
      case 'discord':
        return `${this.url}/api/webhooks/1234567890/${secret}`;
      case 'teams':
        return `${this.url}/webhookb2/${secret}`;
    }
  }

  private send(res: ServerResponse, status: number, type: string, body: string, headers: Record<string, string> = {}): void {
    res.writeHead(status, { 'Content-Type': type, 'Content-Length': Buffer.byteLength(body), ...headers });
    res.end(body);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.url);
    const body = await readBody(req);
    let style: WebhookStyle;
    let secret: string;
    let m: RegExpExecArray | null;
    if ((m = /^\/services\/[^/]+\/[^/]+\/([^/]+)$/.exec(url.pathname))) [style, secret] = ['slack', m[1]];
    else if ((m = /^\/api\/webhooks\/\d+\/([^/]+)$/.exec(url.pathname))) [style, secret] = ['discord', m[1]];
    else if ((m = /^\/webhookb2\/([^/]+)$/.exec(url.pathname))) [style, secret] = ['teams', m[1]];
    else return this.send(res, 404, 'text/plain', 'no_service');

    const fault = this.faults.take(req);
    if (fault?.kind === 'drop-before') return dropConnection(req, res);
    if (fault?.kind === 'hang-before') return this.faults.hang(res);
    if (fault?.kind === 'status') return this.send(res, fault.status ?? 500, 'text/plain', 'Internal Server Error');
    if (fault?.kind === 'rate-limit') {
      const s = fault.retryAfterSeconds ?? 1;
      if (style === 'discord') {
        return this.send(
          res,
          429,
          'application/json',
          JSON.stringify({ message: 'You are being rate limited.', retry_after: s, global: false }),
          {
            'Retry-After': String(Math.ceil(s)),
          },
        );
      }
      return this.send(res, 429, 'text/plain', 'rate_limited', { 'Retry-After': String(Math.ceil(s)) });
    }

    if (req.method !== 'POST') return this.send(res, 405, 'text/plain', 'method not allowed');
    if (!this.secrets.has(secret)) {
      if (style === 'discord')
        return this.send(res, 401, 'application/json', JSON.stringify({ message: 'Invalid Webhook Token', code: 50027 }));
      return this.send(res, 403, 'text/plain', 'invalid_token');
    }
    let json: Record<string, unknown>;
    try {
      json = JSON.parse(body);
    } catch {
      return style === 'discord'
        ? this.send(res, 400, 'application/json', JSON.stringify({ message: 'Cannot send an empty message', code: 50006 }))
        : this.send(res, 400, 'text/plain', 'invalid_payload');
    }
    const text = style === 'discord' ? json.content : (json.text ?? (json as { summary?: unknown }).summary);
    if (typeof text !== 'string' || !text.trim()) {
      return style === 'discord'
        ? this.send(res, 400, 'application/json', JSON.stringify({ message: 'Cannot send an empty message', code: 50006 }))
        : this.send(res, 400, 'text/plain', style === 'teams' ? 'Summary or Text is required.' : 'invalid_payload');
    }
    if (style === 'discord' && text.length > 2000) {
      return this.send(res, 400, 'application/json', JSON.stringify({ message: 'Invalid Form Body', code: 50035 }));
    }
    const msg: WebhookMessage = { style, id: String(this.nextId++), text, body: json, at: Date.now() };
    this.messages.push(msg);
    this.emit('message', msg);
    if (fault?.kind === 'drop-after') return dropConnection(req, res);
    if (fault?.kind === 'hang-after') return this.faults.hang(res);
    if (style === 'slack') return this.send(res, 200, 'text/plain', 'ok');
    if (style === 'teams') return this.send(res, 200, 'text/plain', '1');
    if (url.searchParams.get('wait') === 'true') {
      return this.send(
        res,
        200,
        'application/json',
        JSON.stringify({ id: msg.id, channel_id: '42', content: text, timestamp: new Date(msg.at).toISOString() }),
      );
    }
    return this.send(res, 204, 'text/plain', '');
  }
}

export async function startWebhookFake(): Promise<WebhookFake> {
  return new WebhookFake().listen();
}
