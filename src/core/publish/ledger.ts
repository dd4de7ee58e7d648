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
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { Document, isMap, isSeq, parseDocument, YAMLSeq } from 'yaml';
import { readFrontMatter } from '../frontmatter';

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

export interface LedgerEntry {
  channel: string;
  id: string;
  url?: string;
  at: string;
  hash?: string;
  parts?: string[];
  lintOverride?: string[];
}

export interface LedgerState {
  status?: string;
  published: LedgerEntry[];
  publishing: Intent[];
}

function strList(v: unknown): string[] {
  return Array.isArray(v) ? v.map((x) => String(x)) : [];
}

export function readLedger(text: string): LedgerState {
  const fm = readFrontMatter(text);
  const data = (fm?.data ?? {}) as Record<string, unknown>;
  const published: LedgerEntry[] = [];
  for (const e of Array.isArray(data.published) ? data.published : []) {
    if (!e || typeof e !== 'object') continue;
    const r = e as Record<string, unknown>;
    if (typeof r.channel !== 'string') continue;
    published.push({
      channel: r.channel,
      id: String(r.id ?? ''),
      url: typeof r.url === 'string' ? r.url : undefined,
      at: String(r.at ?? ''),
      hash: typeof r.hash === 'string' ? r.hash : undefined,
      parts: Array.isArray(r.parts) ? strList(r.parts) : undefined,
      lintOverride: Array.isArray(r.lint_override) ? strList(r.lint_override) : undefined,
    });
  }
  const publishing: Intent[] = [];
  for (const e of Array.isArray(data.publishing) ? data.publishing : []) {
    if (!e || typeof e !== 'object') continue;
    const r = e as Record<string, unknown>;
    if (typeof r.channel !== 'string' || typeof r.key !== 'string') continue;
    publishing.push({
      channel: r.channel,
      key: r.key,
      started: String(r.started ?? ''),
      hash: String(r.hash ?? ''),
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

/**
 * Apply `mutate` to the front matter's YAML document and return the new file text. Only the
 * front matter changes; the body is kept byte for byte. A file without front matter gets one.
 */
export function editFrontMatter(text: string, mutate: (doc: Document) => void): string {
  const fm = readFrontMatter(text);
  if (!fm) {
    const doc = new Document({});
    mutate(doc);
    return `---\n${doc.toString(TO_STRING)}---\n${text}`;
  }
  if (fm.errors.length) throw new Error(`the front matter does not parse (${fm.errors[0].message}); fix it before publishing`);
  const doc = parseDocument(fm.yaml);
  if (!isMap(doc.contents)) doc.contents = doc.createNode({}) as never;
  mutate(doc);
  let yaml = doc.toString(TO_STRING);
  if (fm.yaml.includes('\r\n')) yaml = yaml.replace(/\r?\n/g, '\r\n');
  return text.slice(0, fm.yamlStart) + yaml + text.slice(fm.yamlStart + fm.yaml.length);
}

function seq(doc: Document, key: string): YAMLSeq {
  const cur = doc.get(key, true);
  if (isSeq(cur)) return cur;
  const created = doc.createNode([]) as YAMLSeq;
  doc.set(key, created);
  return created;
}

function findIndex(s: YAMLSeq, channel: string): number {
  return s.items.findIndex((it) => isMap(it) && it.get('channel') === channel);
}

function intentNode(i: Intent): Record<string, unknown> {
  const o: Record<string, unknown> = { channel: i.channel, key: i.key, started: i.started, hash: i.hash, parts: i.parts };
  if (i.urls.length) o.urls = i.urls;
  if (i.pending !== undefined) o.pending = i.pending;
  if (i.unknown) o.unknown = true;
  if (i.lintOverride?.length) o.lint_override = i.lintOverride;
  return o;
}

/** Record (or update) the intent for a channel. */
export function setIntent(text: string, intent: Intent): string {
  return editFrontMatter(text, (doc) => {
    const s = seq(doc, 'publishing');
    const node = doc.createNode(intentNode(intent));
    const i = findIndex(s, intent.channel);
    if (i >= 0) s.items[i] = node;
    else s.items.push(node);
  });
}

/** Replace the intent with a published entry; `status: published` once every channel of the post is in. */
export function recordPublished(text: string, entry: LedgerEntry, allChannels: string[]): string {
  return editFrontMatter(text, (doc) => {
    const pub = seq(doc, 'published');
    const o: Record<string, unknown> = { channel: entry.channel, id: entry.id };
    if (entry.url) o.url = entry.url;
    o.at = entry.at;
    if (entry.hash) o.hash = entry.hash;
    if (entry.parts && entry.parts.length > 1) o.parts = entry.parts;
    if (entry.lintOverride?.length) o.lint_override = entry.lintOverride;
    const node = doc.createNode(o);
    const i = findIndex(pub, entry.channel);
    if (i >= 0) pub.items[i] = node;
    else pub.items.push(node);
    const intents = doc.get('publishing', true);
    if (isSeq(intents)) {
      const j = findIndex(intents, entry.channel);
      if (j >= 0) intents.items.splice(j, 1);
      if (intents.items.length === 0) doc.delete('publishing');
    }
    const done = new Set(pub.items.filter(isMap).map((m) => String(m.get('channel'))));
    if (allChannels.length && allChannels.every((c) => done.has(c))) doc.set('status', 'published');
  });
}

/**
 * Record that a post is published despite lint errors (top-level `lint_override:`, a list of
 * {at, rules, channels}), before anything is sent.
 */
export function addLintOverride(text: string, entry: { at: string; rules: string[]; channels: string[] }): string {
  return editFrontMatter(text, (doc) => {
    const s = seq(doc, 'lint_override');
    const node = doc.createNode({ at: entry.at, rules: entry.rules, channels: entry.channels });
    for (const k of ['rules', 'channels']) {
      const list = node.get(k, true);
      if (isSeq(list)) list.flow = true;
    }
    s.items.push(node);
  });
}

/** Write a file atomically (temp file + rename), so a crash never leaves half a ledger. */
export async function writeFileAtomic(file: string, text: string): Promise<void> {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${Date.now()}.tmp`);
  const fh = await fsp.open(tmp, 'w');
  try {
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
