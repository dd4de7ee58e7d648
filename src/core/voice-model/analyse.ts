/**
 * Scoring a post with the voice model, and saying why: which sentences and which words carry
 * the verdict. Also the team's examples (a playbook `kind: examples` file): a post very close
 * to one of the team's "Not us" examples scores higher, one close to a "Sounds like us" example
 * lower, and posts like neither are left as the model scored them.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { SentenceFeatures, sentenceFeatures, sentenceSpans, sumCounts, FeatureOptions, isStyleBucket } from './features';
import { loadModel, ModelFile, sigmoid, vectorize, Vector, VoiceModel } from './model';
import { PACKAGE_ROOT } from '../package-root';
import type { PlaybookExample } from '../playbook';

/** A piece of prose to score: its text, and the file offset of each of its characters. */
export interface ProsePiece {
  text: string;
  /** offsets[i] is the file offset of text[i]; offsets[text.length] the end. */
  offsets: readonly number[];
}

export interface ScoredSentence {
  /** File offsets. */
  start: number;
  end: number;
  /** The sentence's share of the post's logit (positive pushes towards institutional). */
  contribution: number;
  /** The sentence scored on its own. */
  score: number;
}

export interface ScoredWord {
  start: number;
  end: number;
  contribution: number;
  /** The normalised word (first word of a run). */
  norm: string;
}

/** Pronouns that say something inside a run ("our full statement") but nothing alone. */
const ALONE_EMPTY = new Set(['our', 'your', 'we', 'you', 'us', 'i', 'my']);

/** Words that carry no meaning of their own: a run of weighty words does not start or end on one. */
const GLUE = new Set([
  'a',
  'an',
  'the',
  'and',
  'or',
  'but',
  'of',
  'to',
  'in',
  'on',
  'at',
  'for',
  'with',
  'by',
  'from',
  'as',
  'is',
  'are',
  'be',
  'has',
  'have',
  'will',
  'about',
  'into',
  'onto',
  'than',
  'so',
  'if',
  'it',
  'this',
  'that',
  ':',
  '!',
  '?',
  '0',
  'url',
  '#tag',
  '@user',
]);

export interface ExampleRef {
  file: string;
  line: number;
  /** "us" = Sounds like us, "not-us" = Not us. */
  side: 'us' | 'not-us';
  similarity: number;
}

export interface Analysis {
  score: number;
  /** The score before the team's examples moved it (same as score without examples). */
  modelScore: number;
  /** Every sentence with its share of the logit (empty when the score was below explainFrom). */
  sentences: ScoredSentence[];
  /** The sentences that carry the verdict, in text order. */
  carrying: ScoredSentence[];
  /** The words of each carrying sentence, with their share of the logit. */
  words: ScoredWord[][];
  /** The closest example, when examples moved the score. */
  example?: ExampleRef;
  /** Words (not links, handles, numbers or punctuation) in the scored prose. */
  wordCount: number;
  /** Reads as English: six words or fewer, or at least one in ten a common English word (the model knows English only). */
  isEnglish: boolean;
}

/** A word, not a placeholder (url, @user, #tag, a number) or punctuation (see features.ts wordsOf). */
function isWord(norm: string): boolean {
  const c = norm.charCodeAt(0);
  return !(c === 64 || c === 35 || c === 33 || c === 63 || c === 58 || (c >= 48 && c <= 57)) && norm !== 'url';
}

/** Common English words, to tell an English post from one in another language. */
const ENGLISH = new Set(
  'the a an and or but of to in on at for with by from is are was were be been it this that we you our your i my they their he she his her not no do does did have has had will would can could should please thanks thank here there what when where who how all about just more new today'.split(
    ' ',
  ),
);

export type Example = PlaybookExample;

/**
 * How the team's examples move a score: logit += STRENGTH × (similarity − FLOOR) towards the
 * side of the closest example whose cosine similarity is above FLOOR. Chosen by the
 * cross-validation in bench/corpus-eval.ts (examples taken from the held-out source).
 */
export const EXAMPLE_FLOOR = 0.15;
export const EXAMPLE_STRENGTH = 12;

