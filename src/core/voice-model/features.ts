/**
 * Features of the institutional-voice model: what a text looks like to the linear model.
 *
 * A text is normalised (links, @handles, numbers and hashtags become placeholders, so the model
 * learns how a post sounds rather than who posted it or what it links to), split into sentences
 * and words, and each sentence becomes a sparse vector of counts over hashed features:
 *   - character (UTF-8 byte) n-grams of 2–5 inside each word, fastText-style with word
 *     boundary marks, so "inconvenience", "inconvenienced" and "inconveniences" share most;
 *   - word unigrams and bigrams (bigrams never cross a sentence);
 *   - a few style counts (first person singular and plural, second person, contractions,
 *     questions, exclamations, agentless passive, nominalisations, all-caps words, link-only
 *     lines, sentence length), each in a fixed bucket of its own after the hashed ones.
 * A post's counts are the sum of its sentences' counts, so a post can be re-scored from cached
 * sentences, and every sentence can be scored on its own with the same model.
 *
 * Hashing is MurmurHash3 (the `murmurhash` package, over UTF-8 bytes in a shared buffer) with a
 * seed per family: no n-gram string is ever made or stored, only bucket numbers.
 */
import murmurhash from 'murmurhash';

/** Changing anything that changes the features must bump this (the model file records it). */
export const FEATURE_VERSION = 1;

export const STYLE_FEATURES = [
  'first-singular',
  'first-plural',
  'second-person',
  'contraction',
  'question',
  'exclamation',
  'agentless-passive',
  'nominalisation',
  'all-caps',
  'link-only',
  'long-sentence',
  'short-sentence',
] as const;
export type StyleFeature = (typeof STYLE_FEATURES)[number];

export type Family = 'char' | 'word' | 'bigram' | 'style';
export const FAMILIES: readonly Family[] = ['char', 'word', 'bigram', 'style'];

export interface FeatureOptions {
  /** Number of hashed buckets (a power of two); style features come after them. */
  buckets: number;
  /** Which families are on (the trainer measures what each adds). */
  families: readonly Family[];
  minN: number;
  maxN: number;
}

export const DEFAULT_FEATURE_OPTIONS: FeatureOptions = { buckets: 1 << 18, families: FAMILIES, minN: 2, maxN: 5 };

/** A word of a sentence, with where it stands in the original text (for explanations). */
export interface Word {
  /** Normalised, lower-cased form ("url", "@user", "0", "#tag" for the placeholders). */
  norm: string;
  start: number;
  end: number;
}

/**
 * A sentence's features: every bucket occurrence, grouped by the word that produced it (for
 * explanations), plus the style buckets no word owns. Typed arrays, not Maps: sentences are
 * cached for every block of every open post, and scoring streams them into one accumulator.
 */
export interface SentenceFeatures {
  start: number;
  end: number;
  words: Word[];
  /** The buckets word i produced (its n-grams, its unigram, the bigram it ends) are wordBuckets[wordStart[i] .. wordStart[i + 1]). */
  wordBuckets: Int32Array;
  wordStart: Int32Array;
  /** Style buckets of the sentence as a whole (no word owns them). */
  loose: Int32Array;
}

/** Every bucket occurrence of a sentence, word-owned then loose. */
export function forEachBucket(f: Pick<SentenceFeatures, 'wordBuckets' | 'loose'>, fn: (b: number) => void): void {
  for (let i = 0; i < f.wordBuckets.length; i++) fn(f.wordBuckets[i]);
  for (let i = 0; i < f.loose.length; i++) fn(f.loose[i]);
}

/** The constants below are exported for the reference feature code in voice-model.test.ts. */
export const SEEDS: Record<Exclude<Family, 'style'>, number> = { char: 0x9e3779b1, word: 0x85ebca6b, bigram: 0xc2b2ae35 };

export const URL_RE = /\b(?:https?:\/\/|www\.)[^\s<>()]+|\bpic\.twitter\.com\/\S+/giu;
export const WORD_RE = /@[\p{L}\p{N}_]+|#[\p{L}\p{N}_]+|[\p{L}\p{M}]+(?:['’][\p{L}]+)*|\p{N}+(?:[.,:]\p{N}+)*|[!?:]/gu;

