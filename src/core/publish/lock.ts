/**
 * One publish of a post at a time. The lock is a file created with O_EXCL in the OS temp folder,
 * named by the post's real path, holding the owner's pid: a second publish of the same post is
 * refused while the owner lives; a lock left by a dead process (crash, kill -9) is taken over.
 */
import { createHash } from 'node:crypto';
import { promises as fsp, realpathSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PublishLockedError } from './errors';

export interface Lock {
  release(): Promise<void>;
}

export function lockPath(file: string): string {
  let real = file;
  try {
    real = realpathSync(file);
  } catch {
    /* the post must exist; the caller reports it */
  }
  const id = createHash('sha256').update(real).digest('hex').slice(0, 32);
  return path.join(os.tmpdir(), 'unscripted-publish-locks', `${id}.lock`);
}

/** Whether a process with this id runs on this machine (one we may not signal still runs). */
export function alive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export async function acquireLock(file: string, label = path.basename(file)): Promise<Lock> {
  const p = lockPath(file);
  await fsp.mkdir(path.dirname(p), { recursive: true });
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fh = await fsp.open(p, 'wx');
      await fh.writeFile(JSON.stringify({ pid: process.pid, host: os.hostname(), at: new Date().toISOString(), file }));
      await fh.close();
      let released = false;
      return {
        async release() {
          if (released) return;
          released = true;
          await fsp.rm(p, { force: true });
        },
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      let owner: { pid?: number; at?: string; host?: string } = {};
      try {
        owner = JSON.parse(await fsp.readFile(p, 'utf8')) as typeof owner;
      } catch {
        // Being written right now by its owner: treat as held.
        throw new PublishLockedError(`${label} is being published by another process right now; not publishing it twice`);
      }
      const sameHost = !owner.host || owner.host === os.hostname();
      if (sameHost && typeof owner.pid === 'number' && !alive(owner.pid)) {
        await fsp.rm(p, { force: true });
        continue;
      }
      throw new PublishLockedError(
        `${label} is being published by another process (pid ${owner.pid ?? '?'}, since ${owner.at ?? '?'}); not publishing it twice`,
      );
    }
  }
  throw new PublishLockedError(`${label}: could not take the publish lock`);
}
