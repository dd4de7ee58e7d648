/**
 * Scoring a post with the voice model, and saying why: which sentences and which words carry
 * the verdict. Also the team's examples (a playbook `kind: examples` file): a post very close
 * to one of the team's "Not us" examples scores higher, one close to a "Sounds like us" example
 * lower, and posts like neither are left as the model scored them.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { SentenceFeatures, sentenceFeatures, sentenceSpans, sumCounts, FeatureOptions, isStyleBucket } from './features';
import { loadModel, logit, ModelFile, sigmoid, vectorize, Vector, VoiceModel } from './model';
import { PACKAGE_ROOT } from '../playbook';
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
  /** The normalised last word of a run. */
  last?: string;
}

/** Pronouns that say something inside a run ("our full statement") but nothing alone. */
const ALONE_EMPTY = new Set(['our', 'your', 'we', 'you', 'us', 'i', 'my']);

/** Words that carry no meaning of their own: a run of weighty words does not start or end on one. */
const GLUE = new Set(['a', 'an', 'the', 'and', 'or', 'but', 'of', 'to', 'in', 'on', 'at', 'for', 'with', 'by', 'from', 'as', 'is', 'are', 'be', 'has', 'have', 'will', 'about', 'it', 'this', 'that', ':', '!', '?', '0', 'url', '#tag', '@user']);

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
  sentences: ScoredSentence[];
  words: ScoredWord[];
  /** The closest example, when examples moved the score. */
  example?: ExampleRef;
  /** Words (not links, handles, numbers or punctuation) in the scored prose. */
  wordCount: number;
}

export type Example = PlaybookExample;

/**
 * How the team's examples move a score: logit += STRENGTH × (similarity − FLOOR) towards the
 * side of the closest example whose cosine similarity is above FLOOR. Chosen by the
 * cross-validation in bench/corpus-eval.ts (examples taken from the held-out source).
 */
export const EXAMPLE_FLOOR = 0.15;
export const EXAMPLE_STRENGTH = 4;

const MODEL_PATH = path.join(PACKAGE_ROOT, 'models', 'institutional-voice.json');

let shipped: VoiceModel | undefined;
let shippedError: Error | undefined;

/** Where the shipped model file is (the package's `models/` folder, beside `playbooks/`). */
export const SHIPPED_MODEL_PATH = MODEL_PATH;

/** The shipped model, loaded once on first use. Throws a clear error when the file is missing or malformed. */
export function shippedModel(file = MODEL_PATH): VoiceModel {
  if (shipped) return shipped;
  if (shippedError) throw shippedError;
  try {
    shipped = loadModel(JSON.parse(fs.readFileSync(file, 'utf8')) as ModelFile);
    return shipped;
  } catch (e) {
    shippedError = new Error(`voice model ${file}: ${(e as Error).message}`);
    throw shippedError;
  }
}


interface PieceFeatures {
  sentences: SentenceFeatures[];
}

/** Sentence features per prose text, shared by every post and every keystroke (bounded). */
const pieceCache = new Map<string, PieceFeatures>();
const PIECE_CACHE_MAX = 4000;
const PIECE_CACHE_MAX_CHARS = 8000;

function featuresOfPiece(text: string, opts: FeatureOptions): PieceFeatures {
  const key = opts.buckets + '|' + opts.families.join(',') + '|' + text;
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

  constructor(private readonly model: VoiceModel) {
    const dim = model.w.length;
    if (!PostVector.scratch || PostVector.scratch.length !== dim) PostVector.scratch = new Float64Array(dim);
    this.acc = PostVector.scratch;
  }
  add(counts: ReadonlyMap<number, number>): void {
    const { acc, touched } = this;
    counts.forEach((c, b) => {
      if (acc[b] === 0) touched.push(b);
      acc[b] += c;
    });
  }
  /** Fix the norm once every sentence is in. */
  finish(): this {
    let n = 0;
    for (const b of this.touched) {
      if (isStyleBucket(this.model.opts, b)) continue;
      const x = Math.log1p(this.acc[b]) * this.model.idf[b];
      n += x * x;
    }
    this.norm = Math.sqrt(n) || 1;
    return this;
  }
  count(b: number): number {
    return this.acc[b];
  }
  value(b: number): number {
    const c = this.acc[b];
    if (c === 0) return 0;
    return isStyleBucket(this.model.opts, b) ? Math.log1p(c) * this.model.styleScale : (Math.log1p(c) * this.model.idf[b]) / this.norm;
  }
  logit(): number {
    let z = this.model.bias;
    for (const b of this.touched) z += this.model.w[b] * this.value(b);
    return z;
  }
  /** Cosine with a unit-length example vector (style buckets left out). */
  cosine(ev: Vector): number {
    let s = 0;
    ev.forEach((x, b) => {
      if (!isStyleBucket(this.model.opts, b)) s += x * this.value(b);
    });
    return s;
  }
  clear(): void {
    for (const b of this.touched) this.acc[b] = 0;
    this.touched.length = 0;
  }
}

export interface ExampleSet {
  examples: Example[];
  vectors: Vector[];
}

const exampleCache = new WeakMap<readonly Example[], ExampleSet>();

export function exampleSet(model: VoiceModel, examples: readonly Example[]): ExampleSet {
  let set = exampleCache.get(examples);
  if (!set) {
    set = { examples: [...examples], vectors: examples.map((e) => vectorize(model, sumCounts(featuresOfPiece(e.text, model.opts).sentences))) };
    exampleCache.set(examples, set);
  }
  return set;
}

