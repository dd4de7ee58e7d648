/**
 * Word-level normalisation shared by the phrase matcher, the talking-point matcher and the
 * playbook parser. A phrase and a post are tokenised the same way, so matching is
 * case-insensitive and tolerant of line breaks, spacing, curly vs straight apostrophes and
 * common contractions ("we're" and "we are" give the same tokens).
 */
import { distance } from 'fastest-levenshtein';

export interface Token {
  /** Normalised word (lower case, straight apostrophe, contraction expanded). */
  norm: string;
  /** Source range of the word this token came from (an expanded contraction gives several tokens over one range). */
  start: number;
  end: number;
  /** True when a sentence or clause boundary (. ! ? ; : or a blank line) stands between this token and the previous one. */
  breakBefore: boolean;
}

// A word: letters/digits, optionally prefixed by # or @, with internal apostrophes or hyphens-free parts.
// Combining marks belong to their letter; an invisible character between two letters (zero-width
// space or joiner, word joiner, soft hyphen, BOM) does not split the word, and is dropped from it.
const WORD = /[#@]?[\p{L}\p{N}](?:[\p{L}\p{N}\p{M}]|[\u00ad\u200b-\u200d\u2060\ufeff]+(?=[\p{L}\p{N}]))*(?:['’‘][\p{L}][\p{L}\p{M}]*)*/gu;
const INVISIBLE = /[\u00ad\u200b-\u200d\u2060\ufeff]/g;
const ASCII_WORD = /^[^\u0080-\uffff]*$/; // every UTF-16 unit below 0x80

const PRONOUN_IS = new Set([
  'it',
  'that',
  'there',
  'here',
  'what',
  'he',
  'she',
  'who',
  'where',
  'how',
  'this',
  'everyone',
  'nobody',
  'nothing',
  'everything',
  'someone',
  'something',
]);

/** A Map, not an object: a word such as "constructor" must not find Object.prototype's. */
const IRREGULAR = new Map<string, string[]>([
  ["can't", ['can', 'not']],
  ['cannot', ['can', 'not']],
  ["won't", ['will', 'not']],
  ["shan't", ['shall', 'not']],
  ["ain't", ['is', 'not']],
  ["let's", ['let', 'us']],
  ["y'all", ['you', 'all']],
]);

/** Expand one lower-cased word with straight apostrophes into normalised tokens. */
export function expandWord(w: string): string[] {
  const irregular = IRREGULAR.get(w);
  if (irregular) return irregular;
  const apos = w.indexOf("'");
  if (apos <= 0) return [w];
  const head = w.slice(0, apos);
  const tail = w.slice(apos + 1);
  switch (tail) {
    case 't':
      if (head.endsWith('n')) return [head.slice(0, -1), 'not'];
      return [w];
    case 're':
      return [head, 'are'];
    case 've':
      return [head, 'have'];
    case 'll':
      return [head, 'will'];
    case 'd':
      return [head, 'would'];
    case 'm':
      return [head, 'am'];
    case 's':
      return PRONOUN_IS.has(head) ? [head, 'is'] : [w];
    default:
      return [w];
  }
}

function normaliseWord(raw: string): string {
  // NFC so a decomposed é matches a composed one; invisible characters out.
  const lower = (ASCII_WORD.test(raw) ? raw : raw.replace(INVISIBLE, '').normalize('NFC')).toLowerCase();
  return lower.includes('’') || lower.includes('‘') ? lower.replace(/[’‘]/g, "'") : lower;
}

/**
 * Tokenise `text`. `base` is added to every offset, so a caller can tokenise a slice and keep
 * offsets of the whole file.
 */
export function tokenize(text: string, base = 0): Token[] {
  const out: Token[] = [];
  let last = 0;
  WORD.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = WORD.exec(text)) !== null) {
    const gap = text.slice(last, m.index);
    const breakBefore = out.length > 0 && /[.!?;:]|\n\s*\n/.test(gap);
    last = m.index + m[0].length;
    const parts = expandWord(normaliseWord(m[0]));
    const start = base + m.index;
    const end = start + m[0].length;
    for (let i = 0; i < parts.length; i++) {
      out.push({ norm: parts[i], start, end, breakBefore: i === 0 && breakBefore });
    }
  }
  return out;
}

/** Normalised words of a phrase or sentence, as plain strings. */
export function words(text: string): string[] {
  return tokenize(text).map((t) => t.norm);
}

