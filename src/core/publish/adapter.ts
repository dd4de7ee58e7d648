/** What every channel adapter provides to the publisher. */
import type { Channel } from '../playbook';
import type { HttpOptions } from './http';
import type { Redactor, SecretSource } from './secrets';

export interface PartToSend {
  index: number;
  text: string;
}

export interface SentPart {
  id: string;
  url?: string;
}

export interface SendContext {
  /** The intent's key: reused by every retry of this publish (idempotency key, record-key seed). */
  key: string;
  /** When the intent was recorded (ISO); also stable across retries. */
  started: string;
  /** Parts of this thread already sent (ids as recorded), in order. */
  previous: SentPart[];
  /** True when an earlier attempt at this very part may have gone through. */
  maybeSent: boolean;
}

export interface AdapterEnv {
  channel: Channel;
  /** Workspace root (for file channels). */
  root: string;
  /** Post path relative to the workspace, without `.md`, `/`-separated (names files, feed ids). */
  slug: string;
  title?: string;
  secrets: SecretSource;
  redactor: Redactor;
  http: HttpOptions;
  now: () => Date;
}

export interface Adapter {
  /** Sends thread parts one by one (otherwise the parts are joined into one message). */
  readonly threaded: boolean;
  /**
   * Whether sending a part again after an unknown outcome is safe because the adapter or the
   * platform de-duplicates it; for how long after the intent (ms), if limited.
   */
  readonly idempotent: boolean;
  readonly idempotentForMs?: number;
  /** Hard limit of one part, as this adapter counts (undefined: none). */
  limitOf?(text: string): { length: number; limit: number } | undefined;
  /** Log in / read server limits. Throws PublishError. Nothing is published. */
  connect(): Promise<void>;
  send(part: PartToSend, ctx: SendContext): Promise<SentPart>;
}
