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
 * Hashing is MurmurHash3 (the `murmurhash` package) with a seed per family: no n-gram string is
 * ever stored, only bucket numbers.
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

const SEEDS: Record<Exclude<Family, 'style'>, number> = { char: 0x9e3779b1, word: 0x85ebca6b, bigram: 0xc2b2ae35 };

const URL_RE = /\b(?:https?:\/\/|www\.)[^\s<>()]+|\bpic\.twitter\.com\/\S+/giu;
const WORD_RE = /@[\p{L}\p{N}_]+|#[\p{L}\p{N}_]+|[\p{L}\p{M}]+(?:['’][\p{L}]+)*|\p{N}+(?:[.,:]\p{N}+)*|[!?:]/gu;

const FIRST_SINGULAR = new Set(['i', 'me', 'my', 'mine', 'myself', "i'm", "i've", "i'll", "i'd"]);
const FIRST_PLURAL = new Set(['we', 'us', 'our', 'ours', 'ourselves', "we're", "we've", "we'll", "we'd"]);
const SECOND = new Set(['you', 'your', 'yours', 'yourself', "you're", "you've", "you'll", "you'd"]);
const BE = new Set(['is', 'are', 'was', 'were', 'be', 'been', 'being']);
const NOMINAL = /(?:tion|sion|ment|ance|ence|ity|ness)s?$/;
const PASSIVE_IRREGULAR = new Set([
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
  if (/^\p{N}/u.test(raw)) return '0';
  return raw.toLowerCase().replace(/’/g, "'");
}

/** Sentence spans of a text: ends at . ! ? … (and runs of them) followed by space, and at line breaks. */
export function sentenceSpans(text: string): { start: number; end: number }[] {
  const out: { start: number; end: number }[] = [];
  const re = /[.!?…]+["”’)\]]*(?=\s|$)|\n+/g;
  let start = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text))) {
    const end = m[0].startsWith('\n') ? m.index : m.index + m[0].length;
    if (/\S/.test(text.slice(start, end))) out.push(trimSpan(text, start, end));
    start = m.index + m[0].length;
  }
  if (/\S/.test(text.slice(start))) out.push(trimSpan(text, start, text.length));
  return out;
}

function trimSpan(text: string, start: number, end: number): { start: number; end: number } {
  while (start < end && /\s/.test(text[start])) start++;
  while (end > start && /\s/.test(text[end - 1])) end--;
  return { start, end };
}

/** Words of a span of text, URLs first taken out as one "url" word each. */
export function wordsOf(text: string, start = 0, end = text.length): Word[] {
  const slice = text.slice(start, end);
  const words: Word[] = [];
  const urls: [number, number][] = [];
  URL_RE.lastIndex = 0;
  let u: RegExpExecArray | null;
  while ((u = URL_RE.exec(slice))) urls.push([u.index, u.index + u[0].length]);
  let ui = 0;
  let pos = 0;
  const scan = (from: number, to: number) => {
    WORD_RE.lastIndex = 0;
    const part = slice.slice(from, to);
    let m: RegExpExecArray | null;
    while ((m = WORD_RE.exec(part)))
      words.push({ norm: normWord(m[0]), start: start + from + m.index, end: start + from + m.index + m[0].length });
  };
  for (; ui < urls.length; ui++) {
    const [a, b] = urls[ui];
    scan(pos, a);
    words.push({ norm: 'url', start: start + a, end: start + b });
    pos = b;
  }
  scan(pos, slice.length);
  return words;
}

const encoder = new TextEncoder();
let scratch = new Uint8Array(256);

/** UTF-8 bytes of `s` in a shared buffer (the murmurhash package would build a TextEncoder per string). */
function utf8(s: string): Uint8Array {
  if (scratch.length < s.length * 3) scratch = new Uint8Array(s.length * 3);
  return scratch.subarray(0, encoder.encodeInto(s, scratch).written);
}

function hashOf(s: string, seed: number, mask: number): number {
  return murmurhash.v3(utf8(s), seed) & mask;
}