export const FIRST_SINGULAR = new Set(['i', 'me', 'my', 'mine', 'myself', "i'm", "i've", "i'll", "i'd"]);
export const FIRST_PLURAL = new Set(['we', 'us', 'our', 'ours', 'ourselves', "we're", "we've", "we'll", "we'd"]);
export const SECOND = new Set(['you', 'your', 'yours', 'yourself', "you're", "you've", "you'll", "you'd"]);
export const BE = new Set(['is', 'are', 'was', 'were', 'be', 'been', 'being']);
export const NOMINAL = /(?:tion|sion|ment|ance|ence|ity|ness)s?$/;
export const PASSIVE_IRREGULAR = new Set([
  'made',
  'done',
  'given',
  'taken',
  'seen',
  'known',
  'shown',
  'held',
  'sent',
  'told',
  'found',
  'kept',
  'paid',
  'put',
  'set',
  'built',
  'brought',
]);

/** The placeholder a raw token normalises to, or its lower-cased form. */
function normWord(raw: string): string {
  const c = raw.charCodeAt(0);
  if (c === 64 /* @ */) return '@user';
  if (c === 35 /* # */) return '#tag';
  if (c >= 48 && c <= 57) return '0';
  // The only ASCII numerals are 0–9: other numerals (², ٣, 𝟎) start with a non-ASCII code unit.
  if (c >= 128 && /^\p{N}/u.test(raw)) return '0';
  const lower = raw.toLowerCase();
  return lower.indexOf('’') < 0 ? lower : lower.replace(/’/g, "'");
}

const NON_SPACE = /\S/g;

/** Whether text[start, end) holds a non-space (as /\S/.test(text.slice(start, end)), without the slice). */
function hasNonSpace(text: string, start: number, end: number): boolean {
  NON_SPACE.lastIndex = start;
  const m = NON_SPACE.exec(text);
  return m !== null && m.index < end;
}

/** Sentence spans of a text: ends at . ! ? … (and runs of them) followed by space, and at line breaks. */
export function sentenceSpans(text: string): { start: number; end: number }[] {
  const out: { start: number; end: number }[] = [];
  const re = /[.!?…]+["”’)\]]*(?=\s|$)|\n+/g;
  let start = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text))) {
    const end = m[0].charCodeAt(0) === 10 /* \n */ ? m.index : m.index + m[0].length;
    if (hasNonSpace(text, start, end)) out.push(trimSpan(text, start, end));
    start = m.index + m[0].length;
  }
  if (hasNonSpace(text, start, text.length)) out.push(trimSpan(text, start, text.length));
  return out;
}

function trimSpan(text: string, start: number, end: number): { start: number; end: number } {
  while (start < end && /\s/.test(text[start])) start++;
  while (end > start && /\s/.test(text[end - 1])) end--;
  return { start, end };
}

/**
 * Whether URL_RE can match in s. Every match holds a "/" ("http://", "pic.twitter.com/") or
 * ends "w." ("www.": under /iu only "w" and "W" match w, and only "." matches \.), so a
 * string with neither has no URL and skips the (case-insensitive, Unicode) regex.
 */
function mayHoldUrl(s: string): boolean {
  return s.indexOf('/') >= 0 || s.indexOf('w.') >= 0 || s.indexOf('W.') >= 0;
}

/** Words of a span of text, URLs first taken out as one "url" word each. */
export function wordsOf(text: string, start = 0, end = text.length): Word[] {
  // The slice, not the whole text: URL_RE's \b and its greedy tail must not see past the span.
  const slice = text.slice(start, end);
  const words: Word[] = [];
  let pos = 0;
  if (mayHoldUrl(slice)) {
    URL_RE.lastIndex = 0;
    let u: RegExpExecArray | null;
    while ((u = URL_RE.exec(slice))) {
      // Words between links are matched in a slice of their own, so none runs into the link.
      scanWords(slice.slice(pos, u.index), start + pos, words);
      words.push({ norm: 'url', start: start + u.index, end: start + u.index + u[0].length });
      pos = u.index + u[0].length;
    }
  }
  scanWords(pos === 0 ? slice : slice.slice(pos), start + pos, words);
  return words;
}