const MODEL_PATH = path.join(PACKAGE_ROOT, 'models', 'institutional-voice.json');

let shipped: { file: string; model: VoiceModel } | undefined;
let measuring: VoiceModel | undefined;

/** Where the shipped model file is (the package's `models/` folder, beside `playbooks/`). */
export const SHIPPED_MODEL_PATH = MODEL_PATH;

/**
 * The shipped model, loaded once on first use. Throws a clear error when the file is missing or
 * malformed — and tries again next time (a reinstalled file is picked up without a restart).
 */
export function shippedModel(file = MODEL_PATH): VoiceModel {
  if (measuring) return measuring;
  if (shipped?.file === file) return shipped.model;
  try {
    shipped = { file, model: loadModel(JSON.parse(fs.readFileSync(file, 'utf8')) as ModelFile) };
    return shipped.model;
  } catch (e) {
    throw new Error(`voice model ${file}: ${(e as Error).message}`);
  }
}

/**
 * For measurement only (bench/corpus-eval.ts): lint with this model instead of the shipped
 * one, so each fold of the cross-validation is scored through the real rule by a model that
 * never saw its source. `undefined` restores the shipped model.
 */
export function measureWithModel(model: VoiceModel | undefined): void {
  measuring = model;
}

/**
 * The prose the model reads: a post's paragraphs, headings and list items (not table cells),
 * with each bare link — which prose extraction leaves out as a gap — back in as a link
 * placeholder, as the model saw links in the posts it learned from.
 */
export function piecesOfProse(prose: {
  segments: readonly (ProsePiece & { kind: string })[];
  links: readonly { start: number; end: number; bare: boolean }[];
}): ProsePiece[] {
  const bare = new Map(prose.links.filter((l) => l.bare).map((l) => [l.start, l.end]));
  return prose.segments
    .filter((seg) => seg.kind !== 'tableCell')
    .map((seg) => {
      if (bare.size === 0) return seg;
      let text = '';
      const offsets: number[] = [];
      let changed = false;
      for (let i = 0; i < seg.text.length; i++) {
        const end = seg.text[i] === ' ' ? bare.get(seg.offsets[i]) : undefined;
        if (end === undefined) {
          text += seg.text[i];
          offsets.push(seg.offsets[i]);
          continue;
        }
        for (let k = 0; k < LINK_PLACEHOLDER.length; k++) offsets.push(Math.min(seg.offsets[i] + Math.max(0, k - 1), end - 1));
        text += LINK_PLACEHOLDER;
        changed = true;
      }
      offsets.push(seg.offsets[seg.text.length]);
      return changed ? { text, offsets } : seg;
    });
}
const LINK_PLACEHOLDER = ' https://link ';

/** Raw counts of prose pieces (what the trainer learns from and the rule scores). */
export function countsOfPieces(opts: FeatureOptions, pieces: readonly ProsePiece[]): Map<number, number> {
  return sumCounts(pieces.flatMap((p) => featuresOfPiece(p.text, opts).sentences));
}

interface PieceFeatures {
  sentences: SentenceFeatures[];
}

/** Sentence features per prose text, shared by every post and every keystroke (bounded). */
const pieceCache = new Map<string, PieceFeatures>();
const PIECE_CACHE_MAX = 1000;
const PIECE_CACHE_MAX_CHARS = 8000;

/** The families part of a cache key, joined once per families array rather than per piece. */
const familyKeys = new WeakMap<readonly string[], string>();

function featuresOfPiece(text: string, opts: FeatureOptions): PieceFeatures {
  let families = familyKeys.get(opts.families);
  if (families === undefined) familyKeys.set(opts.families, (families = opts.families.join(',')));
  const key = opts.buckets + '|' + families + '|' + text;
  let f = pieceCache.get(key);
  if (!f) {
    f = { sentences: sentenceSpans(text).map((s) => sentenceFeatures(text, s.start, s.end, opts)) };
    // Bounded in count and in size: a huge block is scored but not kept.
    if (text.length <= PIECE_CACHE_MAX_CHARS) {
      if (pieceCache.size >= PIECE_CACHE_MAX) pieceCache.delete(pieceCache.keys().next().value as string);
      pieceCache.set(key, f);
    }
  }
  return f;
}

