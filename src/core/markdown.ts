/**
 * Markdown parsing (unified + remark-parse + remark-frontmatter + remark-gfm) and the
 * extraction of the prose a voice rule may read: paragraphs, headings, list items and table
 * cells, with a map from every character back to its offset in the file. Front matter, code,
 * URLs, HTML and block quotes (other people's words) are left out.
 */
import { unified } from 'unified';
import remarkParse from 'remark-parse';
import remarkFrontmatter from 'remark-frontmatter';
import remarkGfm from 'remark-gfm';
import type { Root, RootContent, PhrasingContent, Nodes } from 'mdast';
import { LRUCache } from 'lru-cache';
import { MAX_BLOCK_CHARS } from './limits';

const processor = unified().use(remarkParse).use(remarkFrontmatter, ['yaml']).use(remarkGfm);
/** Post bodies: bare remark-parse. Front matter is split off before, and bare URLs are found below. */
const bodyProcessor = unified().use(remarkParse);

/** A whole file with front matter and GFM tables (the playbook). */
export function parseMarkdown(text: string): Root {
  return processor.parse(text);
}

/** Playbook files up to this size are parsed whole; larger ones block by block (parsePlaybookMarkdown). */
export const PLAYBOOK_WHOLE_PARSE_CHARS = 64 * 1024;
/** In a large playbook, a block (not a plain list) beyond this is not parsed: an error at its line. */
export const MAX_PLAYBOOK_BLOCK_CHARS = 16 * 1024;

const BULLET_LINE = /^([-*+]) +\S/;
const CONTINUATION_LINE = /^ {2,}\S/;
const THEMATIC = /^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$/;

/**
 * A block that is nothing but a bullet list: every line a top-level item with the one marker, or
 * an indented continuation of one. The playbook reads such a list only by its items' source
 * ranges, so a large playbook's long lists need no parser (remark's cost on them is the 2 MiB
 * playbook's out-of-memory crash).
 */
function plainListItems(text: string, base: number): { start: number; end: number }[] | undefined {
  const items: { start: number; end: number }[] = [];
  let marker: string | undefined;
  let pos = 0;
  while (pos < text.length) {
    let nl = text.indexOf('\n', pos);
    if (nl === -1) nl = text.length;
    let e = nl;
    while (e > pos && /\s/.test(text[e - 1])) e--;
    const line = text.slice(pos, e);
    const b = BULLET_LINE.exec(line);
    if (b && !THEMATIC.test(line)) {
      if (marker && b[1] !== marker) return undefined;
      marker = b[1];
      items.push({ start: base + pos, end: base + e });
    } else if (items.length && CONTINUATION_LINE.test(line) && !/^ {2,}([-*+]|\d{1,9}[.)])( |$)/.test(line)) {
      items[items.length - 1].end = base + e;
    } else return undefined;
    pos = nl + 1;
  }
  return items.length ? items : undefined;
}

function shiftPositions(node: Nodes, offset: number, lines: number): void {
  const p = node.position;
  if (p) {
    p.start = { ...p.start, offset: (p.start.offset ?? 0) + offset, line: p.start.line + lines };
    p.end = { ...p.end, offset: (p.end.offset ?? 0) + offset, line: p.end.line + lines };
  }
  if ('children' in node) for (const c of node.children as Nodes[]) shiftPositions(c, offset, lines);
}

/**
 * A playbook file's tree. Small files (every real playbook) are parsed whole. A large one is
 * parsed block by block from `bodyStart`: plain bullet lists are built directly, other blocks
 * go to the parser one at a time, and a block too large for it is reported through `tooBig`
 * and left out. Cost and memory grow linearly with the file.
 */
