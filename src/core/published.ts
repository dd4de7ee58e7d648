/**
 * The one reader of a post's `published:` front matter (what went out where), for the post model
 * (post.ts: the burst rule, the editor's lens) and the publisher's ledger (publish/ledger.ts).
 * An entry without a string `channel` is skipped; `url` and `hash` are kept only as strings (the
 * publisher writes them so); every id is read as a string.
 */
import { show } from './text';
import type { PublishedEntry } from './types';

/** A `published:` entry with the lint override recorded beside it, if any. */
export interface PublishedRecord extends PublishedEntry {
  lintOverride?: string[];
}

/** A YAML list as strings (anything else: empty). */
export function strList(v: unknown): string[] {
  return Array.isArray(v) ? v.map((x) => String(x)) : [];
}

/** Read a front-matter `published:` value (anything YAML gave) into its entries. */
export function parsePublished(value: unknown): PublishedRecord[] {
  const out: PublishedRecord[] = [];
  for (const e of Array.isArray(value) ? value : []) {
    if (!e || typeof e !== 'object') continue;
    const r = e as Record<string, unknown>;
    if (typeof r.channel !== 'string') continue;
    const entry: PublishedRecord = {
      channel: r.channel,
      id: show(r.id ?? ''),
      url: typeof r.url === 'string' ? r.url : undefined,
      at: show(r.at ?? ''),
      hash: typeof r.hash === 'string' ? r.hash : undefined,
      parts: Array.isArray(r.parts) ? strList(r.parts) : undefined,
    };
    if (Array.isArray(r.lint_override)) entry.lintOverride = strList(r.lint_override);
    out.push(entry);
  }
  return out;
}
