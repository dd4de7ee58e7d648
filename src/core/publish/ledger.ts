/**
 * The post file is the ledger. Publishing writes into its front matter, with minimal edits that
 * keep comments, key order and formatting (yaml's Document API), and atomic file replacement:
 *
 *   status: published
 *   published:                 # one entry per channel, written after the last part went out
 *     - channel: mastodon-news
 *       id: "109…"             # the first part (the post); `parts` has every part
 *       url: https://…
 *       at: 2026-11-21T09:00:02.113Z
 *       hash: sha256:…         # of the rendered text that was sent
 *       parts: [ "109…", "109…" ]
 *   publishing:                # the intent, written BEFORE anything is sent, removed when done
 *     - channel: mastodon-news
 *       key: 5f0c…             # idempotency key / record-key seed, reused by every retry
 *       started: …             # also seeds Bluesky record keys
 *       hash: sha256:…
 *       parts: [ "109…" ]      # parts confirmed sent so far (a thread resumes after them)
 *       pending: 1             # the part in flight: if the process dies, its outcome is unknown
 */
import { show } from '../text';
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { Document, isMap, isScalar, isSeq } from 'yaml';
import { readFrontMatter } from '../frontmatter';
import { parsePublished, strList, type PublishedRecord } from '../published';
import { alive } from './lock';

export interface Intent {
  channel: string;
  key: string;
  started: string;
  hash: string;
  parts: string[];
  urls: string[];
  pending?: number;
  /** Set when a part's outcome is unknown on a channel that cannot de-duplicate. */
  unknown?: boolean;
  lintOverride?: string[];
}

/** A `published:` entry as the ledger reads it: the core's PublishedEntry plus a recorded lint override. */
export type LedgerEntry = PublishedRecord;

export interface LedgerState {
  status?: string;
  published: LedgerEntry[];
  publishing: Intent[];
}

export function readLedger(text: string): LedgerState {
  const fm = readFrontMatter(text);
  const data = fm?.data ?? {};
  const published: LedgerEntry[] = parsePublished(data.published);
  const publishing: Intent[] = [];
  for (const e of Array.isArray(data.publishing) ? data.publishing : []) {
    if (!e || typeof e !== 'object') continue;
    const r = e as Record<string, unknown>;
    if (typeof r.channel !== 'string' || typeof r.key !== 'string') continue;
    publishing.push({
      channel: r.channel,
      key: r.key,
      started: show(r.started ?? ''),
      hash: show(r.hash ?? ''),
      parts: strList(r.parts),
      urls: strList(r.urls),
      pending: typeof r.pending === 'number' ? r.pending : undefined,
      unknown: r.unknown === true ? true : undefined,
      lintOverride: Array.isArray(r.lint_override) ? strList(r.lint_override) : undefined,
    });
  }
  return { status: typeof data.status === 'string' ? data.status : undefined, published, publishing };
}

const TO_STRING = { lineWidth: 0, minContentWidth: 0, flowCollectionPadding: false } as const;

/** The YAML text of one top-level `key: value` pair (lists of short strings inside items in flow style). */
function pairText(key: string, value: unknown, flowKeys: readonly string[]): string {
  if (value === null) return `${key}:\n`;
  const doc = new Document({ [key]: value });
  const top = doc.get(key, true);
  if (isSeq(top)) {
    for (const item of top.items) {
      if (!isMap(item)) continue;
      for (const k of flowKeys) {
        const list = item.get(k, true);
        if (isSeq(list)) list.flow = true;
      }
    }
  }
  return doc.toString(TO_STRING);
}

/** Offsets (in the YAML text) of the lines of a top-level key: its line and its indented continuation. */
function blockOf(yaml: string, key: string): { start: number; end: number } | undefined {
  const re = new RegExp(`^${key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}[ \\t]*:`, 'm');
  const m = re.exec(yaml);
  if (!m) return undefined;
  const start = m.index;
  let end = yaml.indexOf('\n', start);
  end = end < 0 ? yaml.length : end + 1;
  let pos = end;
  while (pos < yaml.length) {
    let nl = yaml.indexOf('\n', pos);
    nl = nl < 0 ? yaml.length : nl + 1;
    const line = yaml.slice(pos, nl);
    if (/^[ \t-]/.test(line) && !/^---/.test(line)) {
      end = nl;
    } else if (!/^\s*$/.test(line)) break;
    pos = nl;
  }
  return { start, end };
}

