/**
 * HTTP for channel adapters: fetch with a timeout, and classification of what went wrong into
 * transient / unknown / permanent (see errors.ts). Error messages never include request headers.
 */
import { PublishError } from './errors';

export interface HttpOptions {
  /** Per-request timeout (ms). */
  timeoutMs: number;
}

export interface HttpResult {
  status: number;
  headers: Headers;
  text: string;
  json<T = unknown>(): T | undefined;
}

const CONNECT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT']);

function causeCode(e: unknown): string | undefined {
  let c: unknown = e;
  for (let i = 0; i < 4 && c && typeof c === 'object'; i++) {
    const code = (c as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    c = (c as { cause?: unknown }).cause;
  }
  return undefined;
}

/** Classify a thrown fetch error (no response): before sending (safe) or maybe after (unknown). */
export function classifyNetworkError(e: unknown, what: string): PublishError {
  if (e instanceof PublishError) return e;
  const name = (e as { name?: string })?.name;
  if (name === 'TimeoutError' || name === 'AbortError') {
    return new PublishError(`${what}: no answer in time (the server may or may not have acted on it)`, 'unknown');
  }
  const code = causeCode(e);
  if (code && CONNECT_CODES.has(code)) return new PublishError(`${what}: cannot connect (${code})`, 'transient');
  if (!code) {
    // No system or socket code anywhere in the chain: fetch refused to build the request (a URL
    // with user:pass@, a blocked port, a bad header). Nothing left this machine: a certain
    // failure. Only the first clause of the message: the rest may quote the URL, which can be a secret.
    const cause = (e as { cause?: { message?: unknown } })?.cause;
    const why = String((typeof cause?.message === 'string' && cause.message) || (e as Error)?.message || 'invalid request')
      .split(':')[0]
      .trim();
    return new PublishError(`${what}: the request could not be made (${why}): nothing was sent`, 'permanent');
  }
  return new PublishError(
    `${what}: connection lost${code ? ` (${code})` : ''} before an answer (the server may or may not have acted on it)`,
    'unknown',
  );
}

/** Retry delay from Retry-After (seconds or HTTP date) or X-RateLimit-Reset (ISO time or epoch seconds). */
export function retryAfterMs(headers: Headers, now = Date.now()): number | undefined {
  const ra = headers.get('retry-after');
  if (ra) {
    const s = Number(ra);
    if (Number.isFinite(s)) return Math.max(0, s * 1000);
    const d = Date.parse(ra);
    if (!isNaN(d)) return Math.max(0, d - now);
  }
  const reset = headers.get('x-ratelimit-reset') ?? headers.get('ratelimit-reset');
  if (reset) {
    const n = Number(reset);
    if (Number.isFinite(n)) return Math.max(0, n > 1e9 ? n * 1000 - now : n * 1000);
    const d = Date.parse(reset);
    if (!isNaN(d)) return Math.max(0, d - now);
  }
  return undefined;
}

/** Turn an HTTP answer that is not a success into the right PublishError. */
export function classifyStatus(res: HttpResult, what: string, detail?: string): PublishError {
  const s = res.status;
  const msg = `${what}: HTTP ${s}${detail ? ` — ${detail}` : ''}`;
  if (s === 429) return new PublishError(msg, 'transient', { status: s, retryAfterMs: retryAfterMs(res.headers) });
  if (s >= 500 || s === 408) return new PublishError(msg, 'transient', { status: s, retryAfterMs: retryAfterMs(res.headers) });
  return new PublishError(msg, 'permanent', { status: s });
}

export async function httpRequest(
  url: string,
  init: { method: string; headers?: Record<string, string>; body?: string },
  opts: HttpOptions,
  what: string,
): Promise<HttpResult> {
  let res: Response;
  try {
    res = await fetch(url, { ...init, signal: AbortSignal.timeout(opts.timeoutMs), redirect: 'error' });
  } catch (e) {
    throw classifyNetworkError(e, what);
  }
  let text: string;
  try {
    text = await res.text();
  } catch (e) {
    throw classifyNetworkError(e, what);
  }
  return {
    status: res.status,
    headers: res.headers,
    text,
    json<T>() {
      try {
        return JSON.parse(text) as T;
      } catch {
        return undefined;
      }
    },
  };
}

/** Resolve a channel's host column to a base URL. Plain http only for loopback (tests, local relays). */
export function baseUrl(host: string, defaultHost?: string): URL {
  const raw = (host || defaultHost || '').trim();
  if (!raw) throw new PublishError('the channel has no host', 'permanent');
  const hasScheme = /^https?:\/\//i.test(raw);
  const u = new URL(hasScheme ? raw : `https://${raw}`);
  const loopback = u.hostname === 'localhost' || u.hostname === '127.0.0.1' || u.hostname === '[::1]';
  if (!hasScheme && loopback) u.protocol = 'http:';
  if (u.protocol === 'http:' && !loopback) {
    throw new PublishError(`refusing to send credentials over plain http to ${u.host}; use https`, 'permanent');
  }
  return u;
}

/** The host part used to key secrets: no scheme, lower case, port kept. */
export function hostKey(host: string): string {
  return host
    .trim()
    .replace(/^https?:\/\//i, '')
    .replace(/\/.*$/, '')
    .toLowerCase();
}
