/**
 * Fault injection shared by the local fakes (loopback only). A fault is queued on a fake and
 * consumed by the next request(s) that match its route; it decides what happens to that request:
 *
 * - `drop-before`   destroy the connection before the request is processed (nothing happened)
 * - `drop-after`    process the request, then destroy the connection without answering
 *                   (the client sees a reset: outcome unknown, but the post exists)
 * - `hang-before`   never answer and never process (client times out; nothing happened)
 * - `hang-after`    process, then never answer (client times out; the post exists)
 * - `status`        answer with the given HTTP status (e.g. 500, 502, 503) without processing
 * - `rate-limit`    answer 429 the way the platform does, without processing
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

export type FaultKind = 'drop-before' | 'drop-after' | 'hang-before' | 'hang-after' | 'status' | 'rate-limit';

export interface Fault {
  kind: FaultKind;
  /** Only requests whose `METHOD path` contains this string (default: any request). */
  match?: string;
  /** How many matching requests this fault applies to (default 1). */
  times?: number;
  /** For `status`. */
  status?: number;
  /** For `rate-limit`: seconds until the limit resets. */
  retryAfterSeconds?: number;
}

export class FaultQueue {
  private faults: Array<Fault & { left: number }> = [];
  /** Sockets held open by `hang-*` faults, destroyed on close. */
  readonly held = new Set<ServerResponse>();

  add(fault: Fault): void {
    this.faults.push({ ...fault, left: fault.times ?? 1 });
  }

  clear(): void {
    this.faults = [];
  }

  /** The fault for this request, consuming one use of it. */
  take(req: IncomingMessage): Fault | undefined {
    const key = `${req.method} ${req.url}`;
    const i = this.faults.findIndex((f) => !f.match || key.includes(f.match));
    if (i < 0) return undefined;
    const f = this.faults[i];
    f.left--;
    if (f.left <= 0) this.faults.splice(i, 1);
    return f;
  }

  hang(res: ServerResponse): void {
    this.held.add(res);
    res.on('close', () => this.held.delete(res));
  }

  releaseAll(): void {
    for (const res of this.held) res.destroy();
    this.held.clear();
  }
}

export function dropConnection(req: IncomingMessage, res: ServerResponse): void {
  // Reset rather than a clean FIN, like a proxy or server dying mid-request.
  if (req.socket.resetAndDestroy) req.socket.resetAndDestroy();
  else req.socket.destroy();
  res.destroy();
}

export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
