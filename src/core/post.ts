/**
 * A post draft: YAML front matter (title, channels, status, publish_at …) and a Markdown body.
 * A line holding only `---` in the body splits the post into thread parts.
 */
import { LRUCache } from 'lru-cache';
import { readFrontMatter, FrontMatter } from './frontmatter';
import { Block, isThreadBreak, onClearParseCache, parseBlocks, scanLines } from './markdown';
import { parsePublished } from './published';
import type { PublishedEntry } from './types';

export interface PostMeta {
  title?: string;
  channels: string[];
  /** A PostStatus, or what the writer wrote when it is none (the front-matter rule reports it). */
  status?: string;
  publishAt?: Date;
  publishAtRaw?: string;
  campaign?: string;
  author?: string;
  occasion?: boolean;
  reviewedAt?: Date;
  reviewedAtRaw?: string;
  published: PublishedEntry[];
}

export interface ThreadPart {
  index: number;
  /** Markdown of the part. */
  text: string;
  /** File offsets of the part. */
  offset: number;
  endOffset: number;
}

export interface ParsedPost {
  file: string;
  text: string;
  frontMatter?: FrontMatter;
  meta: PostMeta;
  bodyOffset: number;
  body: string;
  parts: ThreadPart[];
}

/** ISO 8601 date-time with an explicit offset (Z or ±hh:mm). */
const ISO_WITH_OFFSET = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;

/** Parse an ISO 8601 date-time that carries an offset; undefined when it is not one or not a real date. */
export function parseIsoWithOffset(raw: unknown): Date | undefined {
  if (raw instanceof Date) return isNaN(raw.getTime()) ? undefined : raw;
  if (typeof raw !== 'string') return undefined;
  const m = ISO_WITH_OFFSET.exec(raw.trim());
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s] = m;
  const month = Number(mo);
  const day = Number(d);
  if (month < 1 || month > 12 || day < 1 || Number(h) > 23 || Number(mi) > 59 || Number(s ?? 0) > 59) return undefined;
  const daysIn = new Date(Date.UTC(Number(y), month, 0)).getUTCDate();
  if (day > daysIn) return undefined;
  const date = new Date(raw.trim().replace(' ', 'T'));
  return isNaN(date.getTime()) ? undefined : date;
}

/** Split a body into thread parts at lines holding only `---` (not inside fenced code or a comment). */
export function splitThread(body: string, bodyOffset: number): ThreadPart[] {
  const parts: ThreadPart[] = [];
  let partStart = 0;
  scanLines(body, 0, body.length, (line, pos, nl, outside) => {
    if (!outside || !isThreadBreak(line)) return;
    parts.push({ index: parts.length, text: body.slice(partStart, pos), offset: bodyOffset + partStart, endOffset: bodyOffset + pos });
    partStart = Math.min(nl + 1, body.length);
  });
  parts.push({ index: parts.length, text: body.slice(partStart), offset: bodyOffset + partStart, endOffset: bodyOffset + body.length });
  // Empty parts (a trailing or doubled break) are not posts of their own.
  const kept = parts.filter((p) => p.text.trim().length > 0);
  return kept.map((p, index) => ({ ...p, index }));
}

function str(v: unknown): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return undefined;
}

/**
 * Posts parsed, by text: a lint reads each post twice (the workspace index, then the lint of it)
 * from the same text, and the second read gets the first's ParsedPost, with its blocks, instead
 * of parsing the front matter and splitting the body again. As many as the block cache holds
 * blocks (markdown.ts); the texts are mostly held by those blocks already. Treat it as read-only.
 */
const postCache = new LRUCache<string, ParsedPost>({
  max: 30_000,
  maxSize: 32 * 1024 * 1024,
  maxEntrySize: 1024 * 1024,
  sizeCalculation: (_post, text) => text.length + 1,
});
onClearParseCache(() => postCache.clear());

/** The post's front matter, metadata and thread parts (cached by file and text; treat it as read-only). */
export function parsePost(file: string, text: string): ParsedPost {
  const hit = postCache.get(text);
  if (hit && hit.file === file) return hit;
  const post = parsePostUncached(file, text);
  postCache.set(text, post);
  return post;
}

function parsePostUncached(file: string, text: string): ParsedPost {
  const fm = readFrontMatter(text);
  const data = fm?.data ?? {};
  const channelsRaw = data.channels;
  const channels = Array.isArray(channelsRaw)
    ? channelsRaw.filter((c) => typeof c === 'string' || typeof c === 'number').map((c) => String(c))
    : typeof channelsRaw === 'string'
      ? channelsRaw
          .split(',')
          .map((c) => c.trim())
          .filter(Boolean)
      : [];
  const publishAtRaw = str(data.publish_at);
  const reviewedAtRaw = str(data.reviewed_at);
  const meta: PostMeta = {
    title: str(data.title),
    channels,
    status: str(data.status),
    publishAt: parseIsoWithOffset(data.publish_at),
    publishAtRaw,
    campaign: str(data.campaign),
    author: str(data.author),
    occasion: data.occasion === true,
    reviewedAt: parseIsoWithOffset(data.reviewed_at) ?? parseDateOnly(data.reviewed_at),
    reviewedAtRaw,
    published: parsePublished(data.published),
  };
  const bodyOffset = fm ? fm.end : 0;
  const body = text.slice(bodyOffset);
  return { file, text, frontMatter: fm, meta, bodyOffset, body, parts: splitThread(body, bodyOffset) };
}

/** `reviewed_at` may be a plain date (the end of that day, UTC, is assumed not to be needed: start of day). */
function parseDateOnly(raw: unknown): Date | undefined {
  if (typeof raw !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(raw.trim())) return undefined;
  const d = new Date(`${raw.trim()}T00:00:00Z`);
  return isNaN(d.getTime()) ? undefined : d;
}

const blocksCache = new WeakMap<ParsedPost, Block[]>();

/** The post body parsed block by block (cached per post; blocks are cached by their text). */
export function blocksOf(post: ParsedPost): Block[] {
  let blocks = blocksCache.get(post);
  if (!blocks) {
    blocks = parseBlocks(post.text, post.bodyOffset);
    blocksCache.set(post, blocks);
  }
  return blocks;
}
