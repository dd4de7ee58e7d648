/** Bounded retries with exponential backoff, honouring the server's Retry-After / rate-limit reset. */
import { PublishError } from './errors';

export interface RetryOptions {
  /** Attempts in all, first one included. */
  maxAttempts: number;
  /** First backoff delay (ms); doubles per attempt, up to maxDelayMs. */
  baseMs: number;
  maxDelayMs: number;
  /** Longest wait the server may ask for (Retry-After) before we give up and say when to retry. */
  maxWaitMs: number;
}

export const DEFAULT_RETRY: RetryOptions = { maxAttempts: 5, baseMs: 500, maxDelayMs: 8000, maxWaitMs: 120_000 };

export function asPublishError(e: unknown): PublishError {
  if (e instanceof PublishError) return e;
  return new PublishError((e as Error)?.message ?? String(e), 'permanent');
}

/**
 * Run `fn(attempt)` until it succeeds, a permanent error occurs, or attempts run out. An error
 * of unknown outcome is retried only when `retryUnknown` (the send is idempotent).
 */
export async function withRetry<T>(
  fn: (attempt: number) => Promise<T>,
  opts: RetryOptions,
  retryUnknown: boolean,
  sleep: (ms: number) => Promise<void>,
  onRetry?: (err: PublishError, delayMs: number, attempt: number) => void,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (e) {
      const err = asPublishError(e);
      if (err.kind === 'permanent') throw err;
      if (err.kind === 'unknown' && !retryUnknown) throw err;
      if (attempt >= opts.maxAttempts) {
        throw new PublishError(`${err.message} (gave up after ${attempt} attempts)`, err.kind, err.opts);
      }
      const backoff = Math.min(opts.maxDelayMs, opts.baseMs * 2 ** (attempt - 1));
      const delay = err.retryAfterMs !== undefined ? Math.max(err.retryAfterMs, 0) : backoff + Math.floor(Math.random() * (backoff / 4));
      if (delay > opts.maxWaitMs) {
        const when = new Date(Date.now() + delay).toISOString();
        throw new PublishError(`${err.message}; rate limited until ${when}: try again after that`, err.kind, err.opts);
      }
      onRetry?.(err, delay, attempt);
      await sleep(delay);
    }
  }
}