export function parsePlaybookMarkdown(text: string, bodyStart: number, tooBig: (offset: number, chars: number) => void): Root {
  if (text.length <= PLAYBOOK_WHOLE_PARSE_CHARS) return parseMarkdown(text);
  const root: Root = { type: 'root', children: [] };
  let line = 1;
  let counted = 0;
  const lineAt = (offset: number) => {
    for (let i = text.indexOf('\n', counted); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) line++;
    counted = offset;
    return line;
  };
  const point = (offset: number) => {
    const l = lineAt(offset);
    return { line: l, column: offset - (text.lastIndexOf('\n', offset - 1) + 1) + 1, offset };
  };
  for (const { start, end } of splitBlocks(text, bodyStart, text.length, false)) {
    const slice = text.slice(start, end);
    const items = plainListItems(slice, start);
    if (items) {
      const children = items.map((it) => {
        const position = { start: point(it.start), end: point(it.end) };
        return { type: 'listItem' as const, spread: false, checked: null, position, children: [] };
      });
      root.children.push({
        type: 'list',
        ordered: false,
        spread: false,
        start: null,
        children,
        position: { start: children[0].position.start, end: children[children.length - 1].position.end },
      });
      continue;
    }
    if (slice.length > MAX_PLAYBOOK_BLOCK_CHARS) {
      tooBig(start, slice.length);
      continue;
    }
    const startLine = lineAt(start);
    const sub = processor.parse(slice);
    for (const c of sub.children) {
      shiftPositions(c, start, startLine - 1);
      root.children.push(c);
    }
  }
  return root;
}

/** A run of prose with the file offset of each of its characters. */
export interface Segment {
  text: string;
  /** offsets[i] is the file offset of text[i]; offsets[text.length] is the end. */
  offsets: number[];
  /** Node type the segment came from (paragraph, heading, tableCell). */
  kind: string;
  start: number;
  end: number;
}

export interface Comment {
  value: string;
  start: number;
  end: number;
  /** An HTML comment with no `-->`: Markdown hides everything after it. */
  unclosed?: boolean;
}

export interface Extracted {
  segments: Segment[];
  /** HTML comments (inline control). */
  comments: Comment[];
  /** Ranges that are links, as [start, end, url]. */
  links: { start: number; end: number; url: string; bare: boolean }[];
  blockquotes: { start: number; end: number }[];
}

