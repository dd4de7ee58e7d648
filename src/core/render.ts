/**
 * Rendering a post's Markdown into the text each platform shows, and counting it the way the
 * platform counts. Shared by publishing, the editor's preview and the channel-length rule.
 */
import type { Nodes, PhrasingContent } from 'mdast';
import { Block, BlockEntry, parseBlocks } from './markdown';
import { blocksOf, ParsedPost, ThreadPart } from './post';
import type { Platform } from './types';

export interface RenderedPart {
  index: number;
  text: string;
  length: number;
  limit?: number;
  /** File offsets of the part's Markdown. */
  offset: number;
  endOffset: number;
}

const LIMITS: Partial<Record<Platform, number>> = { bluesky: 300, mastodon: 500, x: 280, linkedin: 3000 };

export function platformLimit(platform: Platform): number | undefined {
  return LIMITS[platform];
}

const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/**
 * Number of user-perceived characters (extended grapheme clusters). Between two ASCII
 * characters there is always a boundary (but for CR LF), so only the runs around non-ASCII
 * text go through Intl.Segmenter, which is slow; a plain-ASCII post costs one pass.
 */
export function graphemeCount(text: string): number {
  let n = 0;
  let i = 0;
  const len = text.length;
  while (i < len) {
    const c = text.charCodeAt(i);
    const next = i + 1 < len ? text.charCodeAt(i + 1) : 0;
    if (c < 0x80 && next < 0x80) {
      n++;
      i += c === 13 && next === 10 ? 2 : 1;
      continue;
    }
    // A run holding non-ASCII: it ends where two ASCII characters meet (not inside CR LF).
    let j = i + 1;
    while (j < len) {
      const a = text.charCodeAt(j);
      const b = j + 1 < len ? text.charCodeAt(j + 1) : 0;
      if (a < 0x80 && b < 0x80 && !(a === 10 && text.charCodeAt(j - 1) === 13)) break;
      j++;
    }
    n += segmentCount(text, i, j);
    i = j;
  }
  return n;
}

/** Code units handed to Intl.Segmenter at once: its cost per segment grows with the string's length. */
const SEGMENT_CHUNK = 256;

/**
 * Graphemes in text[from, to), in linear time. Intl.Segmenter is quadratic on one long string,
 * so it gets chunks; a chunk's last segment may be cut, so the next chunk starts where that
 * segment starts (a true boundary: segmentation from a boundary on is the same as from the
 * text's start). A cluster longer than a chunk (a letter with thousands of combining marks)
 * doubles the chunk until the cluster ends.
 */
function segmentCount(text: string, from: number, to: number): number {
  let n = 0;
  let i = from;
  let size = SEGMENT_CHUNK;
  while (i < to) {
    let end = Math.min(to, i + size);
    // Never cut a surrogate pair: a lone half would end the cut cluster early.
    if (end < to && (text.charCodeAt(end - 1) & 0xfc00) === 0xd800) end--;
    if (end === to) {
      for (const _ of segmenter.segment(text.slice(i, end))) n++;
      break;
    }
    let count = 0;
    let lastStart = 0;
    for (const s of segmenter.segment(text.slice(i, end))) {
      count++;
      lastStart = s.index;
    }
    if (count <= 1) {
      size *= 2;
      continue;
    }
    n += count - 1;
    i += lastStart;
    size = SEGMENT_CHUNK;
  }
  return n;
}