/** GitHub-style heading slug: lower case, punctuation dropped, spaces to hyphens. */
export function slug(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[’']/g, '')
    .replace(/[^\p{L}\p{N}\s-]/gu, '')
    .trim()
    .replace(/\s+/g, '-')
    .replace(/-+/g, '-');
}

/** Upper-case the first letter of `s` when `like` starts with an upper-case letter. */
export function matchCase(s: string, like: string): string {
  if (!s) return s;
  const first = like.charAt(0);
  if (first && first !== first.toLowerCase() && first === first.toUpperCase()) {
    return s.charAt(0).toUpperCase() + s.slice(1);
  }
  return s;
}

/** 1-based line/column of every offset, computed once per text. */
export class LineIndex {
  private readonly starts: number[] = [0];
  constructor(readonly text: string) {
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      // LF, CR LF, and a lone CR (old Mac files): each ends a line, as editors show it.
      if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) this.starts.push(i + 1);
    }
  }
  /** 1-based line and column of a 0-based offset. */
  position(offset: number): { line: number; column: number } {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - this.starts[lo] + 1 };
  }
  /** 0-based offset of a 1-based line's start. */
  lineStart(line: number): number {
    return this.starts[Math.max(0, Math.min(line - 1, this.starts.length - 1))];
  }
  lineEnd(line: number): number {
    const next = this.starts[line];
    if (next === undefined) return this.text.length;
    if (this.text.charCodeAt(next - 1) === 13) return next - 1;
    return this.text.charCodeAt(next - 2) === 13 ? next - 2 : next - 1;
  }
  get lineCount(): number {
    return this.starts.length;
  }
}

/** Made on first use: creating a Segmenter starts ICU (about 10 ms), which plain-ASCII text never needs. */
let graphemes: Intl.Segmenter | undefined;

/** Between two ASCII characters (but CR LF) there is always a grapheme boundary. */
function surelyBoundary(text: string, i: number): boolean {
  if (i <= 0 || i >= text.length) return true;
  const a = text.charCodeAt(i - 1);
  const b = text.charCodeAt(i);
  return a < 0x80 && b < 0x80 && !(a === 13 && b === 10);
}

/**
 * The grapheme boundaries at or around offset i: the last one at or before i and the first at or
 * after it. Segments only a window from a certain boundary (two ASCII characters meet) before i,
 * at most `reach` characters back, so the cost does not grow with the text.
 */
function boundaryAround(text: string, i: number, reach = 512): { before: number; after: number } {
  if (surelyBoundary(text, i)) return { before: i, after: i };
  let p = i - 1;
  while (p > 0 && i - p < reach && !surelyBoundary(text, p)) p--;
  let q = i + 1;
  while (q < text.length && q - i < reach && !surelyBoundary(text, q)) q++;
  let before = p;
  let after = q;
  for (const s of (graphemes ??= new Intl.Segmenter(undefined, { granularity: 'grapheme' })).segment(text.slice(p, q))) {
    const at = p + s.index;
    if (at <= i) before = at;
    if (at >= i) {
      after = at;
      break;
    }
  }
  return { before, after };
}

/** A range clamped to the text and widened to whole graphemes (never half a surrogate pair or cluster). */
export function snapToGraphemes(text: string, start: number, end: number): { start: number; end: number } {
  let s = Math.max(0, Math.min(start, text.length));
  let e = Math.max(s, Math.min(end, text.length));
  s = boundaryAround(text, s).before;
  e = boundaryAround(text, e).after;
  return { start: s, end: e };
}

/** A YAML value as the writer wrote it, for messages: a map or list as JSON, never "[object Object]". */
export function show(v: unknown): string {
  if (v !== null && typeof v === 'object' && !(v instanceof Date)) {
    try {
      return JSON.stringify(v);
    } catch {
      // A cyclic value (YAML anchors can make one): the default form is all that is left.
      // eslint-disable-next-line @typescript-eslint/no-base-to-string
      return String(v);
    }
  }
  return String(v);
}

/**
 * The candidate nearest to a misspelt word ("did you mean"), by edit distance ignoring case, when
 * it is near enough to be a typo: at most 2 edits or a third of the word's length, and at most half
 * the candidate. The one "did you mean" of the CLI, the playbook and inline comments.
 */
export function closest(word: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  for (const c of candidates) {
    const dist = distance(word.toLowerCase(), c.toLowerCase());
    if (dist < bestD) {
      bestD = dist;
      best = c;
    }
  }
  if (best === undefined) return undefined;
  // Two edits (a swapped pair: jsno → json) or a third of the longer word, and never most of the candidate.
  return bestD <= Math.max(2, Math.floor(Math.max(word.length, best.length) / 3)) && bestD <= best.length / 2 ? best : undefined;
}
