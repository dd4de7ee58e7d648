/**
 * Rendering a post's Markdown into the text each platform shows, and counting it the way the
 * platform counts. Shared by publishing, the editor's preview and the channel-length rule.
 */
import type { Nodes, PhrasingContent } from 'mdast';
import * as twitter from 'twitter-text';
import { parseMarkdown } from './markdown';
import type { ParsedPost, ThreadPart } from './post';
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

export function graphemeCount(text: string): number {
  let n = 0;
  for (const _ of segmenter.segment(text)) n++;
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
      return twitter.parseTweet(text).weightedLength;
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

/** Plain text of one thread part, as a platform shows it. */
export function renderMarkdown(markdown: string): string {
  return blockText(parseMarkdown(markdown)).replace(/\n{3,}/g, '\n\n').trim();
}

export function renderPart(part: ThreadPart, platform: Platform, limit?: number): RenderedPart {
  const text = renderMarkdown(part.text);
  return { index: part.index, text, length: countLength(text, platform), limit: limit ?? platformLimit(platform), offset: part.offset, endOffset: part.endOffset };
}

/** Every thread part of a post rendered for a platform (limit: the channel's override, if any). */
export function renderParts(post: ParsedPost, platform: Platform, limit?: number): RenderedPart[] {
  return post.parts.map((p) => renderPart(p, platform, limit));
}