class SegmentBuilder {
  text = '';
  offsets: number[] = [];
  /**
   * Append a text node's value, mapping each character to its source offset. The value can
   * differ from the source: remark drops indentation of continuation lines, decodes character
   * references (`&amp;`) and removes backslash escapes. Walk both in step so every character
   * keeps its true offset (a fix must never land on the wrong characters).
   */
  push(value: string, start: number, end: number, source: string): void {
    if (source.slice(start, end) === value) {
      for (let i = 0; i < value.length; i++) this.offsets.push(start + i);
      this.text += value;
      return;
    }
    let j = start;
    const entityEnd = (at: number): number => {
      if (source[at] !== '&') return -1;
      const semi = source.indexOf(';', at);
      return semi > at && semi - at <= 32 && /^&(#\d+|#x[\da-f]+|[a-z][a-z\d]*);$/i.test(source.slice(at, semi + 1)) ? semi + 1 : -1;
    };
    for (let i = 0; i < value.length; i++) {
      const v = value[i];
      // Skip what remark dropped: indentation, quote markers, escape backslashes, CR.
      while (
        j < end &&
        source[j] !== v &&
        entityEnd(j) < 0 &&
        (source[j] === '\\' || source[j] === ' ' || source[j] === '\t' || source[j] === '>' || source[j] === '\r')
      )
        j++;
      const ent = j < end ? entityEnd(j) : -1;
      if (ent > 0) {
        // A character reference (`&amp;`) stands for this character.
        this.offsets.push(j);
        j = ent;
      } else {
        this.offsets.push(Math.min(j, Math.max(start, end - 1)));
        if (j < end) j++;
      }
      this.text += v;
    }
  }
  gap(at: number): void {
    this.text += ' ';
    this.offsets.push(at);
  }
}

const BARE_URL = /\b(?:https?:\/\/|www\.|(?:[a-z0-9-]+\.)+[a-z]{2,}\/)[^\s<>]*[^\s<>.,;:!?'"”’)\]]/gi;

function isBareLink(node: { url: string; children: PhrasingContent[] }): boolean {
  if (node.children.length !== 1 || node.children[0].type !== 'text') return false;
  const t = node.children[0].value;
  return t === node.url || node.url === `mailto:${t}` || node.url.endsWith(t) || /^(https?:\/\/|www\.)/i.test(t);
}

/** Extract lintable prose from a parsed Markdown tree. */
export function extractProse(root: Root, source: string): Extracted {
  const out: Extracted = { segments: [], comments: [], links: [], blockquotes: [] };

  let b: SegmentBuilder = new SegmentBuilder();
  // Without GFM, bare URLs are plain text: find them here, keep them out of the prose.
  const pushText = (value: string, start: number, end: number): void => {
    const exact = source.slice(start, end) === value;
    BARE_URL.lastIndex = 0;
    let last = 0;
    let m: RegExpExecArray | null;
    while (exact && (m = BARE_URL.exec(value)) !== null) {
      if (m.index > last) b.push(value.slice(last, m.index), start + last, start + m.index, source);
      out.links.push({
        start: start + m.index,
        end: start + m.index + m[0].length,
        url: m[0].startsWith('www.') ? `http://${m[0]}` : m[0],
        bare: true,
      });
      b.gap(start + m.index);
      last = m.index + m[0].length;
    }
    if (last === 0) b.push(value, start, end, source);
    else if (last < value.length) b.push(value.slice(last), start + last, end, source);
  };

  const inline = (nodes: PhrasingContent[]): void => {
    for (const node of nodes) {
      const start = node.position?.start.offset ?? 0;
      const end = node.position?.end.offset ?? start;
      switch (node.type) {
        case 'text':
          pushText(node.value, start, end);
          break;
        case 'emphasis':
        case 'strong':
        case 'delete':
          inline(node.children);
          break;
        case 'link': {
          const bare = isBareLink(node);
          out.links.push({ start, end, url: node.url, bare });
          if (bare) b.gap(start);
          else inline(node.children);
          break;
        }
        case 'linkReference':
          inline(node.children);
          break;
        case 'break':
          b.push('\n', start, end, source);
          break;
        case 'html':
          if (node.value.startsWith('<!--')) out.comments.push({ value: node.value, start, end });
          b.gap(start);
          break;
        default:
          // inlineCode, image, footnoteReference …: not prose.
          b.gap(start);
      }
    }
  };

  const block = (node: Nodes, inQuote: boolean): void => {
    const start = node.position?.start.offset ?? 0;
    const end = node.position?.end.offset ?? start;
    switch (node.type) {
      case 'yaml':
      case 'code':
        return;
      case 'html':
        if (node.value.trimStart().startsWith('<!--')) {
          // One HTML node may hold several comments; keep each with its own range.
          const re = /<!--[\s\S]*?-->/g;
          let m: RegExpExecArray | null;
          let last = 0;
          while ((m = re.exec(node.value)) !== null) {
            out.comments.push({ value: m[0], start: start + m.index, end: start + m.index + m[0].length });
            last = m.index + m[0].length;
          }
          const open = node.value.indexOf('<!--', last);
          if (open >= 0) out.comments.push({ value: node.value.slice(open), start: start + open, end, unclosed: true });
        }
        return;
      case 'blockquote':
        out.blockquotes.push({ start, end });
        for (const child of node.children) block(child, true);
        return;
      case 'paragraph':
      case 'heading':
      case 'tableCell': {
        b = new SegmentBuilder();
        inline(node.children);
        if (!inQuote && b.text.trim()) {
          b.offsets.push(end);
          out.segments.push({ text: b.text, offsets: b.offsets, kind: node.type, start, end });
        }
        return;
      }
      default:
        if ('children' in node) for (const child of node.children as RootContent[]) block(child, inQuote);
    }
  };

  block(root, false);
  return out;
}

/**
 * A top-level chunk of a post body, parsed on its own and cached by its text. Values computed
 * from it above this layer (tokens, rendered text, sentence keys) are memoised by the modules
 * that compute them, in WeakMaps keyed by the entry.
 */
export interface BlockEntry {
  text: string;
  /** Parsed with offsets relative to the block. */
  root: Root;
  prose: Extracted;
  /** Over MAX_BLOCK_CHARS: not parsed, read as one plain paragraph. */
  oversized?: boolean;
}

export interface Block {
  start: number;
  end: number;
  entry: BlockEntry;
}

/**
 * Blocks kept parsed (about 12 KB each with their memos, so at most about 360 MB): enough for a
 * thread's share of a 50,000-post workspace to be parsed once, not twice (20,000 left 50,000 small
 * posts at 10.9 s on this machine; 30,000 takes 8.7–9.4 s at the same peak memory).
 */
const BLOCK_CACHE_MAX = 30_000;
/**
 * Least recently used first out. (lru-cache, not a Map with `delete(keys().next())`: V8's Map
 * keeps deleted slots at its front until it rehashes, so that eviction scans them every time,
 * about 12 µs an insert at 20,000 entries.)
 */
const blockCache = new LRUCache<string, BlockEntry>({ max: BLOCK_CACHE_MAX });

/** Caches above this module (post.ts's parsed posts) that clearParseCache empties too. */
const clearers: (() => void)[] = [];
export function onClearParseCache(clear: () => void): void {
  clearers.push(clear);
}

/** Forget every cached parse (benchmarks use this to measure a cold run honestly). */
export function clearParseCache(): void {
  blockCache.clear();
  for (const clear of clearers) clear();
}

/** Characters that can start or change Markdown syntax anywhere in a line. */
const SYNTAX_CHAR = /[\\`*_[\]<>&~|\r\t]|!\[| {2}\n|\n\s*\n/;
/** A line start that can open a block construct: heading, quote, list, code, HTML, setext/thematic lines, tables. */
const SYNTAX_LINE_START = /(^|\n) {0,3}([-+*>#=|<`~]|\d{1,9}[.)])|^ {4}/;