const URL_RE = /\bhttps?:\/\/[^\s<>()]+[^\s<>().,;:!?'"”’)]/gi;
// Mastodon counts a remote mention @user@domain as @user.
const REMOTE_MENTION = /(^|[^\w@])@(\w+)@[\w.-]+\w/g;

/** Length of `text` as the platform counts it. */
export function countLength(text: string, platform: Platform): number {
  switch (platform) {
    case 'bluesky':
      return graphemeCount(text);
    case 'mastodon': {
      // Mastodon: every URL counts as 23 characters, whatever its length.
      const t = text.replace(URL_RE, 'x'.repeat(23)).replace(REMOTE_MENTION, '$1@$2');
      return [...t].length;
    }
    case 'x':
      // Loaded only for X posts: twitter-text is a large module, and most runs never count for X.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      return (require('twitter-text') as typeof import('twitter-text')).parseTweet(text).weightedLength;
    case 'linkedin':
      return [...text].length;
    default:
      return graphemeCount(text);
  }
}

function inlineText(nodes: PhrasingContent[]): string {
  let out = '';
  for (const n of nodes) {
    switch (n.type) {
      case 'text':
        // A soft line break inside a paragraph is a space, as Markdown renders it; a hard break
        // (two trailing spaces or a backslash) stays a new line.
        out += n.value.replace(/[ \t]*\r?\n[ \t]*/g, ' ');
        break;
      case 'inlineCode':
        out += n.value;
        break;
      case 'emphasis':
      case 'strong':
      case 'delete':
        out += inlineText(n.children);
        break;
      case 'link': {
        const label = inlineText(n.children);
        const url = n.url;
        if (!label || label === url || url.endsWith(label) || url === `mailto:${label}`) out += url.startsWith('mailto:') ? label : url;
        else out += `${label} (${url})`;
        break;
      }
      case 'linkReference':
        out += inlineText(n.children);
        break;
      case 'image':
        break;
      case 'break':
        out += '\n';
        break;
      case 'html':
        break;
      default:
        break;
    }
  }
  return out;
}

function blockText(node: Nodes, depth = 0): string {
  switch (node.type) {
    case 'root':
      return node.children.map((c) => blockText(c, depth)).filter((s) => s !== '').join('\n\n');
    case 'paragraph':
    case 'heading':
      return inlineText(node.children).trim();
    case 'blockquote':
      return node.children.map((c) => blockText(c, depth)).filter(Boolean).join('\n\n').split('\n').map((l) => `> ${l}`).join('\n');
    case 'list':
      return node.children
        .map((item, i) => {
          const bullet = node.ordered ? `${(node.start ?? 1) + i}.` : '•';
          const inner = item.children.map((c) => blockText(c, depth + 1)).filter(Boolean).join('\n');
          return `${'  '.repeat(depth)}${bullet} ${inner}`;
        })
        .join('\n');
    case 'code':
      return node.value;
    case 'thematicBreak':
    case 'html':
    case 'yaml':
    case 'definition':
      return '';
    case 'table':
      return node.children.map((row) => row.children.map((c) => inlineText(c.children)).join(' | ')).join('\n');
    default:
      return 'children' in node ? (node.children as Nodes[]).map((c) => blockText(c, depth)).join('') : 'value' in node ? String(node.value) : '';
  }
}

const renderedMemo = new WeakMap<BlockEntry, string>();
function renderedBlock(entry: BlockEntry): string {
  let text = renderedMemo.get(entry);
  if (text === undefined) renderedMemo.set(entry, (text = blockText(entry.root)));
  return text;
}

function joinBlocks(blocks: Block[]): string {
  return blocks
    .map((b) => renderedBlock(b.entry))
    .filter((t) => t !== '')
    .join('\n\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** Plain text of some Markdown (one thread part), as a platform shows it. */
export function renderMarkdown(markdown: string): string {
  return joinBlocks(parseBlocks(markdown));
}

export function renderPart(part: ThreadPart, platform: Platform, limit?: number, blocks?: Block[]): RenderedPart {
  const text = blocks ? joinBlocks(blocks.filter((b) => b.start >= part.offset && b.start < part.endOffset)) : renderMarkdown(part.text);
  return { index: part.index, text, length: countLength(text, platform), limit: limit ?? platformLimit(platform), offset: part.offset, endOffset: part.endOffset };
}

/** Every thread part of a post rendered for a platform (limit: the channel's override, if any). */
export function renderParts(post: ParsedPost, platform: Platform, limit?: number): RenderedPart[] {
  const blocks = blocksOf(post);
  return post.parts.map((p) => renderPart(p, platform, limit, blocks));
}