function scanWords(part: string, offset: number, into: Word[]): void {
  WORD_RE.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = WORD_RE.exec(part))) into.push({ norm: normWord(m[0]), start: offset + m.index, end: offset + m.index + m[0].length });
}

/** MurmurHash3 (x86, 32 bits) of bytes[start, end), by the `murmurhash` package (a view, not a copy, of the bytes). */
function murmur3(bytes: Uint8Array, start: number, end: number, seed: number): number {
  return murmurhash.v3(bytes.subarray(start, end), seed);
}

const encoder = new TextEncoder();
/**
 * Writes the UTF-8 bytes of s at buf[at…] and returns where they end (TextEncoder's bytes: a lone
 * surrogate becomes U+FFFD). buf must have room for 3 bytes per code unit.
 */
export function utf8Into(s: string, buf: Uint8Array, at: number): number {
  return at + encoder.encodeInto(s, buf.subarray(at)).written;
}

/** A shared byte buffer for hashing (linting is synchronous), grown to hold n bytes. */
let scratch = new Uint8Array(256);
function scratchFor(n: number): Uint8Array {
  if (scratch.length < n) scratch = new Uint8Array(Math.max(n, 2 * scratch.length));
  return scratch;
}

/** The hash of s's UTF-8 bytes, masked to a bucket. */
function hashOf(s: string, seed: number, mask: number): number {
  const buf = scratchFor(3 * s.length);
  return murmur3(buf, 0, utf8Into(s, buf, 0), seed) & mask;
}

