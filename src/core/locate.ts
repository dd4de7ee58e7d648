/**
 * Which workspace a file belongs to, found the way ESLint and markdownlint-cli2 find their
 * config: look upward from the file's folder for the nearest folder holding `playbooks/`,
 * stopping at the git root (a folder holding `.git`) or the file system root.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface Located {
  /** The workspace root: the folder holding `playbooks/`, else the git root, else `fallback`. */
  root: string;
  /** True when `root` holds a `playbooks/` folder (the team's own playbook). */
  hasPlaybook: boolean;
  /** The git root the search stopped at, if any. */
  gitRoot?: string;
}

function isDir(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/** Find the workspace of `start` (a folder). `fallback` is the root used when nothing is found (default: `start`). */
export function locateWorkspace(start: string, fallback = start, cache?: Map<string, Located>): Located {
  const seen: string[] = [];
  let dir = path.resolve(start);
  let found: Located | undefined;
  for (;;) {
    const hit = cache?.get(dir);
    if (hit) {
      found = hit;
      break;
    }
    seen.push(dir);
    if (isDir(path.join(dir, 'playbooks'))) {
      found = { root: dir, hasPlaybook: true };
      break;
    }
    if (fs.existsSync(path.join(dir, '.git'))) {
      found = { root: dir, hasPlaybook: false, gitRoot: dir };
      break;
    }
    const up = path.dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  found ??= { root: path.resolve(fallback), hasPlaybook: false };
  if (cache) for (const d of seen) cache.set(d, found);
  return found;
}