function charBuckets(word: string, opts: FeatureOptions, into: number[]): void {
  if (!/^[\p{L}']/u.test(word)) return;
  const bytes = utf8('<' + word + '>');
  const mask = opts.buckets - 1;
  for (let n = opts.minN; n <= opts.maxN; n++) {
    for (let i = 0; i + n <= bytes.length; i++) {
      into.push(murmurhash.v3(bytes.subarray(i, i + n), SEEDS.char + n) & mask);
    }
  }
}

/**
 * A word's own buckets (its character n-grams and its unigram) depend on the word alone: most
 * words recur, so they are computed once per word and options (bounded).
 */
const wordCaches = new Map<string, Map<string, number[]>>();
const WORD_CACHE_MAX = 50_000;

/** The per-word cache for one set of options (looked up once per sentence, not per word). */
function wordCacheFor(opts: FeatureOptions, chars: boolean, unigram: boolean): Map<string, number[]> {
  const key = `${opts.buckets}|${opts.minN}|${opts.maxN}|${chars ? 'c' : ''}${unigram ? 'w' : ''}`;
  let c = wordCaches.get(key);
  if (!c) wordCaches.set(key, (c = new Map<string, number[]>()));
  return c;
}

function wordOwnBuckets(cache: Map<string, number[]>, w: string, opts: FeatureOptions, chars: boolean, unigram: boolean): number[] {
  let bs = cache.get(w);
  if (!bs) {
    bs = [];
    if (chars) charBuckets(w, opts, bs);
    if (unigram) bs.push(hashOf(w, SEEDS.word, opts.buckets - 1));
    if (cache.size >= WORD_CACHE_MAX) cache.clear();
    cache.set(w, bs);
  }
  return bs;
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

/** Features of one sentence span of `text`. */
export function sentenceFeatures(
  text: string,
  start: number,
  end: number,
  opts: FeatureOptions = DEFAULT_FEATURE_OPTIONS,
): SentenceFeatures {
  const words = wordsOf(text, start, end);
  // Word-attributed buckets in word order, then the style buckets no word owns.
  const owned: number[] = [];
  const owner: number[] = [];
  const loose: number[] = [];
  const add = (b: number, wi: number) => {
    if (wi >= 0) {
      owned.push(b);
      owner.push(wi);
    } else loose.push(b);
  };
  const fam = familySet(opts);
  const mask = opts.buckets - 1;
  const chars = fam.has('char');
  const unigram = fam.has('word');
  const cache = wordCacheFor(opts, chars, unigram);
  for (let i = 0; i < words.length; i++) {
    const w = words[i].norm;
    if (chars || unigram) for (const b of wordOwnBuckets(cache, w, opts, chars, unigram)) add(b, i);
    if (fam.has('bigram')) {
      const prev = i === 0 ? '<s>' : words[i - 1].norm;
      add(hashOf(prev + ' ' + w, SEEDS.bigram, mask), i);
    }
  }
  if (fam.has('bigram') && words.length > 0) add(hashOf(words[words.length - 1].norm + ' </s>', SEEDS.bigram, mask), words.length - 1);
  if (fam.has('style')) {
    const st = (f: StyleFeature, wi = -1) => add(styleBucket(opts, f), wi);
    let alpha = 0;
    for (let i = 0; i < words.length; i++) {
      const w = words[i].norm;
      const raw = text.slice(words[i].start, words[i].end);
      if (/^\p{L}/u.test(w)) alpha++;
      if (FIRST_SINGULAR.has(w)) st('first-singular', i);
      if (FIRST_PLURAL.has(w)) st('first-plural', i);
      if (SECOND.has(w)) st('second-person', i);
      if (/^\p{L}+'\p{L}+$/u.test(w)) st('contraction', i);
      if (w === '?') st('question', i);
      if (w === '!') st('exclamation', i);
      if (NOMINAL.test(w) && w.length > 6) st('nominalisation', i);
      if (raw.length >= 2 && /^\p{Lu}+$/u.test(raw) && raw !== 'I') st('all-caps', i);
      if (BE.has(w) && i + 1 < words.length) {
        const next = words[i + 1].norm;
        const after = words[i + 2]?.norm;
        if ((/ed$/.test(next) || PASSIVE_IRREGULAR.has(next)) && after !== 'by') st('agentless-passive', i + 1);
      }
    }
    if (words.length > 0 && words.every((w) => w.norm === 'url' || w.norm === '#tag' || w.norm === '@user')) st('link-only');
    if (alpha > 25) st('long-sentence');
    if (alpha > 0 && alpha <= 4) st('short-sentence');
  }
  // Group the owned buckets by word (a stable counting sort: style marks may come out of order).
  const wordStart = new Int32Array(words.length + 1);
  for (const wi of owner) wordStart[wi + 1]++;
  for (let i = 0; i < words.length; i++) wordStart[i + 1] += wordStart[i];
  const wordBuckets = new Int32Array(owned.length);
  const fill = wordStart.slice(0, words.length);
  for (let k = 0; k < owned.length; k++) wordBuckets[fill[owner[k]]++] = owned[k];
  return { start, end, words, wordBuckets, wordStart, loose: Int32Array.from(loose) };
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
