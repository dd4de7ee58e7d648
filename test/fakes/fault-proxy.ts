/**
 * A loopback HTTP proxy in front of a real server (the local Bluesky PDS), with the same fault
 * injection as the fakes: `drop-after` forwards the request, lets the real server act on it, and
 * then cuts the client's connection before it sees the answer (an unknown outcome, for real).
 */
import { request, type IncomingMessage, type ServerResponse } from 'node:http';
import { dropConnection, readBody } from './faults';
import { LoopbackServer } from './loopback';

export class FaultProxy extends LoopbackServer {
  readonly seen: string[] = [];

  constructor(private readonly upstream: string) {
    super((req, res) => {
      this.handle(req, res).catch(() => {
        if (!res.headersSent) res.writeHead(502).end();
      });
    });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    this.seen.push(`${req.method} ${req.url}`);
    const body = await readBody(req);
    const fault = this.faults.take(req);
    if (fault?.kind === 'drop-before') return dropConnection(req, res);
    if (fault?.kind === 'hang-before') return this.faults.hang(res);
    if (fault?.kind === 'status') {
      res.writeHead(fault.status ?? 500, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ error: 'InternalServerError', message: 'Internal Server Error' }));
      return;
    }
    if (fault?.kind === 'rate-limit') {
      const reset = Math.ceil(Date.now() / 1000) + (fault.retryAfterSeconds ?? 1);
      res.writeHead(429, {
        'Content-Type': 'application/json',
        'RateLimit-Limit': '5000',
        'RateLimit-Remaining': '0',
        'RateLimit-Reset': String(reset),
      });
      res.end(JSON.stringify({ error: 'RateLimitExceeded', message: 'Rate Limit Exceeded' }));
      return;
    }
    const target = new URL(req.url ?? '/', this.upstream);
    const headers = { ...req.headers, host: target.host };
    delete headers['content-length'];
    const up = await new Promise<IncomingMessage>((resolve, reject) => {
      const r = request(target, { method: req.method, headers: { ...headers, 'content-length': Buffer.byteLength(body) } }, resolve);
      r.on('error', reject);
      r.end(body);
    });
    const answer = await readBody(up);
    /** The real server has answered (and acted); the client has not seen the answer yet. */
    this.emit('forwarded', { method: req.method, url: req.url, status: up.statusCode });
    if (fault?.kind === 'drop-after') return dropConnection(req, res);
    if (fault?.kind === 'hang-after') return this.faults.hang(res);
    const outHeaders = { ...up.headers };
    delete outHeaders['transfer-encoding'];
    outHeaders['content-length'] = String(Buffer.byteLength(answer));
    res.writeHead(up.statusCode ?? 502, outHeaders);
    res.end(answer);
  }
}

export async function startFaultProxy(upstream: string): Promise<FaultProxy> {
  return new FaultProxy(upstream).listen();
}