function charBuckets(word: string, opts: FeatureOptions, into: number[]): void {
  if (!/^[\p{L}']/u.test(word)) return;
  const buf = scratchFor(3 * (word.length + 2));
  const len = utf8Into('<' + word + '>', buf, 0);
  const mask = opts.buckets - 1;
  for (let n = opts.minN; n <= opts.maxN; n++) {
    for (let i = 0; i + n <= len; i++) into.push(murmur3(buf, i, i + n, SEEDS.char + n) & mask);
  }
}

/** What a word's style marks depend on: the word alone (all-caps excepted: it reads the raw text). */
const FIRST_SINGULAR_W = 1;
const FIRST_PLURAL_W = 2;
const SECOND_W = 4;
const CONTRACTION_W = 8;
const QUESTION_W = 16;
const EXCLAMATION_W = 32;
const NOMINAL_W = 64;
/** Starts with a letter (counts towards the sentence's length). */
const ALPHA_W = 128;
/** A form of "be" (may start an agentless passive). */
const BE_W = 256;
/** Reads as a participle after "be" ("-ed" or an irregular one). */
const PARTICIPLE_W = 512;
/** "url", "#tag" or "@user" (a line of only these is link-only). */
const LINKISH_W = 1024;

function wordFlags(w: string): number {
  let f = 0;
  if (/^\p{L}/u.test(w)) f |= ALPHA_W;
  if (FIRST_SINGULAR.has(w)) f |= FIRST_SINGULAR_W;
  if (FIRST_PLURAL.has(w)) f |= FIRST_PLURAL_W;
  if (SECOND.has(w)) f |= SECOND_W;
  if (/^\p{L}+'\p{L}+$/u.test(w)) f |= CONTRACTION_W;
  if (w === '?') f |= QUESTION_W;
  if (w === '!') f |= EXCLAMATION_W;
  if (NOMINAL.test(w) && w.length > 6) f |= NOMINAL_W;
  if (BE.has(w)) f |= BE_W;
  if (/ed$/.test(w) || PASSIVE_IRREGULAR.has(w)) f |= PARTICIPLE_W;
  if (w === 'url' || w === '#tag' || w === '@user') f |= LINKISH_W;
  return f;
}

/**
 * What a word yields on its own, computed once per word and options (most words recur): its
 * own buckets (character n-grams, unigram), its UTF-8 bytes (for the bigrams it is in) and its
 * style flags.
 */
interface WordInfo {
  own: Int32Array;
  bytes: Uint8Array;
  flags: number;
}

/** Per-word caches, one per set of options (bounded). */
const wordCaches = new Map<string, Map<string, WordInfo>>();
const WORD_CACHE_MAX = 50_000;

/** The per-word cache for one set of options (looked up once per sentence, not per word). */
function wordCacheFor(opts: FeatureOptions, chars: boolean, unigram: boolean): Map<string, WordInfo> {
  const key = `${opts.buckets}|${opts.minN}|${opts.maxN}|${chars ? 'c' : ''}${unigram ? 'w' : ''}`;
  let c = wordCaches.get(key);
  if (!c) wordCaches.set(key, (c = new Map<string, WordInfo>()));
  return c;
}

function wordInfo(cache: Map<string, WordInfo>, w: string, opts: FeatureOptions, chars: boolean, unigram: boolean): WordInfo {
  let info = cache.get(w);
  if (!info) {
    const bs: number[] = [];
    if (chars) charBuckets(w, opts, bs);
    if (unigram) bs.push(hashOf(w, SEEDS.word, opts.buckets - 1));
    const buf = scratchFor(3 * w.length);
    info = { own: Int32Array.from(bs), bytes: buf.slice(0, utf8Into(w, buf, 0)), flags: wordFlags(w) };
    if (cache.size >= WORD_CACHE_MAX) cache.clear();
    cache.set(w, info);
  }
  return info;
}

const BOS = encoder.encode('<s>');
const EOS = encoder.encode('</s>');

/** The bigram bucket of "a b" (a and b as UTF-8 bytes), hashed from the bytes without the string. */
function bigramBucket(a: Uint8Array, b: Uint8Array, mask: number): number {
  const n = a.length + 1 + b.length;
  const buf = scratchFor(n);
  buf.set(a, 0);
  buf[a.length] = 32; // ' '
  buf.set(b, a.length + 1);
  return murmur3(buf, 0, n, SEEDS.bigram) & mask;
}

function styleBucket(opts: FeatureOptions, f: StyleFeature): number {
  return opts.buckets + STYLE_FEATURES.indexOf(f);
}

/** Total dimension of a feature vector under these options. */
export function dimension(opts: FeatureOptions): number {
  return opts.buckets + STYLE_FEATURES.length;
}

/** The family a bucket belongs to (hashed families share buckets; this tells style apart). */
export function isStyleBucket(opts: FeatureOptions, bucket: number): boolean {
  return bucket >= opts.buckets;
}

const familySets = new WeakMap<readonly Family[], Set<Family>>();
function familySet(opts: FeatureOptions): Set<Family> {
  let s = familySets.get(opts.families);
  if (!s) familySets.set(opts.families, (s = new Set(opts.families)));
  return s;
}

/** The style features a word marks on itself, in the order their buckets follow its others. */
const WORD_MARKS: readonly [number, StyleFeature][] = [
  [FIRST_SINGULAR_W, 'first-singular'],
  [FIRST_PLURAL_W, 'first-plural'],
  [SECOND_W, 'second-person'],
  [CONTRACTION_W, 'contraction'],
  [QUESTION_W, 'question'],
  [EXCLAMATION_W, 'exclamation'],
  [NOMINAL_W, 'nominalisation'],
];
const MARK_FLAGS = WORD_MARKS.reduce((m, [f]) => m | f, 0);

/** A word-bucket buffer shared by every call (copied out at the end), grown as needed. */
let owned = new Int32Array(1024);

/**
 * Sentences' bucket arrays are views into shared slabs rather than an ArrayBuffer each: a
 * buffer of its own per sentence (most are too big to live on V8's heap) costs the garbage
 * collector far more than the numbers in it. A slab lives while any sentence in it does.
 */
const SLAB = 16_384;
let slab = new Int32Array(SLAB);
let slabUsed = 0;
function slabCopy(from: Int32Array, n: number): Int32Array {
  if (n > SLAB / 4) return from.slice(0, n);
  if (slabUsed + n > SLAB) {
    slab = new Int32Array(SLAB);
    slabUsed = 0;
  }
  const view = slab.subarray(slabUsed, slabUsed + n);
  view.set(from.subarray(0, n));
  slabUsed += n;
  return view;
}

/**
 * Features of one sentence span of `text`.
 *
 * The order of the buckets is part of the result (sums over them are floating point, and the
 * trainer's counts keep first-seen order), so it is written out here directly in the order
 * the features were once collected in: for each word its own buckets, the bigram it ends, the
 * sentence-end bigram (last word), an agentless-passive mark (the participle after "be"), then
 * its style marks in STYLE_FEATURES order; the loose style buckets after.
 */
export function sentenceFeatures(
  text: string,
  start: number,
  end: number,
  opts: FeatureOptions = DEFAULT_FEATURE_OPTIONS,
): SentenceFeatures {
  const words = wordsOf(text, start, end);
  const n = words.length;
  const fam = familySet(opts);
  const mask = opts.buckets - 1;
  const chars = fam.has('char');
  const unigram = fam.has('word');
  const bigram = fam.has('bigram');
  const style = fam.has('style');
  const cache = wordCacheFor(opts, chars, unigram);
  const wordStart = new Int32Array(n + 1);
  const passive = styleBucket(opts, 'agentless-passive');
  const allCaps = styleBucket(opts, 'all-caps');
  let k = 0;
  let alpha = 0;
  let linkish = n > 0;
  let prev: WordInfo | undefined;
  for (let i = 0; i < n; i++) {
    const info = wordInfo(cache, words[i].norm, opts, chars, unigram);
    // At most: own buckets, two bigrams, a passive mark and eight style marks.
    if (owned.length < k + info.own.length + 11) {
      const grown = new Int32Array(2 * (k + info.own.length + 11));
      grown.set(owned.subarray(0, k));
      owned = grown;
    }
    owned.set(info.own, k);
    k += info.own.length;
    if (bigram) {
      owned[k++] = prev ? bigramBucket(prev.bytes, info.bytes, mask) : bigramBucket(BOS, info.bytes, mask);
      if (i === n - 1) owned[k++] = bigramBucket(info.bytes, EOS, mask);
    }
    if (style) {
      const f = info.flags;
      if (f & ALPHA_W) alpha++;
      if (!(f & LINKISH_W)) linkish = false;
      // The participle after a form of "be", not followed by "by": marked on the participle.
      if (prev && prev.flags & BE_W && f & PARTICIPLE_W && words[i + 1]?.norm !== 'by') owned[k++] = passive;
      if (f & MARK_FLAGS) for (const [flag, feature] of WORD_MARKS) if (f & flag) owned[k++] = styleBucket(opts, feature);
      if (isAllCaps(text, words[i])) owned[k++] = allCaps;
    }
    wordStart[i + 1] = k;
    prev = info;
  }
  const loose: number[] = [];
  if (style) {
    if (linkish) loose.push(styleBucket(opts, 'link-only'));
    if (alpha > 25) loose.push(styleBucket(opts, 'long-sentence'));
    if (alpha > 0 && alpha <= 4) loose.push(styleBucket(opts, 'short-sentence'));
  }
  return { start, end, words, wordBuckets: slabCopy(owned, k), wordStart, loose: Int32Array.from(loose) };
}

/** Two or more capital letters and nothing else, as written (the word's raw text). */
function isAllCaps(text: string, w: Word): boolean {
  if (w.end - w.start < 2) return false;
  // A lower-case ASCII letter first cannot start a run of capitals: skip the slice and the regex.
  const c = text.charCodeAt(w.start);
  if (c >= 97 && c <= 122) return false;
  return /^\p{Lu}+$/u.test(text.slice(w.start, w.end));
}

/** Features of every sentence of a text (a corpus post, or one prose segment). */
export function textFeatures(text: string, opts: FeatureOptions = DEFAULT_FEATURE_OPTIONS): SentenceFeatures[] {
  return sentenceSpans(text).map((s) => sentenceFeatures(text, s.start, s.end, opts));
}

/** Sum of sentence counts: a post's raw counts. */
export function sumCounts(parts: readonly Pick<SentenceFeatures, 'wordBuckets' | 'loose'>[]): Map<number, number> {
  const out = new Map<number, number>();
  for (const p of parts) forEachBucket(p, (b) => out.set(b, (out.get(b) ?? 0) + 1));
  return out;
}