/**
 * A block of plain prose: no character that Markdown treats as syntax, no line that opens a
 * block construct. Such a block parses to one paragraph holding one text node (each line
 * trimmed), so it needs no parser; anything else goes to remark-parse. The equivalence is
 * property-tested against remark-parse (markdown.test.ts).
 */
export function isPlainBlock(text: string): boolean {
  return text.trim() !== '' && !SYNTAX_CHAR.test(text) && !SYNTAX_LINE_START.test(text) && !/\s$/.test(text) && !/^[ ]*\n/.test(text);
}

/** The tree remark-parse gives a plain block, built directly. */
export function plainBlockRoot(text: string): Root {
  const lead = text.length - text.trimStart().length;
  const end = text.length;
  const value = text
    .slice(lead)
    .split('\n')
    .map((l) => l.trim())
    .join('\n');
  const pos = (offset: number) => {
    let line = 1;
    for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) line++;
    return { line, column: offset - (offset === 0 ? 0 : text.lastIndexOf('\n', offset - 1) + 1) + 1, offset };
  };
  const position = { start: pos(lead), end: pos(end) };
  return {
    type: 'root',
    children: [{ type: 'paragraph', children: [{ type: 'text', value, position }], position }],
    position: { start: pos(0), end: pos(end) },
  };
}

/** Prose of a plain block: the whole text, each character at its own offset. */
function plainProse(text: string): Extracted {
  const out: Extracted = { segments: [], comments: [], links: [], blockquotes: [] };
  const b = new SegmentBuilder();
  const lead = text.length - text.trimStart().length;
  BARE_URL.lastIndex = 0;
  let last = lead;
  let m: RegExpExecArray | null;
  while ((m = BARE_URL.exec(text)) !== null) {
    if (m.index > last) b.push(text.slice(last, m.index), last, m.index, text);
    out.links.push({ start: m.index, end: m.index + m[0].length, url: m[0].startsWith('www.') ? `http://${m[0]}` : m[0], bare: true });
    b.gap(m.index);
    last = m.index + m[0].length;
  }
  if (last < text.length) b.push(text.slice(last), last, text.length, text);
  b.offsets.push(text.length);
  out.segments.push({ text: b.text, offsets: b.offsets, kind: 'paragraph', start: lead, end: text.length });
  return out;
}

/** The tree of one block, parsed now and not cached (a throw-away text, such as a prefix of a block). */
export function parseBlockRoot(text: string): Root {
  // Never hand the parser a block it is slow on: past the cap, the block is plain text.
  return isPlainBlock(text) || text.length > MAX_BLOCK_CHARS ? plainBlockRoot(text) : bodyProcessor.parse(text);
}

function blockEntry(text: string): BlockEntry {
  let entry = blockCache.get(text);
  if (entry) return entry;
  if (isPlainBlock(text)) {
    entry = { text, root: plainBlockRoot(text), prose: plainProse(text) };
  } else if (text.length > MAX_BLOCK_CHARS) {
    entry = { text, root: plainBlockRoot(text), prose: plainProse(text), oversized: true };
  } else {
    const root = bodyProcessor.parse(text);
    entry = { text, root, prose: extractProse(root, text) };
  }
  blockCache.set(text, entry);
  return entry;
}

