/** Shared set-up for the publish tests: a throw-away workspace with a playbook and posts. */
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { Workspace } from '../../src/core';
import { EnvSecretSource, envVarName, publishPost, type PublishOptions, type SecretKey } from '../../src/core/publish';

export interface ChannelRow {
  id: string;
  platform: string;
  account?: string;
  host?: string;
  limit?: number;
}

export function makeWorkspace(channels: ChannelRow[], schedule: Record<string, string | boolean> = {}): string {
  const root = mkdtempSync(path.join(os.tmpdir(), 'unscripted-publish-'));
  mkdirSync(path.join(root, 'playbooks'));
  mkdirSync(path.join(root, 'posts'));
  const rows = channels.map((c) => `| ${c.id} | ${c.platform} | ${c.account ?? ''} | ${c.limit ?? ''} | ${c.host ?? ''} |`).join('\n');
  writeFileSync(
    path.join(root, 'playbooks', 'channels.md'),
    `---\nkind: channels\n---\n# Channels\n\n| id | platform | account | limit | host |\n| -- | -- | -- | -- | -- |\n${rows}\n`,
  );
  const sched = { review_window: '48 hours', burst: '10 per 6 hours', paused: false, ...schedule };
  writeFileSync(
    path.join(root, 'playbooks', 'schedule.md'),
    `---\nkind: schedule\n${Object.entries(sched)
      .map(([k, v]) => `${k}: ${typeof v === 'string' && /[:#]/.test(v) ? JSON.stringify(v) : v}`)
      .join('\n')}\n---\n# Schedule\n`,
  );
  return root;
}

export function writePost(root: string, name: string, front: Record<string, unknown>, body: string): string {
  const file = path.join(root, 'posts', name);
  const yaml = Object.entries(front)
    .map(([k, v]) => `${k}: ${Array.isArray(v) ? `[${v.join(', ')}]` : String(v)}`)
    .join('\n');
  writeFileSync(file, `---\n${yaml}\n---\n${body}`);
  return file;
}

export function read(file: string): string {
  return readFileSync(file, 'utf8');
}

export function tokenEnv(entries: Array<[SecretKey, string]>): Record<string, string> {
  return Object.fromEntries(entries.map(([k, v]) => [envVarName(k), v]));
}

/** publishPost with the workspace's playbook and lint, fast retries, and recorded sleeps. */
export async function publish(root: string, file: string, env: Record<string, string>, extra: Partial<PublishOptions> = {}) {
  const ws = Workspace.open(root);
  if (ws.playbook.errors.length) throw new Error(`playbook errors: ${JSON.stringify(ws.playbook.errors)}`);
  const delays: number[] = [];
  const progress: string[] = [];
  const report = await publishPost({
    root,
    file,
    playbook: ws.playbook,
    secrets: new EnvSecretSource(env),
    lint: (f, t) => ws.lintText(f, t).findings,
    retry: { baseMs: 1, maxDelayMs: 5, maxAttempts: 4 },
    timeoutMs: 2000,
    sleep: async (ms) => {
      delays.push(ms);
    },
    onProgress: (m) => progress.push(m),
    ...extra,
  });
  return { report, delays, progress };
}

/** A writable that keeps what it was given. */
export class Capture extends Writable {
  text = '';
  _write(chunk: Buffer | string, _enc: BufferEncoding, cb: () => void): void {
    this.text += chunk.toString();
    cb();
  }
}
