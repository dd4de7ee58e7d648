/**
 * `outbox`: writes each rendered thread part to outbox/<channel>/<post>/<n>.txt. Needs no account;
 * a person or another tool takes it from there. Writing the same part again is harmless.
 */
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import type { Adapter, AdapterEnv, PartToSend, SentPart } from '../adapter';
import { writeFileAtomic } from '../ledger';

export function outboxDir(env: Pick<AdapterEnv, 'root' | 'channel' | 'slug'>): string {
  return path.join(env.root, 'outbox', env.channel.id, ...env.slug.split('/'));
}

export class OutboxAdapter implements Adapter {
  readonly threaded = true;
  readonly idempotent = true;
  constructor(private readonly env: AdapterEnv) {}
  async connect(): Promise<void> {}
  async send(part: PartToSend): Promise<SentPart> {
    const dir = outboxDir(this.env);
    await fsp.mkdir(dir, { recursive: true });
    const file = path.join(dir, `${part.index + 1}.txt`);
    await writeFileAtomic(file, part.text.endsWith('\n') ? part.text : `${part.text}\n`);
    const rel = path.relative(this.env.root, file).split(path.sep).join('/');
    return { id: rel };
  }
}