const FENCE_LINE = /^ {0,3}(`{3,}|~{3,})/;
const BREAK_LINE = /^ {0,3}---[ \t]*$/;

/** A line holding only `---` (up to three spaces before it): a thread break where it stands outside code and comments. */
export function isThreadBreak(line: string): boolean {
  return BREAK_LINE.test(line);
}

/**
 * Walk the lines of text[from, to) as Markdown's block structure sees them, the one scanner
 * behind block splitting and thread splitting. `visit` gets each line (without its line break),
 * where it starts, where its line break is, and whether it starts outside fenced code and outside
 * an HTML comment (only there do a blank line and a `---` line mean anything). A fence line inside
 * a comment is comment text, as in CommonMark, not the start of code.
 */
export function scanLines(
  text: string,
  from: number,
  to: number,
  visit: (line: string, start: number, lineEnd: number, outside: boolean) => void,
): void {
  let fence: string | undefined;
  let inComment = false;
  let pos = from;
  while (pos < to) {
    let nl = text.indexOf('\n', pos);
    if (nl === -1 || nl > to) nl = to;
    const line = text.slice(pos, nl > pos && text.charCodeAt(nl - 1) === 13 ? nl - 1 : nl);
    visit(line, pos, nl, !fence && !inComment);
    const f = FENCE_LINE.exec(line);
    if (f && !inComment) {
      if (!fence) fence = f[1][0];
      else if (f[1][0] === fence) fence = undefined;
    } else if (!fence) {
      const open = line.lastIndexOf('<!--');
      const close = line.lastIndexOf('-->');
      if (open >= 0 && close < open) inComment = true;
      else if (inComment && close >= 0) inComment = false;
    }
    pos = nl + 1;
  }
}

/**
 * Split text[from, to) into blocks at blank lines and thread breaks (`---` lines), never inside
 * fenced code or an open HTML comment. Each block is Markdown that parses the same on its own,
 * which lets an edit re-parse just the block it touched.
 */
export function splitBlocks(text: string, from = 0, to = text.length, threadBreaks = true): { start: number; end: number }[] {
  const out: { start: number; end: number }[] = [];
  let blockStart = -1;
  let blockEnd = -1;
  scanLines(text, from, to, (line, pos, nl, outside) => {
    if (outside && (line.trim() === '' || (threadBreaks && isThreadBreak(line)))) {
      if (blockStart >= 0) out.push({ start: blockStart, end: blockEnd });
      blockStart = -1;
      return;
    }
    if (blockStart < 0) blockStart = pos;
    // Trailing white space at a block's end means nothing in Markdown: leave it out.
    let e = nl;
    while (e > pos && (text.charCodeAt(e - 1) === 32 || text.charCodeAt(e - 1) === 9 || text.charCodeAt(e - 1) === 13)) e--;
    blockEnd = e;
  });
  if (blockStart >= 0) out.push({ start: blockStart, end: blockEnd });
  return out;
}

/** Parse a post body block by block (each block parsed once, then served from the cache). */
export function parseBlocks(text: string, from = 0, to = text.length): Block[] {
  return splitBlocks(text, from, to).map(({ start, end }) => ({ start, end, entry: blockEntry(text.slice(start, end)) }));
}

/** A segment moved by `base`; its per-character offsets are computed only if someone reads them. */
function shiftedSegment(s: Segment, base: number): Segment {
  let offsets: number[] | undefined;
  return {
    text: s.text,
    kind: s.kind,
    start: s.start + base,
    end: s.end + base,
    get offsets() {
      return (offsets ??= s.offsets.map((o) => o + base));
    },
  };
}

/** The prose of a post's blocks, with file offsets. */
export function proseOfBlocks(blocks: Block[]): Extracted {
  const out: Extracted = { segments: [], comments: [], links: [], blockquotes: [] };
  for (const { start: base, entry } of blocks) {
    const p = entry.prose;
    for (const s of p.segments) out.segments.push(base === 0 ? s : shiftedSegment(s, base));
    for (const c of p.comments) out.comments.push({ value: c.value, start: c.start + base, end: c.end + base, unclosed: c.unclosed });
    for (const l of p.links) out.links.push({ ...l, start: l.start + base, end: l.end + base });
    for (const q of p.blockquotes) out.blockquotes.push({ start: q.start + base, end: q.end + base });
  }
  return out;
}