/** How the closest example moves a logit; undefined when no example is close enough. */
function exampleShift(set: ExampleSet | undefined, v: PostVector): { shift: number; ref: ExampleRef } | undefined {
  if (!set || set.vectors.length === 0) return undefined;
  let best = -1;
  let sim = EXAMPLE_FLOOR;
  set.vectors.forEach((ev, i) => {
    const c = v.cosine(ev);
    if (c > sim) {
      sim = c;
      best = i;
    }
  });
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
export function scoreCounts(model: VoiceModel, counts: ReadonlyMap<number, number>, set?: ExampleSet): { score: number; modelScore: number; example?: ExampleRef } {
  const v = new PostVector(model);
  try {
    v.add(counts);
    return scoreVector(v.finish(), set);
  } finally {
    v.clear();
  }
}

/** A sentence's score on its own does not depend on the post around it: computed once per sentence. */
const sentenceScores = new WeakMap<SentenceFeatures, number>();
function sentenceScore(model: VoiceModel, f: SentenceFeatures): number {
  let s = sentenceScores.get(f);
  if (s === undefined) sentenceScores.set(f, (s = sigmoid(logit(model, vectorize(model, f.counts)))));
  return s;
}

/**
 * Score prose pieces (a post's paragraphs, headings, list items) and attribute the verdict to
 * sentences and words — only when the score reaches `explainFrom` (attribution costs more
 * than scoring, and a post below the threshold needs none).
 */
export function analyse(model: VoiceModel, pieces: readonly ProsePiece[], set?: ExampleSet, explainFrom = 0): Analysis {
  const all: { piece: ProsePiece; f: SentenceFeatures }[] = [];
  for (const piece of pieces) for (const f of featuresOfPiece(piece.text, model.opts).sentences) all.push({ piece, f });
  const v = new PostVector(model);
  try {
    for (const a of all) v.add(a.f.counts);
    v.finish();
    const { score, modelScore, example } = scoreVector(v, set);
    let wordCount = 0;
    for (const a of all) for (const w of a.f.words) if (/^\p{L}/u.test(w.norm)) wordCount++;
    if (score < explainFrom) return { score, modelScore, sentences: [], words: [], example, wordCount };
    // Each occurrence of a bucket takes an equal share of that bucket's part of the logit.
    const share = (b: number) => (model.w[b] * v.value(b)) / (v.count(b) || 1);
    const words: ScoredWord[] = [];
    const sentences: ScoredSentence[] = all.map(({ piece, f }) => {
      let contribution = 0;
      f.counts.forEach((c, b) => (contribution += c * share(b)));
      f.words.forEach((w, wi) => {
        let c = 0;
        for (const b of f.wordBuckets[wi]) c += share(b);
        words.push({ start: piece.offsets[w.start], end: piece.offsets[w.end - 1] + 1, contribution: c, norm: w.norm });
      });
      return { start: piece.offsets[f.start], end: piece.offsets[f.end - 1] + 1, contribution, score: sentenceScore(model, f) };
    });
    return { score, modelScore, sentences, words, example, wordCount };
  } finally {
    v.clear();
  }
}

/** The sentences that carry a verdict: the top contributors, up to three, covering most of the positive weight. */
export function carryingSentences(a: Analysis, max = 3): ScoredSentence[] {
  const positive = a.sentences.filter((s) => s.contribution > 0).sort((x, y) => y.contribution - x.contribution || x.start - y.start);
  const total = positive.reduce((s, x) => s + x.contribution, 0);
  const out: ScoredSentence[] = [];
  let acc = 0;
  for (const s of positive) {
    if (out.length >= max || (out.length > 0 && acc >= 0.6 * total)) break;
    out.push(s);
    acc += s.contribution;
  }
  return out.sort((x, y) => x.start - y.start);
}

/** The runs of words that weigh most (up to `max` runs of at most four words), in weight order. */
export function weightyPhrases(a: Analysis, within: readonly ScoredSentence[], max = 3): ScoredWord[] {
  const inside = (w: ScoredWord) => within.some((s) => w.start >= s.start && w.end <= s.end);
  const ws = a.words.filter(inside).sort((x, y) => x.start - y.start);
  const top = ws.reduce((m, w) => Math.max(m, w.contribution), 0);
  if (top <= 0) return [];
  // Runs of adjacent strong words, then trimmed of glue words at either end.
  const runs: ScoredWord[][] = [];
  let cur: ScoredWord[] | undefined;
  for (const w of ws) {
    const strong = w.contribution >= 0.25 * top;
    const prev = cur?.[cur.length - 1];
    if (strong && cur && prev && cur.length < 4 && w.start - prev.end <= 2) cur.push(w);
    else if (strong) runs.push((cur = [w]));
    else cur = undefined;
  }
  const out: ScoredWord[] = [];
  for (const run of runs) {
    let i = 0;
    let j = run.length;
    while (i < j && GLUE.has(run[i].norm)) i++;
    while (j > i && GLUE.has(run[j - 1].norm)) j--;
    if (i === j || (j - i === 1 && ALONE_EMPTY.has(run[i].norm))) continue;
    const kept = run.slice(i, j);
    out.push({ start: kept[0].start, end: kept[kept.length - 1].end, contribution: kept.reduce((s, w) => s + w.contribution, 0), norm: kept[0].norm, last: kept[kept.length - 1].norm });
  }
  return out.sort((x, y) => y.contribution - x.contribution || x.start - y.start).slice(0, max);
}
