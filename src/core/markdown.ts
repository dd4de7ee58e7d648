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

const processor = unified().use(remarkParse).use(remarkFrontmatter, ['yaml']).use(remarkGfm);

export function parseMarkdown(text: string): Root {
  return processor.parse(text) as Root;
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
  push(value: string, start: number, end: number, source: string): void {
    const exact = source.slice(start, end) === value;
    for (let i = 0; i < value.length; i++) {
      this.text += value[i];
      this.offsets.push(exact ? start + i : Math.min(start + i, Math.max(start, end - 1)));
    }
  }
  gap(at: number): void {
    this.text += ' ';
    this.offsets.push(at);
  }
}

function isBareLink(node: { url: string; children: PhrasingContent[] }): boolean {
  if (node.children.length !== 1 || node.children[0].type !== 'text') return false;
  const t = node.children[0].value;
  return t === node.url || node.url === `mailto:${t}` || node.url.endsWith(t) || /^(https?:\/\/|www\.)/i.test(t);
}

/** Extract lintable prose from a parsed Markdown tree. */
export function extractProse(root: Root, source: string): Extracted {
  const out: Extracted = { segments: [], comments: [], links: [], blockquotes: [] };

  const inline = (nodes: PhrasingContent[], b: SegmentBuilder): void => {
    for (const node of nodes) {
      const start = node.position?.start.offset ?? 0;
      const end = node.position?.end.offset ?? start;
      switch (node.type) {
        case 'text':
          b.push(node.value, start, end, source);
          break;
        case 'emphasis':
        case 'strong':
        case 'delete':
          inline(node.children, b);
          break;
        case 'link': {
          const bare = isBareLink(node);
          out.links.push({ start, end, url: node.url, bare });
          if (bare) b.gap(start);
          else inline(node.children, b);
          break;
        }
        case 'linkReference':
          inline(node.children, b);
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
          while ((m = re.exec(node.value)) !== null) {
            out.comments.push({ value: m[0], start: start + m.index, end: start + m.index + m[0].length });
          }
        }
        return;
      case 'blockquote':
        out.blockquotes.push({ start, end });
        for (const child of node.children) block(child, true);
        return;
      case 'paragraph':
      case 'heading':
      case 'tableCell': {
        const b = new SegmentBuilder();
        inline(node.children, b);
        if (!inQuote && b.text.trim()) {
          b.offsets.push(end);
          out.segments.push({ text: b.text, offsets: b.offsets, kind: node.type, start, end });
        } else if (inQuote) {
          // Links in quotes still count as links (for context rules), but no prose.
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