/** Math.log1p of the small whole numbers, computed once: counts are nearly always among them. */
const LOG1P = Float64Array.from({ length: 256 }, (_, i) => Math.log1p(i));

/** Math.log1p(c), the very same number, read from the table for a small whole c. */
function log1pCount(c: number): number {
  const i = c | 0;
  return i === c && i >= 0 && i < 256 ? LOG1P[i] : Math.log1p(c);
}

/**
 * A post's vector, accumulated in a dense scratch array (no Map per post): the sum of its
 * sentences' counts, then log(1 + count) × idf scaled to unit length, as `vectorize` computes.
 * One scratch array is shared (linting is synchronous) and cleared after each use.
 */
class PostVector {
  private static scratch?: Float64Array;
  readonly acc: Float64Array;
  readonly touched: number[] = [];
  private norm = 1;
  private z = 0;

  constructor(
    readonly model: VoiceModel,
    scratch?: Float64Array,
  ) {
    const dim = model.w.length;
    if (!scratch && (!PostVector.scratch || PostVector.scratch.length !== dim)) PostVector.scratch = new Float64Array(dim);
    this.acc = scratch ?? PostVector.scratch!;
  }
  add(f: Pick<SentenceFeatures, 'wordBuckets' | 'loose'>): void {
    this.addAll(f.wordBuckets);
    this.addAll(f.loose);
  }
  private addAll(bs: Int32Array): void {
    const { acc, touched } = this;
    for (let i = 0; i < bs.length; i++) {
      const b = bs[i];
      if (acc[b] === 0) touched.push(b);
      acc[b] += 1;
    }
  }
  addCounts(counts: ReadonlyMap<number, number>): void {
    counts.forEach((c, b) => {
      if (this.acc[b] === 0) this.touched.push(b);
      this.acc[b] += c;
    });
  }
  /** Fix the norm once every sentence is in. */
  finish(): this {
    // One pass computes the norm and the logit (hashed part) together.
    const { acc, touched, model } = this;
    const { idf, w } = model;
    const B = model.opts.buckets;
    let n = 0;
    let dot = 0;
    let style = 0;
    for (let i = 0; i < touched.length; i++) {
      const b = touched[i];
      if (b >= B) {
        style += w[b] * log1pCount(acc[b]) * model.styleScale;
        continue;
      }
      const x = log1pCount(acc[b]) * idf[b];
      n += x * x;
      dot += w[b] * x;
    }
    this.norm = Math.sqrt(n) || 1;
    this.z = model.bias + dot / this.norm + style;
    return this;
  }
  /** The hashed part's length (after finish). */
  vectorNorm(): number {
    return this.norm;
  }
  count(b: number): number {
    return this.acc[b];
  }
  value(b: number): number {
    const c = this.acc[b];
    if (c === 0) return 0;
    return isStyleBucket(this.model.opts, b) ? log1pCount(c) * this.model.styleScale : (log1pCount(c) * this.model.idf[b]) / this.norm;
  }
  logit(): number {
    return this.z;
  }
  clear(): void {
    for (const b of this.touched) this.acc[b] = 0;
    this.touched.length = 0;
  }
}

export interface ExampleSet {
  examples: Example[];
  vectors: Vector[];
  /** The vectors' non-style entries as flat arrays, in the Map's order (see exampleCosines). */
  packed?: PackedVector[];
  /** The packed entries by bucket (see exampleCosines), and a scratch array of cosines. */
  index?: ExampleIndex;
  sims?: Float64Array;
}

/** An example vector's hashed (non-style) buckets and values, in the vector's iteration order. */
export interface PackedVector {
  buckets: Int32Array;
  values: Float64Array;
}

function packExample(model: VoiceModel, ev: Vector): PackedVector {
  const buckets: number[] = [];
  const values: number[] = [];
  ev.forEach((x, b) => {
    if (!isStyleBucket(model.opts, b)) {
      buckets.push(b);
      values.push(x);
    }
  });
  return { buckets: Int32Array.from(buckets), values: Float64Array.from(values) };
}