/**
 * Set (or with `undefined`, remove) one top-level key of the front matter, touching only that
 * key's lines: comments, spacing, quoting and order of everything else stay as they were. A scalar
 * value replaces just the old value (an inline comment after it stays). The body is untouched.
 */
export function setTopLevel(text: string, key: string, value: unknown, flowKeys: readonly string[] = []): string {
  const fm = readFrontMatter(text);
  if (!fm) {
    if (value === undefined) return text;
    return `---\n${pairText(key, value, flowKeys)}---\n${text}`;
  }
  if (fm.errors.length) throw new Error(`the front matter does not parse (${fm.errors[0].message}); fix it before publishing`);
  const yaml = fm.yaml;
  const crlf = yaml.includes('\r\n');
  const eol = (t: string) => (crlf ? t.replace(/\r?\n/g, '\r\n') : t);
  const block = blockOf(yaml, key);
  let next: string;
  if (value === undefined) {
    if (!block) return text;
    next = yaml.slice(0, block.start) + yaml.slice(block.end);
  } else if (block) {
    const contents = fm.doc.contents;
    const pair = isMap(contents) ? contents.items.find((p) => isScalar(p.key) && p.key.value === key) : undefined;
    const old = pair?.value;
    const scalarValue = value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
    if (scalarValue && value !== null && isScalar(old) && old.range && old.range[1] > old.range[0] && old.value !== null) {
      const rendered = new Document(value).toString(TO_STRING).trimEnd();
      next = yaml.slice(0, old.range[0]) + rendered + yaml.slice(old.range[1]);
    } else {
      next = yaml.slice(0, block.start) + eol(pairText(key, value, flowKeys)) + yaml.slice(block.end);
    }
  } else {
    const sep = yaml.length && !yaml.endsWith('\n') ? (crlf ? '\r\n' : '\n') : '';
    next = yaml + sep + eol(pairText(key, value, flowKeys));
  }
  return text.slice(0, fm.yamlStart) + next + text.slice(fm.yamlStart + yaml.length);
}

function rawList(text: string, key: string): Record<string, unknown>[] {
  const v = readFrontMatter(text)?.data?.[key];
  return Array.isArray(v) ? (v as Record<string, unknown>[]) : [];
}

function intentData(i: Intent): Record<string, unknown> {
  const o: Record<string, unknown> = { channel: i.channel, key: i.key, started: i.started, hash: i.hash, parts: i.parts };
  if (i.urls.some(Boolean)) o.urls = i.urls;
  if (i.pending !== undefined) o.pending = i.pending;
  if (i.unknown) o.unknown = true;
  return o;
}

function upsert(list: Record<string, unknown>[], channel: string, item: Record<string, unknown>): Record<string, unknown>[] {
  const i = list.findIndex((e) => e && e.channel === channel);
  const out = [...list];
  if (i >= 0) out[i] = item;
  else out.push(item);
  return out;
}

/** Record (or update) the intent for a channel. */
export function setIntent(text: string, intent: Intent): string {
  return setTopLevel(text, 'publishing', upsert(rawList(text, 'publishing'), intent.channel, intentData(intent)));
}

/** Replace the intent with a published entry; `status: published` once every channel of the post is in. */
export function recordPublished(text: string, entry: LedgerEntry, allChannels: string[]): string {
  const o: Record<string, unknown> = { channel: entry.channel, id: entry.id };
  if (entry.url) o.url = entry.url;
  o.at = entry.at;
  if (entry.hash) o.hash = entry.hash;
  if (entry.parts && entry.parts.length > 1) o.parts = entry.parts;
  const published = upsert(rawList(text, 'published'), entry.channel, o);
  let out = setTopLevel(text, 'published', published);
  const intents = rawList(out, 'publishing').filter((e) => !(e && e.channel === entry.channel));
  out = setTopLevel(out, 'publishing', intents.length ? intents : undefined);
  const done = new Set(published.map((e) => String(e.channel)));
  if (allChannels.length && allChannels.every((c) => done.has(c))) out = setTopLevel(out, 'status', 'published');
  return out;
}

