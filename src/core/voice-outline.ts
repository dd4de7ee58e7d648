/**
 * A fast outline of a voice playbook: its headings, paragraphs and list items with their source
 * offsets, found line by line instead of with micromark. Parsing the 34 KB default voice file with
 * micromark was most of a cold `unscripted lint` and of a playbook reload in the editor.
 *
 * The voice parser only reads those three kinds of block, and only their raw source (by offset),
 * so a line scanner gives the same result for the shapes voice files have: ATX headings, prose
 * paragraphs, `-`/`*`/`+` lists whose items may wrap onto following lines, blank lines and HTML
 * comments. Anything else CommonMark gives meaning to (setext headings, indented or fenced code,
 * nested lists, block quotes, tables, other HTML, thematic breaks, ordered lists, tabs) makes
 * `voiceOutline` return undefined, and the caller parses with micromark as before. A test checks
 * that both give the same playbook on every voice file in the repository and on generated files.
 */
import type { Root, RootContent } from 'mdast';

interface Pos {
  start: { line: number; column: number; offset: number };
  end: { line: number; column: number; offset: number };
}

/** Only what the voice parser reads: type, depth, children of lists, and offsets. */
export function voiceOutline(text: string): Root | undefined {
  const children: RootContent[] = [];
  const lines: { start: number; end: number; text: string }[] = [];
  for (let at = 0; at <= text.length;) {
    const nl = text.indexOf('\n', at);
    const stop = nl < 0 ? text.length : nl;
    const end = stop > at && text.charCodeAt(stop - 1) === 13 ? stop - 1 : stop;
    lines.push({ start: at, end, text: text.slice(at, end) });
    if (nl < 0) break;
    at = nl + 1;
  }
  const pos = (s: number, e: number): Pos => ({ start: { line: 0, column: 0, offset: s }, end: { line: 0, column: 0, offset: e } });
  let i = 0;
  // Front matter (remark-frontmatter: a --- block at the very start).
  if (lines[0]?.text === '---') {
    let j = 1;
    while (j < lines.length && lines[j].text !== '---' && lines[j].text !== '...') j++;
    if (j >= lines.length) return undefined;
    i = j + 1;
  }
  const blank = (s: string) => /^[ \t]*$/.test(s);
  const item = /^[-*+] +\S/;
  const heading = /^#{1,6}(?:[ \t]|$)/;
  // Lines that would mean something this scanner does not model.
  const other = (s: string) =>
    /^\t/.test(s) ||
    /^ {4,}\S/.test(s) ||
    /^ {0,3}(?:[-*+]|\d+[.)])(?:[ \t]|$)/.test(s.replace(/^[-*+] +\S.*$/, '')) ||
    /^ {0,3}(?:>|```|~~~|\|)/.test(s) ||
    /^ {0,3}(?:[-*_] *){3,}$/.test(s) ||
    /^ {0,3}=+ *$/.test(s) ||
    /^ {1,3}#/.test(s) ||
    (/^ {0,3}</.test(s) && !/^<!--/.test(s));
  let para: { start: number; end: number } | undefined;
  let list: { type: 'list'; children: { type: 'listItem'; position: Pos }[]; position: Pos } | undefined;
  let cur: { start: number; end: number } | undefined;
  let afterBlank = false;
  const closeItem = () => {
    if (cur && list) list.children.push({ type: 'listItem', position: pos(cur.start, cur.end) });
    cur = undefined;
  };
  const closeList = () => {
    closeItem();
    if (list) {
      const first = list.children[0].position.start.offset;
      const last = list.children[list.children.length - 1].position.end.offset;
      list.position = pos(first, last);
      children.push(list as unknown as RootContent);
    }
    list = undefined;
  };
  const closePara = () => {
    if (para) children.push({ type: 'paragraph', children: [], position: pos(para.start, para.end) } as unknown as RootContent);
    para = undefined;
  };
  for (; i < lines.length; i++) {
    const l = lines[i];
    const s = l.text;
    if (blank(s)) {
      closePara();
      closeItem();
      afterBlank = true;
      continue;
    }
    if (/^<!--/.test(s)) {
      // An HTML comment block: ends at the line holding -->.
      closePara();
      closeList();
      while (i < lines.length && !lines[i].text.includes('-->')) i++;
      if (i >= lines.length) return undefined;
      if (!/-->\s*$/.test(lines[i].text)) return undefined;
      afterBlank = false;
      continue;
    }
    if (other(s)) return undefined;
    if (heading.test(s)) {
      closePara();
      closeList();
      const depth = /^#+/.exec(s)![0].length;
      children.push({
        type: 'heading',
        depth,
        children: [],
        position: pos(l.start, l.start + s.trimEnd().length),
      } as unknown as RootContent);
      afterBlank = false;
      continue;
    }
    if (item.test(s)) {
      closePara();
      closeItem();
      if (!list) list = { type: 'list', children: [], position: pos(l.start, l.start) };
      cur = { start: l.start, end: l.start + s.trimEnd().length };
      afterBlank = false;
      continue;
    }
    // A text line: continues the open item (lazily, or indented), else a paragraph.
    if (cur) {
      cur.end = l.start + s.trimEnd().length;
      afterBlank = false;
      continue;
    }
    if (list && afterBlank && /^ /.test(s)) return undefined; // a second paragraph inside an item
    if (/^ /.test(s) && !para) return undefined;
    if (list) closeList();
    if (para) para.end = l.start + s.trimEnd().length;
    else para = { start: l.start + (s.length - s.trimStart().length), end: l.start + s.trimEnd().length };
    afterBlank = false;
  }
  closePara();
  closeList();
  return { type: 'root', children };
}