const exampleCache = new WeakMap<readonly Example[], ExampleSet>();

export function exampleSet(model: VoiceModel, examples: readonly Example[]): ExampleSet {
  let set = exampleCache.get(examples);
  if (!set) {
    set = {
      examples: [...examples],
      vectors: examples.map((e) => vectorize(model, sumCounts(featuresOfPiece(e.text, model.opts).sentences))),
    };
    exampleCache.set(examples, set);
  }
  return set;
}

/**
 * The examples' hashed entries by bucket, so a post's cosines are read off its own buckets
 * rather than by walking every entry of every example. Entries are numbered example by
 * example, each in its packed order; for bucket b they are head[b], next[head[b]], … (−1 ends).
 */
interface ExampleIndex {
  head: Int32Array;
  next: Int32Array;
  example: Int32Array;
  value: Float64Array;
  /** Scratch: which entries a post shares with their example (a bit set), and their terms. */
  shared: Uint32Array;
  term: Float64Array;
}

function indexExamples(buckets: number, packed: readonly PackedVector[]): ExampleIndex {
  const total = packed.reduce((t, p) => t + p.buckets.length, 0);
  const ix: ExampleIndex = {
    head: new Int32Array(buckets).fill(-1),
    next: new Int32Array(total),
    example: new Int32Array(total),
    value: new Float64Array(total),
    shared: new Uint32Array((total + 31) >>> 5),
    term: new Float64Array(total),
  };
  let k = 0;
  packed.forEach((p, e) => {
    for (let i = 0; i < p.buckets.length; i++, k++) {
      const b = p.buckets[i];
      ix.example[k] = e;
      ix.value[k] = p.values[i];
      ix.next[k] = ix.head[b];
      ix.head[b] = k;
    }
  });
  return ix;
}

/**
 * Every example's cosine with the post (both unit length, style buckets left out), into sims:
 * the sum, in the example's packed order, of its value times the post's value for each bucket
 * the two share. Only the post's own buckets are looked up, not every example entry: the
 * shared entries are marked in a bit set and summed in entry order, which is each example's
 * packed order, so the numbers do not depend on the order the post's buckets were touched.
 */
function exampleCosines(v: PostVector, ix: ExampleIndex, sims: Float64Array): void {
  const { acc, touched } = v;
  const { idf } = v.model;
  const B = v.model.opts.buckets;
  const norm = v.vectorNorm();
  const { head, next, value, term, shared, example } = ix;
  for (let t = 0; t < touched.length; t++) {
    const b = touched[t];
    if (b >= B || head[b] < 0) continue;
    const x = (log1pCount(acc[b]) * idf[b]) / norm;
    for (let k = head[b]; k >= 0; k = next[k]) {
      shared[k >>> 5] |= 1 << (k & 31);
      term[k] = value[k] * x;
    }
  }
  sims.fill(0);
  for (let i = 0; i < shared.length; i++) {
    let m = shared[i];
    if (m === 0) continue;
    shared[i] = 0;
    while (m !== 0) {
      const low = m & -m; // the lowest set bit
      const k = (i << 5) + 31 - Math.clz32(low);
      sims[example[k]] += term[k];
      m ^= low;
    }
  }
}

/** How the closest example moves a logit; undefined when no example is close enough. */
function exampleShift(set: ExampleSet | undefined, v: PostVector): { shift: number; ref: ExampleRef } | undefined {
  if (!set || set.vectors.length === 0) return undefined;
  let best = -1;
  let sim = EXAMPLE_FLOOR;
  const packed = (set.packed ??= set.vectors.map((ev) => packExample(v.model, ev)));
  const ix = (set.index ??= indexExamples(v.model.opts.buckets, packed));
  const sims = (set.sims ??= new Float64Array(packed.length));
  exampleCosines(v, ix, sims);
  for (let i = 0; i < sims.length; i++) {
    const c = sims[i];
    if (c > sim) {
      sim = c;
      best = i;
    }
  }
  if (best < 0) return undefined;
  const e = set.examples[best];
  const sign = e.side === 'not-us' ? 1 : -1;
  return { shift: sign * EXAMPLE_STRENGTH * (sim - EXAMPLE_FLOOR), ref: { file: e.file, line: e.line, side: e.side, similarity: sim } };
}

