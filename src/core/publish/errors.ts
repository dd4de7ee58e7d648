/**
 * How a send can fail, which decides what the publisher does next:
 * - `transient`: nothing was published (429, 5xx, connection refused); retry with backoff.
 * - `unknown`: the request may or may not have been acted on (reset or timeout after sending);
 *   retry only where the platform makes it safe (idempotency key, known record key).
 * - `permanent`: retrying cannot help (401, 403, 404, 422, too long); stop with the message.
 */
export type FailureKind = 'transient' | 'unknown' | 'permanent';

export class PublishError extends Error {
  constructor(
    message: string,
    readonly kind: FailureKind,
    readonly opts: { status?: number; retryAfterMs?: number } = {},
  ) {
    super(message);
    this.name = 'PublishError';
  }
  get status(): number | undefined {
    return this.opts.status;
  }
  get retryAfterMs(): number | undefined {
    return this.opts.retryAfterMs;
  }
}

/** Another publish of the same post holds the lock. */
export class PublishLockedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PublishLockedError';
  }
}
