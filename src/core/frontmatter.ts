/**
 * YAML front matter with source positions: every key and list item can be pointed at, so a
 * schema error is reported at the offending line, never as a crash.
 */
import { LRUCache } from 'lru-cache';
import { load as loadPlain, CORE_SCHEMA } from 'js-yaml';
import { parseDocument, isMap, isSeq, isScalar, Document, Node as YamlNode, Pair, Schema } from 'yaml';

export interface FrontMatter {
  /** Offsets of the whole block, delimiters included. */
  start: number;
  end: number;
  /** Offset where the YAML text starts (after the opening `---` line). */
  yamlStart: number;
  yaml: string;
  /**
   * The YAML document, with every node's source range. Not kept: what the lint reads of it (top-level
   * keys and their ranges) is copied out when it is parsed, and the document is parsed again from
   * `yaml` if asked for (the publisher's ledger, a playbook's nested keys).
   */
  readonly doc: Document.Parsed;
  /** Plain JS value of the YAML (undefined when it did not parse). */
  data: Record<string, unknown> | undefined;
  /** Syntax errors, with file offsets. */
  errors: { message: string; offset: number; endOffset: number }[];
  /** Whether the closing delimiter was found. */
  closed: boolean;
}

const OPEN = /^(\uFEFF)?---[ \t]*\r?\n/;
const YAML_OPTIONS = { prettyErrors: false, uniqueKeys: true } as const;

/** About 4 KB each: as many as the block cache holds blocks (markdown.ts, which says why lru-cache), about 120 MB at most. */
const fmCache = new LRUCache<string, FrontMatter>({ max: 30_000 });

/**
 * Find and parse the front matter at the very top of `text`. Parsed front matter is cached by
 * its text (the editor re-lints the same front matter on every keystroke); treat it as read-only.
 */
export function readFrontMatter(text: string): FrontMatter | undefined {
  const open = OPEN.exec(text);
  if (!open) return undefined;
  const closeAt = text.indexOf('\n---', open[0].length - 1);
  const key = closeAt >= 0 ? text.slice(0, closeAt + 8) : undefined;
  if (key !== undefined) {
    const hit = fmCache.get(key);
    if (hit) return hit;
  }
  const fm = readFrontMatterUncached(text);
  // Cache only what the key fully determines: a closed block that ends inside the key.
  if (key !== undefined && fm && fm.closed && fm.end <= key.length) {
    fmCache.set(key, fm);
  }
  return fm;
}

function readFrontMatterUncached(text: string): FrontMatter | undefined {
  const open = OPEN.exec(text);
  if (!open) return undefined;
  const yamlStart = open[0].length;
  const close = /^(?:---|\.\.\.)[ \t]*$/m;
  close.lastIndex = 0;
  const rest = text.slice(yamlStart);
  // An empty front matter closes on the very next line.
  const m = rest.startsWith('---') && /^---[ \t]*(\r?\n|$)/.test(rest) ? { index: 0, 0: rest.match(/^---[ \t]*/)![0] } : close.exec(rest);
  const closed = !!m;
  const yamlEnd = closed ? yamlStart + m.index : text.length;
  let end = closed ? yamlEnd + m[0].length : text.length;
  if (closed && text.charCodeAt(end) === 13) end++;
  if (closed && text.charCodeAt(end) === 10) end++;
  const yaml = text.slice(yamlStart, yamlEnd);
  const plain = closed ? plainData(yaml) : undefined;
  if (plain) return new ParsedFrontMatter({ start: 0, end, yamlStart, yaml, data: plain.data, errors: [], closed }, plain.keys);
  const doc = parseDocument(yaml, YAML_OPTIONS);
  const errors = doc.errors.map((e) => ({
    message: e.message.split('\n')[0],
    offset: yamlStart + (e.pos?.[0] ?? 0),
    endOffset: yamlStart + (e.pos?.[1] ?? e.pos?.[0] ?? 0),
  }));
  let data: Record<string, unknown> | undefined;
  if (errors.length === 0) {
    let js: unknown;
    try {
      js = doc.toJS({ maxAliasCount: 50 });
    } catch (e) {
      // An alias bomb (or any YAML that cannot become a value): an error at the file, like a syntax error.
      const alias = /\*[^\s,\]}]+/.exec(yaml);
      const at = alias ? yamlStart + alias.index : yamlStart;
      errors.push({
        message: `${(e as Error).message.split('\n')[0]}: the front matter uses aliases (*name) too many times`,
        offset: at,
        endOffset: alias ? at + alias[0].length : yamlEnd,
      });
      return withLazyDoc({ start: 0, end, yamlStart, yaml, data: undefined, errors, closed }, doc);
    }
    data = js && typeof js === 'object' && !Array.isArray(js) ? (js as Record<string, unknown>) : js == null ? {} : undefined;
    if (data === undefined)
      errors.push({ message: 'Front matter must be a mapping of keys to values', offset: yamlStart, endOffset: yamlEnd });
  }
  if (!closed) errors.push({ message: 'Front matter is not closed: add a line with `---` after it', offset: 0, endOffset: 3 });
  return withLazyDoc({ start: 0, end, yamlStart, yaml, data, errors, closed }, doc);
}