function scoreVector(v: PostVector, set?: ExampleSet): { score: number; modelScore: number; example?: ExampleRef } {
  const z = v.logit();
  const ex = exampleShift(set, v);
  return { score: sigmoid(z + (ex?.shift ?? 0)), modelScore: sigmoid(z), example: ex?.ref };
}

/** Score raw counts with the model and the team's examples. */
export function scoreCounts(
  model: VoiceModel,
  counts: ReadonlyMap<number, number>,
  set?: ExampleSet,
): { score: number; modelScore: number; example?: ExampleRef } {
  const v = new PostVector(model);
  try {
    v.addCounts(counts);
    return scoreVector(v.finish(), set);
  } finally {
    v.clear();
  }
}

/** A second scratch array, for scoring a sentence on its own while its post's vector is in use. */
let sentenceAcc: Float64Array | undefined;
function sentenceScratch(model: VoiceModel): Float64Array {
  if (!sentenceAcc || sentenceAcc.length !== model.w.length) sentenceAcc = new Float64Array(model.w.length);
  return sentenceAcc;
}

/** The score of some of a post's sentences on their own (a second scratch array: the post's vector is in use). */
function restScore(model: VoiceModel, parts: readonly SentenceFeatures[], set?: ExampleSet): number {
  const v = new PostVector(model, sentenceScratch(model));
  try {
    for (const f of parts) v.add(f);
    return scoreVector(v.finish(), set).score;
  } finally {
    v.clear();
  }
}

/** A sentence's score on its own does not depend on the post around it: computed once per sentence. */
const sentenceScores = new WeakMap<SentenceFeatures, number>();
function sentenceScore(model: VoiceModel, f: SentenceFeatures): number {
  let s = sentenceScores.get(f);
  if (s === undefined) {
    const v = new PostVector(model, sentenceScratch(model));
    try {
      v.add(f);
      s = sigmoid(v.finish().logit());
    } finally {
      v.clear();
    }
    sentenceScores.set(f, s);
  }
  return s;
}

export interface AnalyseOptions {
  /** The team's examples. */
  examples?: ExampleSet;
  /** Attribute the verdict only when the score reaches this (attribution costs more than scoring). */
  explainFrom?: number;
  /** Sentences (file offsets) that may not carry the verdict: those a phrase rule already flags. */
  exclude?: (start: number, end: number) => boolean;
  /** At most this many carrying sentences. */
  maxSentences?: number;
}

/**
 * Score prose pieces (a post's paragraphs, headings, list items) and, when the score reaches
 * `explainFrom`, say which sentences carry the verdict (the top contributors, up to three,
 * covering most of the positive weight) and how much each word of those sentences weighs.
 * Word weights are computed for the carrying sentences only: that is what a finding shows.
 */