/**
 * Record that a post is published despite lint errors (top-level `lint_override:`, a list of
 * {at, rules, channels}), before anything is sent.
 */
export function addLintOverride(text: string, entry: { at: string; rules: string[]; channels: string[] }): string {
  const list = [...rawList(text, 'lint_override'), { at: entry.at, rules: entry.rules, channels: entry.channels }];
  return setTopLevel(text, 'lint_override', list, ['rules', 'channels']);
}

const TEMP_NAME = /^\..+\.(\d+)\.\d+\.tmp$/;
const cleanedDirs = new Set<string>();

/**
 * Remove temp files a killed run left in a folder (`kill -9` between write and rename), so a
 * cron job's `git add` never commits them. Only files whose writing process is gone.
 */
export async function removeOrphanTemps(dir: string): Promise<string[]> {
  let names: string[];
  try {
    names = await fsp.readdir(dir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const n of names) {
    const m = TEMP_NAME.exec(n);
    if (!m || alive(Number(m[1]))) continue;
    await fsp.rm(path.join(dir, n), { force: true });
    removed.push(n);
  }
  return removed;
}

/**
 * Remove a killed run's temp files anywhere under the workspace's posts/ and outbox/ (a kill -9
 * may leave one in any post's folder, not only in the one being published next). Run at the start
 * of every publish run (one readdir per folder: small beside a network send; `--due` sweeps once,
 * not per post), so a long-lived editor cleans up after a CLI run killed meanwhile. Links are not followed; only files whose
 * writing process is gone are removed.
 */
export async function sweepOrphanTemps(root: string): Promise<string[]> {
  const key = path.resolve(root);
  const removed: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    removed.push(...(await removeOrphanTemps(dir)).map((n) => path.join(dir, n)));
    let entries: import('node:fs').Dirent[];
    try {
      entries = await fsp.readdir(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) if (e.isDirectory() && e.name !== '.git' && e.name !== 'node_modules') await walk(path.join(dir, e.name));
  };
  for (const top of ['posts', 'outbox']) await walk(path.join(key, top));
  return removed;
}

/**
 * Write a file atomically (temp file + rename), so a crash never leaves half a ledger. Keeps the
 * file's mode, and never writes through a symbolic link (that would replace the link with a
 * file, or write outside the workspace).
 */
export async function writeFileAtomic(file: string, text: string): Promise<void> {
  const dir = path.dirname(file);
  if (!cleanedDirs.has(dir)) {
    cleanedDirs.add(dir);
    await removeOrphanTemps(dir);
  }
  let mode: number | undefined;
  try {
    const st = await fsp.lstat(file);
    if (st.isSymbolicLink())
      throw new Error(
        `${path.basename(file)} is a symbolic link: Unscripted never writes through a link (replace the link with the file itself)`,
      );
    mode = st.mode & 0o7777;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  const tmp = path.join(dir, `.${path.basename(file)}.${process.pid}.${Date.now()}.tmp`);
  const fh = await fsp.open(tmp, 'wx', mode ?? 0o666);
  try {
    if (mode !== undefined) await fh.chmod(mode);
    await fh.writeFile(text, 'utf8');
    await fh.sync();
  } finally {
    await fh.close();
  }
  await fsp.rename(tmp, file);
}

/**
 * Read-modify-write of the post file: the edit is applied to the file as it is now (so edits made
 * to the body meanwhile are kept), then written atomically.
 */
export async function updateLedger(file: string, edit: (text: string) => string): Promise<string> {
  const text = await fsp.readFile(file, 'utf8');
  const next = edit(text);
  if (next !== text) await writeFileAtomic(file, next);
  return next;
}