/**
 * The fast path for the front matter of nearly every post: `key: value` lines whose values are
 * text, true/false/null or lists of them. js-yaml reads these about ten times faster than `yaml`
 * builds a document with source ranges (for 50,000 posts, about a second per thread), and the
 * ranges are only needed when a finding points into the front matter, so the document is parsed
 * later, on demand (ParsedFrontMatter.doc). Taken only where both libraries must agree on the
 * value, else undefined and `yaml` reads it as before:
 * - no construct where YAML libraries are known to differ: escapes, tabs, anchors, aliases, tags,
 *   block scalars, flow maps, complex keys, directives, merge keys, control characters;
 * - js-yaml read it without an error, with the YAML 1.2 core schema (`yaml`'s default) and
 *   duplicate keys refused (`uniqueKeys`);
 * - a mapping whose keys are plain names, and whose values are strings, booleans, nulls or lists
 *   of them (a number or a nested map: `yaml`);
 * - no string that `yaml`'s own core-schema tags would read as anything but a string (`+.5e-3`,
 *   which js-yaml keeps as text, `yaml` reads as a number).
 * A property test (frontmatter.test.ts) checks every fast result against `yaml`'s.
 */
const RISKY =
  // eslint-disable-next-line no-control-regex -- control characters are among what it looks for
  /[\t\\{}\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufeff\u2028\u2029]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]|\r(?!\n)|<<|(?:^|[:[,-])[ ]*[&*!|>%@`?]|^(?:---|\.\.\.)/m;
const NAME = /^[A-Za-z_][A-Za-z0-9_-]*$/;
/** `yaml`'s implicit core-schema tests: a plain scalar matching one is not a string there. */
const NOT_TEXT: RegExp[] = new Schema({ schema: 'core' }).tags.flatMap((t) =>
  t.default && t.test instanceof RegExp && !t.tag.endsWith(':str') ? [t.test] : [],
);

/** Exported for its property test. */
export function plainData(yaml: string): { data: Record<string, unknown>; keys: string[] } | undefined {
  if (RISKY.test(yaml) || !simpleLines(yaml)) return undefined;
  let value: unknown;
  try {
    value = loadPlain(yaml, { schema: CORE_SCHEMA });
  } catch {
    return undefined;
  }
  if (!value || typeof value !== 'object' || Array.isArray(value) || Object.getPrototypeOf(value) !== Object.prototype) return undefined;
  const data = value as Record<string, unknown>;
  const keys = Object.keys(data);
  for (const k of keys) if (!NAME.test(k) || !isText(k) || !plainLeaf(data[k])) return undefined;
  return { data, keys };
}

/**
 * Every line a top-level `key:` or `key: value`, a block-sequence item right under a `key:` (all
 * its items at one indent), a comment or blank: no continued scalars, no nesting, no irregular
 * indents (where js-yaml accepts what `yaml` calls an error).
 */
function simpleLines(yaml: string): boolean {
  /** Indent of the current sequence's items; -1 outside one, -2 right after a `key:` with no value. */
  let items = -1;
  for (const line of yaml.split(/\r?\n/)) {
    if (BLANK_OR_COMMENT.test(line)) continue;
    const item = ITEM.exec(line);
    if (item) {
      const indent = item[1].length;
      if (items === -2) items = indent;
      else if (indent !== items) return false;
      continue;
    }
    if (!KEY_LINE.test(line)) return false;
    items = EMPTY_VALUE.test(line) ? -2 : -1;
  }
  return true;
}
const BLANK_OR_COMMENT = /^ *(?:#.*)?$/;
const ITEM = /^( *)- +[^ #-]/;
const KEY_LINE = /^[A-Za-z_][A-Za-z0-9_-]*:(?: |$)/;
const EMPTY_VALUE = /^[^:]*: *(?:#.*)?$/;

function isText(s: string): boolean {
  for (const re of NOT_TEXT) if (re.test(s)) return false;
  return true;
}

function plainLeaf(v: unknown): boolean {
  if (v === null || typeof v === 'boolean') return true;
  if (typeof v === 'string') return isText(v);
  return Array.isArray(v) && v.every(plainLeaf);
}

/** What the range helpers read of a top-level pair, copied out of the document. */
interface PairRanges {
  /** The key's range. */
  key?: Range;
  /** The value's range, else the key's (keyRange). */
  value?: Range;
  /** Each item's range when the value is a sequence. */
  items?: (Range | undefined)[];
}
type Range = [number, number, number] | null;

/** The top-level keys (topLevelKeys) and, for each text key, its first pair's ranges. */
interface Outline {
  keys: string[];
  pairs: Map<string, PairRanges>;
}

function outlineOf(doc: Document.Parsed): Outline {
  const keys: string[] = [];
  const pairs = new Map<string, PairRanges>();
  const contents = doc.contents;
  if (isMap(contents)) {
    for (const p of contents.items) {
      keys.push(isScalar(p.key) ? String(p.key.value) : String(p.key));
      // findPair's rule: the first pair whose key is a scalar holding that very text.
      if (!isScalar(p.key) || typeof p.key.value !== 'string' || pairs.has(p.key.value)) continue;
      const keyNode = p.key as YamlNode;
      const node = (p.value as YamlNode | null) ?? keyNode;
      pairs.set(p.key.value, {
        key: keyNode.range,
        value: node?.range ?? keyNode.range,
        items: isSeq(p.value) ? p.value.items.map((it) => (it as YamlNode | undefined)?.range) : undefined,
      });
    }
  }
  return { keys, pairs };
}

/**
 * A parsed front matter: its document's outline, and `doc` as a getter that parses `yaml` again
 * on first use (with the same options, so the same document). The cache holds thousands of
 * front matters: the outline is a few hundred bytes where a document is several KB.
 */
class ParsedFrontMatter implements FrontMatter {
  start: number;
  end: number;
  yamlStart: number;
  yaml: string;
  data: Record<string, unknown> | undefined;
  errors: { message: string; offset: number; endOffset: number }[];
  closed: boolean;
  #outline: Outline | undefined;
  /** The top-level keys, when read on the fast path (plainData) and the outline waits for a finding. */
  readonly #keys: string[] | undefined;
  #doc: Document.Parsed | undefined;

  /** `from`: the document just parsed, or the fast path's keys (the document is parsed when a range is asked for). */
  constructor(fm: Omit<FrontMatter, 'doc'>, from: Document.Parsed | string[]) {
    this.start = fm.start;
    this.end = fm.end;
    this.yamlStart = fm.yamlStart;
    this.yaml = fm.yaml;
    this.data = fm.data;
    this.errors = fm.errors;
    this.closed = fm.closed;
    if (Array.isArray(from)) this.#keys = from;
    else this.#outline = outlineOf(from);
  }
  get doc(): Document.Parsed {
    return (this.#doc ??= parseDocument(this.yaml, YAML_OPTIONS));
  }
  get outline(): Outline {
    return (this.#outline ??= outlineOf(this.doc));
  }
  get keys(): string[] {
    return this.#keys ?? this.outline.keys;
  }
}

function withLazyDoc(fm: Omit<FrontMatter, 'doc'>, parsed: Document.Parsed): FrontMatter {
  return new ParsedFrontMatter(fm, parsed);
}

/** A front matter made elsewhere (a test's object literal) gets its outline from its own document. */
const handMade = new WeakMap<FrontMatter, Outline>();
function outline(fm: FrontMatter): Outline {
  if (fm instanceof ParsedFrontMatter) return fm.outline;
  let o = handMade.get(fm);
  if (!o) handMade.set(fm, (o = outlineOf(fm.doc)));
  return o;
}

/** File offsets of a top-level key's value (or the key itself when the value has no range). */
export function keyRange(fm: FrontMatter, key: string): { start: number; end: number } | undefined {
  const range = outline(fm).pairs.get(key)?.value;
  return range ? { start: fm.yamlStart + range[0], end: fm.yamlStart + range[1] } : undefined;
}

/** File offsets of the key name of a top-level pair. */
export function keyNameRange(fm: FrontMatter, key: string): { start: number; end: number } | undefined {
  const range = outline(fm).pairs.get(key)?.key;
  return range ? { start: fm.yamlStart + range[0], end: fm.yamlStart + range[1] } : undefined;
}

/** File offsets of item `index` of a top-level sequence (or of a flow/inline list item). */
export function itemRange(fm: FrontMatter, key: string, index: number): { start: number; end: number } | undefined {
  const pair = outline(fm).pairs.get(key);
  if (!pair?.items) return keyRange(fm, key);
  const range = pair.items[index];
  return range ? { start: fm.yamlStart + range[0], end: fm.yamlStart + range[1] } : keyRange(fm, key);
}

export function topLevelKeys(fm: FrontMatter): string[] {
  return [...(fm instanceof ParsedFrontMatter ? fm.keys : outline(fm).keys)];
}

/** File offset of a key inside a top-level map (`rules:` → `institutional-voice:`), or of the top-level key. */
export function nestedKeyStart(fm: FrontMatter, key: string, sub: string): number | undefined {
  const pair = findPair(fm, key);
  if (pair && isMap(pair.value)) {
    const inner: Pair | undefined = pair.value.items.find((p) => isScalar(p.key) && p.key.value === sub);
    const range = (inner?.key as YamlNode | undefined)?.range;
    if (range) return fm.yamlStart + range[0];
  }
  return keyRange(fm, key)?.start;
}

function findPair(fm: FrontMatter, key: string): Pair | undefined {
  const contents = fm.doc.contents;
  if (!isMap(contents)) return undefined;
  return contents.items.find((p) => isScalar(p.key) && p.key.value === key);
}
