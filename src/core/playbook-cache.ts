/**
 * A compiled-playbook cache, so a CLI run does not parse the 34 KB default voice playbook with
 * micromark every time (that parse was most of a whole-process `unscripted lint`).
 *
 * It can never serve a stale playbook: the key is a SHA-256 of everything the parse reads —
 * the playbook folder asked for, the name and full text of every .md file in it and in the
 * shipped default folder (whose files stand in for missing kinds), unsaved editor text where
 * given, the Unscripted version, and the size and mtime of the parser's own compiled files. Any
 * edit gives a new key; a hit is the exact result of parsing those same bytes with this code.
 *
 * Where: $UNSCRIPTED_CACHE_DIR, else $XDG_CACHE_HOME/unscripted, else ~/.cache/unscripted.
 * UNSCRIPTED_CACHE=0 turns it off. Any failure to read or write the cache just means a parse.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { packageVersion } from './package-root';

/** Bump when the shape of a cached playbook changes. */
const FORMAT = 2;
/** Cached playbooks kept; the oldest beyond this are removed. */
const KEEP = 32;

export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.UNSCRIPTED_CACHE === '0' || env.UNSCRIPTED_CACHE === 'false') return undefined;
  if (env.UNSCRIPTED_CACHE_DIR) return env.UNSCRIPTED_CACHE_DIR;
  const base = env.XDG_CACHE_HOME || (os.homedir() ? path.join(os.homedir(), '.cache') : os.tmpdir());
  return path.join(base, 'unscripted');
}

let codeStamp: string | undefined;
/** Version and the compiled parser files' size and mtime: a rebuilt parser never reads an old entry. */
function codeIdentity(): string {
  if (codeStamp) return codeStamp;
  const parts: string[] = [String(FORMAT), packageVersion() || '?'];
  for (const f of fs.readdirSync(__dirname)) {
    if (!f.endsWith('.js')) continue;
    try {
      const st = fs.statSync(path.join(__dirname, f));
      parts.push(`${f}:${st.size}:${st.mtimeMs}`);
    } catch {
      /* a file that vanished changes the key anyway */
    }
  }
  return (codeStamp = parts.join('|'));
}

/** The key of a playbook load, or undefined when a folder cannot be read (then no caching). */
export function playbookKey(dirs: string[], overlay?: ReadonlyMap<string, string>, extra = ''): string | undefined {
  const h = createHash('sha256');
  h.update(codeIdentity());
  h.update(`\0extra\0${extra}`);
  for (const dir of dirs) {
    h.update(`\0dir\0${path.resolve(dir)}\0`);
    let names: string[];
    try {
      names = fs
        .readdirSync(dir)
        .filter((n) => n.toLowerCase().endsWith('.md'))
        .sort();
    } catch {
      return undefined;
    }
    for (const name of names) {
      const file = path.join(dir, name);
      const unsaved = overlay?.get(file);
      h.update(`\0file\0${name}\0`);
      if (unsaved !== undefined) {
        h.update('u');
        h.update(unsaved);
        continue;
      }
      try {
        const st = fs.statSync(file);
        if (!st.isFile() || st.size > 2 * 1024 * 1024) {
          h.update(`x${st.isFile()}:${st.size}`);
          continue;
        }
        h.update('f');
        h.update(fs.readFileSync(file));
      } catch {
        return undefined;
      }
    }
  }
  return h.digest('hex');
}

/** JSON with Maps and Sets, so a playbook round-trips whatever fields it gains. */
function replacer(_k: string, v: unknown): unknown {
  if (v instanceof Map) return { $map: [...v] };
  if (v instanceof Set) return { $set: [...v] };
  return v;
}
function reviver(_k: string, v: unknown): unknown {
  if (v && typeof v === 'object' && !Array.isArray(v)) {
    const o = v as { $map?: [unknown, unknown][]; $set?: unknown[] };
    if (o.$map && Object.keys(o).length === 1) return new Map(o.$map);
    if (o.$set && Object.keys(o).length === 1) return new Set(o.$set);
  }
  return v;
}

/** The compiled playbook stored under `key` (typed by the caller, core/playbook.ts, which alone writes it). */
export function readCached<T>(cacheDir: string, key: string): T | undefined {
  try {
    return JSON.parse(fs.readFileSync(path.join(cacheDir, `playbook-${key}.json`), 'utf8'), reviver) as T;
  } catch {
    return undefined;
  }
}

export function writeCached(cacheDir: string, key: string, pb: unknown): void {
  try {
    fs.mkdirSync(cacheDir, { recursive: true });
    const file = path.join(cacheDir, `playbook-${key}.json`);
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(pb, replacer));
    fs.renameSync(tmp, file);
    const entries = fs
      .readdirSync(cacheDir)
      .filter((n) => /^playbook-[0-9a-f]{64}\.json$/.test(n))
      .map((n) => ({ n, t: fs.statSync(path.join(cacheDir, n)).mtimeMs }));
    if (entries.length > KEEP) {
      entries.sort((a, b) => b.t - a.t);
      for (const e of entries.slice(KEEP)) fs.rmSync(path.join(cacheDir, e.n), { force: true });
    }
  } catch {
    // A read-only home or a full disk: the next run parses again.
  }
}
