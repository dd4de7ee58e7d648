/**
 * Credentials for publishing channels. Tokens come only from environment variables (CLI, CI) or
 * the editor's SecretStorage, keyed by platform + host + account, never from files in the repo.
 * A repo that changes a channel's host gets a different key, so it cannot reuse a token that was
 * stored for another host.
 */
import type { Platform } from '../types';

export interface SecretKey {
  platform: Platform;
  /** Host without scheme (e.g. `mastodon.social`, `127.0.0.1:8080`). */
  host: string;
  /** Account on that host; empty when the channel has none. */
  account: string;
}

/** Where tokens come from (environment, SecretStorage, …). */
export interface SecretSource {
  get(key: SecretKey): Promise<string | undefined>;
  /** Where the user should put the token, for error messages (never the token itself). */
  describe(key: SecretKey): string;
}

/** `UNSCRIPTED_TOKEN_<PLATFORM>_<HOST>_<ACCOUNT>`, upper case, every other character as `_`. */
export function envVarName(key: SecretKey): string {
  const part = (s: string) =>
    s
      .toUpperCase()
      .replace(/[^A-Z0-9]+/g, '_')
      .replace(/^_+|_+$/g, '');
  return ['UNSCRIPTED_TOKEN', part(key.platform), part(key.host), part(key.account)].filter(Boolean).join('_');
}

/** A stable id for SecretStorage: `unscripted/<platform>/<host>/<account>`. */
export function secretStorageKey(key: SecretKey): string {
  return `unscripted/${key.platform}/${key.host.toLowerCase()}/${key.account.toLowerCase()}`;
}

export class EnvSecretSource implements SecretSource {
  constructor(private readonly env: Record<string, string | undefined>) {}
  get(key: SecretKey): Promise<string | undefined> {
    const v = this.env[envVarName(key)];
    return Promise.resolve(v && v.trim() ? v.trim() : undefined);
  }
  describe(key: SecretKey): string {
    return `the environment variable ${envVarName(key)}`;
  }
}

/**
 * Keeps every secret handed out so that any text leaving the publisher (messages, errors, the
 * ledger) can be scrubbed of it.
 */
export class Redactor {
  private secrets = new Set<string>();
  add(secret: string | undefined): void {
    if (!secret) return;
    this.secrets.add(secret);
    // Also the forms a secret takes on the wire.
    this.secrets.add(encodeURIComponent(secret));
    this.secrets.add(Buffer.from(secret).toString('base64'));
    try {
      const u = new URL(secret);
      // A webhook URL: its path is the credential.
      if (u.pathname.length > 1) this.secrets.add(u.pathname);
    } catch {
      /* not a URL */
    }
  }
  redact(text: string): string {
    let out = text;
    const list = [...this.secrets].filter((s) => s.length >= 4).sort((a, b) => b.length - a.length);
    for (const s of list) out = out.split(s).join('[redacted]');
    return out;
  }
}
