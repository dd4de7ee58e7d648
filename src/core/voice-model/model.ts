/**
 * The institutional-voice model: a logistic regression over the hashed features of
 * `features.ts`, shipped as numbers only (weights and idf per hash bucket, bias, threshold).
 *
 * A text's vector: for each hashed bucket log(1 + count) × idf, the hashed part scaled to unit
 * length (so a long post is not more institutional for being long); style counts log(1 + count)
 * × styleScale. The score is σ(w·x + b), a probability-like number in 0–1.
 */
import { DEFAULT_FEATURE_OPTIONS, dimension, FAMILIES, Family, FeatureOptions, FEATURE_VERSION, isStyleBucket } from './features';

export const MODEL_FORMAT = 1;

/** The model file (JSON): every value a number or an array of numbers, but for `families`. */
export interface ModelFile {
  format: number;
  featureVersion: number;
  buckets: number;
  families: Family[];
  minN: number;
  maxN: number;
  styleScale: number;
  bias: number;
  threshold: number;
  /** Bucket numbers with a weight, as gaps from the previous bucket (the first from 0). */
  index: number[];
  /** Weight × 10^weightDigits, rounded, per entry of `index`. */
  weight: number[];
  weightDigits: number;
  /** idf × 1000, rounded, per entry of `index`. */
  idf: number[];
  /** idf of a bucket never seen in training × 1000. */
  unseenIdf: number;
  /** Leave-one-source-out figures at `threshold`: the model alone, and with the phrase rules. */
  measured?: { folds: number; posts: number; model: Measured; withPhraseRules: Measured };
}

export interface Measured {
  precision: number;
  recall: number;
  f1: number;
}

export interface VoiceModel {
  opts: FeatureOptions;
  styleScale: number;
  bias: number;
  threshold: number;
  /** Dense weights over every bucket (style buckets at the end). */
  w: Float32Array;
  idf: Float32Array;
  /** idf of buckets never seen in training. */
  unseenIdf: number;
  measured?: ModelFile['measured'];
}

/** A vector: sparse bucket → value. */
export type Vector = Map<number, number>;

export function vectorize(model: Pick<VoiceModel, 'opts' | 'idf' | 'styleScale'>, counts: ReadonlyMap<number, number>): Vector {
  const v: Vector = new Map();
  let norm = 0;
  for (const [b, c] of counts) {
    if (isStyleBucket(model.opts, b)) continue;
    const x = Math.log1p(c) * model.idf[b];
    v.set(b, x);
    norm += x * x;
  }
  norm = Math.sqrt(norm) || 1;
  for (const [b, x] of v) v.set(b, x / norm);
  for (const [b, c] of counts) if (isStyleBucket(model.opts, b)) v.set(b, Math.log1p(c) * model.styleScale);
  return v;
}

export function logit(model: Pick<VoiceModel, 'w' | 'bias'>, v: Vector): number {
  let z = model.bias;
  for (const [b, x] of v) z += model.w[b] * x;
  return z;
}

export function sigmoid(z: number): number {
  return 1 / (1 + Math.exp(-z));
}

export function score(model: VoiceModel, counts: ReadonlyMap<number, number>): number {
  return sigmoid(logit(model, vectorize(model, counts)));
}

/** Turn a model file into a usable model; throws with a clear message on a malformed file. */
export function loadModel(file: ModelFile): VoiceModel {
  if (!file || typeof file !== 'object') throw new Error('voice model: not a model file');
  if (file.format !== MODEL_FORMAT) throw new Error(`voice model: format ${file.format}, expected ${MODEL_FORMAT}`);
  if (file.featureVersion !== FEATURE_VERSION)
    throw new Error(`voice model: features v${file.featureVersion}, this build computes v${FEATURE_VERSION} (retrain with npm run train)`);
  const num = (x: unknown) => typeof x === 'number' && Number.isFinite(x);
  const ints = (a: unknown) => Array.isArray(a) && a.every((x) => Number.isInteger(x));
  if (!Number.isInteger(file.buckets) || file.buckets < 2 || (file.buckets & (file.buckets - 1)) !== 0)
    throw new Error('voice model: buckets must be a power of two');
  if (
    !['bias', 'threshold', 'styleScale', 'weightDigits', 'unseenIdf', 'minN', 'maxN'].every((k) =>
      num((file as unknown as Record<string, unknown>)[k]),
    )
  )
    throw new Error('voice model: a setting is missing or not a number');
  if (
    !ints(file.index) ||
    !ints(file.weight) ||
    !ints(file.idf) ||
    file.weight.length !== file.index.length ||
    file.idf.length !== file.index.length
  )
    throw new Error('voice model: index, weight and idf must be whole numbers, one of each per entry');
  if (!Array.isArray(file.families) || file.families.some((f) => !(FAMILIES as readonly string[]).includes(f)))
    throw new Error('voice model: unknown feature family');
  const opts: FeatureOptions = {
    ...DEFAULT_FEATURE_OPTIONS,
    buckets: file.buckets,
    families: file.families,
    minN: file.minN,
    maxN: file.maxN,
  };
  const dim = dimension(opts);
  const w = new Float32Array(dim);
  const idf = new Float32Array(dim).fill(file.unseenIdf / 1000);
  const scale = Math.pow(10, -file.weightDigits);
  let b = 0;
  for (let i = 0; i < file.index.length; i++) {
    b += file.index[i];
    if (b >= dim) throw new Error('voice model: bucket out of range');
    w[b] = file.weight[i] * scale;
    idf[b] = file.idf[i] / 1000;
  }
  return {
    opts,
    styleScale: file.styleScale,
    bias: file.bias,
    threshold: file.threshold,
    w,
    idf,
    unseenIdf: file.unseenIdf / 1000,
    measured: file.measured,
  };
}

/**
 * The numbers of a trained model as a model file (weights rounded to `weightDigits`). Five
 * digits: NB-LR leaves a long tail of small weights (median about 5·10⁻⁴) that four digits
 * would round coarsely or to nothing.
 */
export function toModelFile(m: VoiceModel, weightDigits = 5): ModelFile {
  const index: number[] = [];
  const weight: number[] = [];
  const idf: number[] = [];
  const f = Math.pow(10, weightDigits);
  let prev = 0;
  for (let b = 0; b < m.w.length; b++) {
    const q = Math.round(m.w[b] * f);
    if (q === 0) continue;
    index.push(b - prev);
    weight.push(q);
    idf.push(Math.round(m.idf[b] * 1000));
    prev = b;
  }
  return {
    format: MODEL_FORMAT,
    featureVersion: FEATURE_VERSION,
    buckets: m.opts.buckets,
    families: [...m.opts.families],
    minN: m.opts.minN,
    maxN: m.opts.maxN,
    styleScale: m.styleScale,
    bias: Math.round(m.bias * 1e6) / 1e6,
    threshold: m.threshold,
    index,
    weight,
    weightDigits,
    idf,
    unseenIdf: Math.round(m.unseenIdf * 1000),
    measured: m.measured,
  };
}