export function analyse(model: VoiceModel, pieces: readonly ProsePiece[], o: AnalyseOptions = {}): Analysis {
  const all: { piece: ProsePiece; f: SentenceFeatures }[] = [];
  for (const piece of pieces) for (const f of featuresOfPiece(piece.text, model.opts).sentences) all.push({ piece, f });
  const v = new PostVector(model);
  try {
    for (const a of all) v.add(a.f);
    v.finish();
    const { score, modelScore, example } = scoreVector(v, o.examples);
    let wordCount = 0;
    let english = 0;
    for (const a of all)
      for (const w of a.f.words) {
        if (!isWord(w.norm)) continue;
        wordCount++;
        if (ENGLISH.has(w.norm)) english++;
      }
    const isEnglish = wordCount < 6 || english >= 0.1 * wordCount;
    if (score < (o.explainFrom ?? 0)) return { score, modelScore, sentences: [], carrying: [], words: [], example, wordCount, isEnglish };
    // Each occurrence of a bucket takes an equal share of that bucket's part of the logit
    // (computed once per bucket of the post).
    const shares = new Map<number, number>();
    for (const b of v.touched) shares.set(b, (model.w[b] * v.value(b)) / v.count(b));
    const share = (b: number) => shares.get(b) ?? 0;
    const scored = all.map(({ piece, f }) => {
      let contribution = 0;
      for (let i = 0; i < f.wordBuckets.length; i++) contribution += share(f.wordBuckets[i]);
      for (let i = 0; i < f.loose.length; i++) contribution += share(f.loose[i]);
      const sentence: ScoredSentence = {
        start: piece.offsets[f.start],
        end: piece.offsets[f.end - 1] + 1,
        contribution,
        score: sentenceScore(model, f),
      };
      return { piece, f, sentence };
    });
    const open = o.exclude ? scored.filter((x) => !o.exclude!(x.sentence.start, x.sentence.end)) : scored;
    // With sentences excluded (a phrase rule speaks for them), the rest must read institutional
    // on its own: the model does not pin a verdict others carry onto a plain sentence.
    if (
      open.length < scored.length &&
      restScore(
        model,
        open.map((x) => x.f),
        o.examples,
      ) < (o.explainFrom ?? 0)
    ) {
      return { score, modelScore, sentences: scored.map((x) => x.sentence), carrying: [], words: [], example, wordCount, isEnglish };
    }
    const positive = open.filter((x) => x.sentence.contribution > 0);
    positive.sort((x, y) => y.sentence.contribution - x.sentence.contribution || x.sentence.start - y.sentence.start);
    const total = positive.reduce((t, x) => t + x.sentence.contribution, 0);
    const chosen: typeof scored = [];
    let acc = 0;
    for (const x of positive) {
      if (chosen.length >= (o.maxSentences ?? 3) || (chosen.length > 0 && acc >= 0.6 * total)) break;
      chosen.push(x);
      acc += x.sentence.contribution;
    }
    chosen.sort((x, y) => x.sentence.start - y.sentence.start);
    const words: ScoredWord[][] = chosen.map(({ piece, f }) =>
      f.words.map((w, wi) => {
        let c = 0;
        for (let k = f.wordStart[wi]; k < f.wordStart[wi + 1]; k++) c += share(f.wordBuckets[k]);
        return { start: piece.offsets[w.start], end: piece.offsets[w.end - 1] + 1, contribution: c, norm: w.norm };
      }),
    );
    return {
      score,
      modelScore,
      sentences: scored.map((x) => x.sentence),
      carrying: chosen.map((x) => x.sentence),
      words,
      example,
      wordCount,
      isEnglish,
    };
  } finally {
    v.clear();
  }
}

/**
 * The runs of words that weigh most across the carrying sentences (up to `max` runs of at most
 * four words, never across a sentence end, trimmed of glue words), heaviest first.
 */
export function weightyPhrases(a: Analysis, max = 3): ScoredWord[] {
  const top = a.words.reduce((m, ws) => ws.reduce((n, w) => Math.max(n, w.contribution), m), 0);
  if (top <= 0) return [];
  const out: ScoredWord[] = [];
  for (const ws of a.words) {
    const runs: ScoredWord[][] = [];
    let cur: ScoredWord[] | undefined;
    for (const w of ws) {
      const strong = w.contribution >= 0.25 * top;
      const prev = cur?.[cur.length - 1];
      if (strong && cur && prev && cur.length < 4 && w.start - prev.end <= 2) cur.push(w);
      else if (strong) runs.push((cur = [w]));
      else cur = undefined;
    }
    for (const run of runs) {
      let i = 0;
      let j = run.length;
      while (i < j && GLUE.has(run[i].norm)) i++;
      while (j > i && GLUE.has(run[j - 1].norm)) j--;
      if (i === j || (j - i === 1 && ALONE_EMPTY.has(run[i].norm))) continue;
      const kept = run.slice(i, j);
      out.push({
        start: kept[0].start,
        end: kept[kept.length - 1].end,
        contribution: kept.reduce((t, w) => t + w.contribution, 0),
        norm: kept[0].norm,
      });
    }
  }
  return out.sort((x, y) => y.contribution - x.contribution || x.start - y.start).slice(0, max);
}
