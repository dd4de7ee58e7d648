/**
 * Rendering a post's Markdown into the text each platform shows, counted the way the platform
 * counts (platforms.ts). `renderChannel` is the one "this post on this channel, with its limit":
 * the channel-length rule, the editor's status bar and preview, and the publisher all use it.
 */
import type { Nodes, PhrasingContent } from 'mdast';
import { Block, BlockEntry, parseBlockRoot, parseBlocks } from './markdown';
import { blocksOf, ParsedPost, ThreadPart } from './post';
import { countLength, platformLimit, platformName } from './platforms';
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
      return node.children
        .map((c) => blockText(c, depth))
        .filter((s) => s !== '')
        .join('\n\n');
    case 'paragraph':
    case 'heading':
      return inlineText(node.children).trim();
    case 'blockquote':
      return node.children
        .map((c) => blockText(c, depth))
        .filter(Boolean)
        .join('\n\n')
        .split('\n')
        .map((l) => `> ${l}`)
        .join('\n');
    case 'list':
      return node.children
        .map((item, i) => {
          const bullet = node.ordered ? `${(node.start ?? 1) + i}.` : '•';
          const inner = item.children
            .map((c) => blockText(c, depth + 1))
            .filter(Boolean)
            .join('\n');
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
      return 'children' in node
        ? (node.children as Nodes[]).map((c) => blockText(c, depth)).join('')
        : 'value' in node
          ? String(node.value)
          : '';
  }
}

const renderedMemo = new WeakMap<BlockEntry, string>();
function renderedBlock(entry: BlockEntry): string {
  let text = renderedMemo.get(entry);
  if (text === undefined) renderedMemo.set(entry, (text = blockText(entry.root)));
  return text;
}

function joinRendered(texts: string[]): string {
  return texts
    .filter((t) => t !== '')
    .join('\n\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

function joinBlocks(blocks: Block[]): string {
  return joinRendered(blocks.map((b) => renderedBlock(b.entry)));
}

/**
 * What `renderMarkdown(text.slice(blocks[0].start, cut))` gives, for a cut inside or at the end of
 * the last block, without parsing the whole blocks again: they render from their cached parse, and
 * only the cut block's beginning is parsed (and not cached: it is a throw-away text).
 */
export function renderBlocksCut(blocks: Block[], text: string, cut: number): string {
  const last = blocks[blocks.length - 1];
  if (!last || cut >= last.end) return joinBlocks(blocks);
  const whole = blocks.slice(0, -1).map((b) => renderedBlock(b.entry));
  if (cut <= last.start) return joinRendered(whole);
  const cutText = paragraphTextBefore(last.entry, cut - last.start) ?? blockText(parseBlockRoot(text.slice(last.start, cut)));
  return joinRendered([...whole, cutText]);
}

/** A cut that ends a sentence: after sentence punctuation (or a closing quote or bracket after it), before white space. */
const CUT_BEFORE = /[.!?…"”’)\]]/;
const CUT_AT = /[ \t\r\n]/;

/**
 * What parsing `entry.text.slice(0, cut)` and rendering it gives, read from the block's cached
 * parse instead, when that is sure to be the same; undefined when it is not (then the caller parses).
 * Sure only for a block that is one paragraph (no definitions, no other blocks), cut after
 * sentence punctuation and before white space (so no delimiter run's flanking changes), where
 * every inline node before the cut ends before it and the one the cut falls in, if any, is a
 * text node whose value is its source: Markdown's inline constructs before the cut pair up the
 * same without the rest, and a construct reaching past the cut (emphasis, a link, code, HTML)
 * is not text, so it goes to the parser. Not for a paragraph that starts with `[`: its start can
 * be a link reference definition once the rest is cut off. Property-tested against the parse
 * (render.test.ts).
 */
export function paragraphTextBefore(entry: BlockEntry, cut: number): string | undefined {
  const src = entry.text;
  if (entry.oversized || cut <= 0 || cut >= src.length || !CUT_BEFORE.test(src[cut - 1]) || !CUT_AT.test(src[cut])) return undefined;
  const kids = entry.root.children;
  if (kids.length !== 1 || kids[0].type !== 'paragraph' || /^\s*\[/.test(src)) return undefined;
  const kept: PhrasingContent[] = [];
  for (const c of kids[0].children) {
    const s = c.position?.start.offset;
    const e = c.position?.end.offset;
    if (s === undefined || e === undefined) return undefined;
    if (e <= cut) kept.push(c);
    else if (s >= cut) break;
    else if (c.type === 'text' && src.slice(s, e) === c.value) {
      kept.push({ type: 'text', value: c.value.slice(0, cut - s) });
      break;
    } else return undefined;
  }
  return inlineText(kept).trim();
}

/** Plain text of some Markdown (one thread part), as a platform shows it. */
export function renderMarkdown(markdown: string): string {
  return joinBlocks(parseBlocks(markdown));
}

export function renderPart(part: ThreadPart, platform: Platform, limit?: number, blocks?: Block[]): RenderedPart {
  const text = blocks ? joinBlocks(blocks.filter((b) => b.start >= part.offset && b.start < part.endOffset)) : renderMarkdown(part.text);
  return {
    index: part.index,
    text,
    length: countLength(text, platform),
    limit: limit ?? platformLimit(platform),
    offset: part.offset,
    endOffset: part.endOffset,
  };
}

/** Every thread part of a post rendered for a platform (limit: the channel's override, if any). */
export function renderParts(post: ParsedPost, platform: Platform, limit?: number): RenderedPart[] {
  const blocks = blocksOf(post);
  return post.parts.map((p) => renderPart(p, platform, limit, blocks));
}

/** What rendering needs of a channel (a playbook `Channel` is one). */
export interface ChannelLike {
  id: string;
  platform: Platform;
  /** The channel's own limit, overriding the platform's. */
  limit?: number;
}

/** A post as one channel shows it. */
export interface ChannelRendering {
  channel: string;
  platform: Platform;
  /** The platform's display name ("Bluesky"). */
  name: string;
  /** The channel's limit, else the platform's; undefined when neither has one. */
  limit?: number;
  parts: RenderedPart[];
  /** Some part is longer than the limit. */
  over: boolean;
}

/** A channel's limit: its own, else its platform's; undefined when neither has one. */
export function channelLimit(channel: Pick<ChannelLike, 'platform' | 'limit'>): number | undefined {
  return channel.limit ?? platformLimit(channel.platform);
}

/** The post rendered for one channel: every thread part, its length as the platform counts, the limit. */
export function renderChannel(post: ParsedPost, channel: ChannelLike): ChannelRendering {
  const limit = channelLimit(channel);
  const parts = renderParts(post, channel.platform, limit);
  return {
    channel: channel.id,
    platform: channel.platform,
    name: platformName(channel.platform),
    limit,
    parts,
    over: limit !== undefined && parts.some((p) => p.length > limit),
  };
}

/** The post on each of its channels that `channels` declares, in the post's order (unknown ids left out). */
export function renderChannels(post: ParsedPost, channels: ReadonlyMap<string, ChannelLike>): ChannelRendering[] {
  const out: ChannelRendering[] = [];
  for (const id of post.meta.channels) {
    const c = channels.get(id);
    if (c) out.push(renderChannel(post, c));
  }
  return out;
}
