import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import fc from 'fast-check';
import murmurhash from 'murmurhash';
import {
  BE,
  DEFAULT_FEATURE_OPTIONS,
  FIRST_PLURAL,
  FIRST_SINGULAR,
  NOMINAL,
  PASSIVE_IRREGULAR,
  SECOND,
  SEEDS,
  URL_RE,
  WORD_RE,
  Family,
  FeatureOptions,
  SentenceFeatures,
  sentenceSpans,
  STYLE_FEATURES,
  StyleFeature,
  sumCounts,
  textFeatures,
  utf8Into,
  Word,
  wordsOf,
} from './features';
import { loadModel, logit, ModelFile, score, toModelFile, vectorize } from './model';
import { lbfgs, objective, trainModel } from './train';
import { analyse, EXAMPLE_FLOOR, exampleSet, SHIPPED_MODEL_PATH, shippedModel } from './analyse';
import { readPlaybook } from '../playbook';

const SMALL = { ...DEFAULT_FEATURE_OPTIONS, buckets: 1 << 12, families: ['char', 'word', 'bigram'] as Family[] };

describe('voice model: features', () => {
  it('normalises links, handles, numbers and hashtags to placeholders', () => {
    const words = wordsOf('@Sam_99 see https://example.org/a?b=1 on 12.5 #BinDay, ok?').map((w) => w.norm);
    assert.deepEqual(words, ['@user', 'see', 'url', 'on', '0', '#tag', 'ok', '?']);
  });
  it('splits sentences at end punctuation and line breaks, keeping offsets', () => {
    const text = 'First one. Second one!\nThird line… and more';
    assert.deepEqual(
      sentenceSpans(text).map((s) => text.slice(s.start, s.end)),
      ['First one.', 'Second one!', 'Third line…', 'and more'],
    );
  });
  it('a text’s counts are the sum of its sentences’ counts (so posts re-score from cached sentences)', () => {
    const text = 'We hear you. Our team is on it today!';
    const whole = sumCounts(textFeatures(text, SMALL));
    const parts = textFeatures(text, SMALL);
    assert.equal(parts.length, 2);
    const again = sumCounts(parts);
    assert.deepEqual([...again].sort(), [...whole].sort());
    // every counted bucket is in range, and each word knows its buckets
    for (const p of parts) {
      for (const b of p.wordBuckets) assert.ok(b >= 0 && b < SMALL.buckets);
      assert.equal(p.wordStart.length, p.words.length + 1);
      assert.equal(p.wordStart[p.words.length], p.wordBuckets.length);
      // no style family on: every occurrence is owned by a word
      assert.equal(p.loose.length, 0);
    }
  });
});

describe('voice model: trainer', () => {
  it('its gradient matches finite differences of its objective', () => {
    // 4 documents over 3 columns.
    const rows = {
      ptr: Int32Array.from([0, 2, 3, 5, 6]),
      col: Int32Array.from([0, 1, 2, 0, 2, 1]),
      val: Float64Array.from([0.5, 1, -1, 2, 0.3, -0.7]),
    };
    const y = Float64Array.from([1, 0, 1, 0]);
    const cw = Float64Array.from([1, 2, 1, 0.5]);
    const p = Float64Array.from([0.3, -0.2, 0.1, 0.05]);
    const g = new Float64Array(4);
    objective(rows, y, cw, 0.1, p, g);
    for (let j = 0; j < 4; j++) {
      const h = 1e-6;
      const a = Float64Array.from(p);
      const b = Float64Array.from(p);
      a[j] += h;
      b[j] -= h;
      const num = (objective(rows, y, cw, 0.1, a, new Float64Array(4)) - objective(rows, y, cw, 0.1, b, new Float64Array(4))) / (2 * h);
      assert.ok(Math.abs(num - g[j]) < 1e-6, `d/dp${j}: ${num} vs ${g[j]}`);
    }
  });
  it('L-BFGS finds the minimum of a quadratic', () => {
    const x = lbfgs((v, g) => {
      g[0] = 2 * (v[0] - 3);
      g[1] = 20 * (v[1] + 1);
      return (v[0] - 3) ** 2 + 10 * (v[1] + 1) ** 2;
    }, new Float64Array(2));
    assert.ok(Math.abs(x[0] - 3) < 1e-4 && Math.abs(x[1] + 1) < 1e-4, `${x[0]}, ${x[1]}`);
  });
  it('separates a separable toy set, and the same data gives the same numbers', () => {
    const inst = [
      'please be advised services are suspended',
      'customers are advised to plan ahead',
      'services are suspended until further notice',
      'customers are advised services resume later',
    ];
    const conv = ['ha the ducks got there first', 'loved the lemon cake today', 'the ducks loved the cake', 'ha we got lemon cake first'];
    const docs = [...inst.map((t) => ({ t, y: 1 as const })), ...conv.map((t) => ({ t, y: 0 as const }))].map(({ t, y }) => ({
      counts: sumCounts(textFeatures(t, SMALL)),
      y,
    }));
    const m = trainModel(docs, { opts: SMALL, lambda: 1e-4, styleScale: 0, balance: true });
    docs.forEach((d) => assert.equal(score(m, d.counts) >= 0.5, d.y === 1));
    const again = trainModel(docs, { opts: SMALL, lambda: 1e-4, styleScale: 0, balance: true });
    assert.equal(JSON.stringify(toModelFile(again)), JSON.stringify(toModelFile(m)));
    // The file round-trips to the same scores (to the precision of its rounded weights).
    const back = loadModel(toModelFile(m));
    docs.forEach((d) => assert.ok(Math.abs(score(back, d.counts) - score(m, d.counts)) < 1e-2));
  });
  /** A toy set: buckets 1 and 2 tell the classes apart, bucket 3 is in every document. */
  const doc = (b: number, y: 0 | 1) => ({
    counts: new Map([
      [b, 1],
      [3, 1],
    ]),
    y,
  });
  const docs = [doc(1, 1), doc(1, 1), doc(2, 0), doc(2, 0)];
  const o = { opts: SMALL, lambda: 1e-3, styleScale: 0, balance: true, nbAlpha: 1 };
  it('NB-LR scaling: separates the toy set too, and a bucket both classes use alike carries no weight', () => {
    // Buckets 1 and 2 tell the classes apart; bucket 3 is in every document, the same share
    // of each class. Plain LR leaves bucket 3 whatever the optimiser stopped at; NB-LR scales
    // it by its log-count ratio, log(1) = 0.
    const m = trainModel(docs, o);
    docs.forEach((d) => assert.equal(score(m, d.counts) >= 0.5, d.y === 1));
    assert.ok(m.w[1] > 0 && m.w[2] < 0, `${m.w[1]}, ${m.w[2]}`);
    assert.equal(m.w[3], 0);
    assert.equal(JSON.stringify(toModelFile(trainModel(docs, o))), JSON.stringify(toModelFile(m)));
    // One more institutional document with bucket 3 makes it lean institutional.
    const leaning = trainModel([...docs, doc(3, 1)], o);
    assert.ok(leaning.w[3] > 0, `${leaning.w[3]}`);
  });
  it('the naive Bayes term adds its log-ratios to the fitted weights: more on telling buckets, none on a shared one', () => {
    const plain = trainModel(docs, o);
    const withNb = trainModel(docs, { ...o, mnb: { alpha: 0.01, weight: 1 } });
    assert.ok(withNb.w[1] > plain.w[1] && withNb.w[2] < plain.w[2], `${withNb.w[1]}, ${withNb.w[2]}`);
    assert.ok(Math.abs(withNb.w[3] - plain.w[3]) < 1e-9, `${withNb.w[3]}`);
    // Weight 0 is the plain model, number for number.
    assert.equal(
      JSON.stringify(toModelFile(trainModel(docs, { ...o, mnb: { alpha: 0.01, weight: 0 } }))),
      JSON.stringify(toModelFile(plain)),
    );
  });
});

describe('voice model: sentence attribution', () => {
  it('sentence contributions add up to the post’s logit less the bias', () => {
    const model = shippedModel();
    const text = 'Sam here from the desk. Your query has been logged and a member of the team will respond within 5 working days.';
    const offsets = Array.from({ length: text.length + 1 }, (_, i) => i);
    const a = analyse(model, [{ text, offsets }]);
    const z = logit(model, vectorize(model, sumCounts(textFeatures(text, model.opts))));
    const sum = a.sentences.reduce((s, x) => s + x.contribution, 0);
    assert.ok(Math.abs(sum - (z - model.bias)) < 1e-6, `${sum} vs ${z - model.bias}`);
    assert.ok(Math.abs(a.score - 1 / (1 + Math.exp(-z))) < 1e-9);
    const [top] = a.carrying;
    assert.equal(text.slice(top.start, top.end), 'Your query has been logged and a member of the team will respond within 5 working days.');
  });
});

describe('voice model: the shipped file', () => {
  const raw = fs.readFileSync(SHIPPED_MODEL_PATH, 'utf8');
  const file = JSON.parse(raw) as ModelFile;

  it('is small (≤ 1 MB) and loads', () => {
    assert.ok(raw.length <= 1_000_000, `${raw.length} bytes`);
    const m = loadModel(file);
    assert.ok(m.threshold > 0 && m.threshold < 1);
  });

  it('a damaged file is refused with a clear reason, not loaded half-way', () => {
    const bad = (patch: Record<string, unknown>) => () => loadModel({ ...file, ...patch });
    assert.throws(bad({ buckets: 1000 }), /power of two/);
    assert.throws(bad({ weight: file.weight.slice(1) }), /one of each per entry/);
    assert.throws(bad({ bias: 'x' }), /not a number/);
    assert.throws(bad({ families: ['char', 'emoji'] }), /unknown feature family/);
    assert.throws(bad({ featureVersion: 99 }), /retrain/);
  });

  it('holds numbers only: no texts, no n-gram strings, none of the training texts’ words', () => {
    const SCHEMA = new Set([
      'format',
      'featureVersion',
      'buckets',
      'families',
      'minN',
      'maxN',
      'styleScale',
      'bias',
      'threshold',
      'index',
      'weight',
      'weightDigits',
      'idf',
      'unseenIdf',
      'measured',
      'folds',
      'posts',
      'model',
      'withPhraseRules',
      'precision',
      'recall',
      'f1',
    ]);
    const FAMILIES = new Set(['char', 'word', 'bigram', 'style']);
    const walk = (v: unknown, key: string): void => {
      if (typeof v === 'number') return assert.ok(Number.isFinite(v), key);
      if (typeof v === 'string') return assert.ok(key === 'families' && FAMILIES.has(v), `string ${JSON.stringify(v)} under ${key}`);
      if (Array.isArray(v)) return v.forEach((x) => walk(x, key));
      assert.ok(v && typeof v === 'object', `${key}: ${typeof v}`);
      for (const [k, x] of Object.entries(v)) {
        assert.ok(SCHEMA.has(k), `unexpected key ${k}`);
        walk(x, k);
      }
    };
    walk(file, '');
    // Every letter sequence in the raw file is one of the schema's own words (key names and
    // family names, written by code): so no word of any training text is in it.
    const words = new Set(raw.match(/(?<![\d.])\p{L}[\p{L}\p{N}]*/gu) ?? []);
    for (const w of words) assert.ok(SCHEMA.has(w) || FAMILIES.has(w), `word ${w}`);
  });
});

/**
 * The feature code as it was before it was made faster (string n-grams, the murmurhash
 * package, a regex per style check, a sort by word), kept here as the reference: the fast
 * code must give the same buckets in the same order, or the shipped model reads posts wrong.
 * It shares the word lists, patterns and seeds with features.ts: what is tested is the algorithm.
 */
const encoder = new TextEncoder();
const hashOf = (s: string, seed: number, mask: number) => murmurhash.v3(encoder.encode(s), seed) & mask;
function normWord(raw: string): string {
  const c = raw.charCodeAt(0);
  if (c === 64) return '@user';
  if (c === 35) return '#tag';
  if (c >= 48 && c <= 57) return '0';
  if (/^\p{N}/u.test(raw)) return '0';
  return raw.toLowerCase().replace(/’/g, "'");
}
function refSentenceSpans(text: string): { start: number; end: number }[] {
  const out: { start: number; end: number }[] = [];
  const re = /[.!?…]+["”’)\]]*(?=\s|$)|\n+/g;
  const trim = (start: number, end: number) => {
    while (start < end && /\s/.test(text[start])) start++;
    while (end > start && /\s/.test(text[end - 1])) end--;
    return { start, end };
  };
  let start = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text))) {
    const end = m[0].startsWith('\n') ? m.index : m.index + m[0].length;
    if (/\S/.test(text.slice(start, end))) out.push(trim(start, end));
    start = m.index + m[0].length;
  }
  if (/\S/.test(text.slice(start))) out.push(trim(start, text.length));
  return out;
}
function refWordsOf(text: string, start = 0, end = text.length): Word[] {
  const slice = text.slice(start, end);
  const words: Word[] = [];
  const urls: [number, number][] = [];
  URL_RE.lastIndex = 0;
  let u: RegExpExecArray | null;
  while ((u = URL_RE.exec(slice))) urls.push([u.index, u.index + u[0].length]);
  let pos = 0;
  const scan = (from: number, to: number) => {
    WORD_RE.lastIndex = 0;
    const part = slice.slice(from, to);
    let m: RegExpExecArray | null;
    while ((m = WORD_RE.exec(part)))
      words.push({ norm: normWord(m[0]), start: start + from + m.index, end: start + from + m.index + m[0].length });
  };
  for (const [a, b] of urls) {
    scan(pos, a);
    words.push({ norm: 'url', start: start + a, end: start + b });
    pos = b;
  }
  scan(pos, slice.length);
  return words;
}
function refSentenceFeatures(text: string, start: number, end: number, opts: FeatureOptions): SentenceFeatures {
  const words = refWordsOf(text, start, end);
  const owned: number[] = [];
  const owner: number[] = [];
  const loose: number[] = [];
  const add = (b: number, wi: number) => {
    if (wi >= 0) {
      owned.push(b);
      owner.push(wi);
    } else loose.push(b);
  };
  const fam = new Set(opts.families);
  const mask = opts.buckets - 1;
  for (let i = 0; i < words.length; i++) {
    const w = words[i].norm;
    if (fam.has('char') && /^[\p{L}']/u.test(w)) {
      const bytes = encoder.encode('<' + w + '>');
      for (let n = opts.minN; n <= opts.maxN; n++)
        for (let j = 0; j + n <= bytes.length; j++) add(murmurhash.v3(bytes.subarray(j, j + n), SEEDS.char + n) & mask, i);
    }
    if (fam.has('word')) add(hashOf(w, SEEDS.word, mask), i);
    if (fam.has('bigram')) add(hashOf((i === 0 ? '<s>' : words[i - 1].norm) + ' ' + w, SEEDS.bigram, mask), i);
  }
  if (fam.has('bigram') && words.length > 0) add(hashOf(words[words.length - 1].norm + ' </s>', SEEDS.bigram, mask), words.length - 1);
  if (fam.has('style')) {
    const st = (f: StyleFeature, wi = -1) => add(opts.buckets + STYLE_FEATURES.indexOf(f), wi);
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
  const wordStart = new Int32Array(words.length + 1);
  for (const wi of owner) wordStart[wi + 1]++;
  for (let i = 0; i < words.length; i++) wordStart[i + 1] += wordStart[i];
  const wordBuckets = new Int32Array(owned.length);
  const fill = wordStart.slice(0, words.length);
  for (let k = 0; k < owned.length; k++) wordBuckets[fill[owner[k]]++] = owned[k];
  return { start, end, words, wordBuckets, wordStart, loose: Int32Array.from(loose) };
}

/** Text that exercises the features: words (some of them the style lists'), links, handles, numbers, any Unicode. */
const TOKENS = [
  'we',
  'We',
  'WE',
  'ARE',
  'I',
  'i',
  'my',
  'you',
  "you're",
  'we’ll',
  'is',
  'was',
  'been',
  'made',
  'closed',
  'by',
  'the',
  'information',
  'statement',
  'kindness',
  'https://example.org/a?b=1',
  'www.example.com',
  'pic.twitter.com/x',
  'http:/',
  'w.',
  '@Sam_9',
  '#BinDay',
  '12.5',
  '3,000',
  '٣',
  '²',
  '𝟎',
  '!',
  '?',
  ':',
  '.',
  '…',
  '\n',
  '. ',
  '"',
  '”',
  'ÉTÉ',
  'naïve',
  'straße',
  'İstanbul',
  'ǅ',
  'e\u0301',
  '😀',
  '👍🏽',
  '\ud800',
  '\udc00',
  '\u00a0',
  '\t',
  'Ωmega',
  'ſ',
  'K',
];
const prose = fc
  .array(
    fc.oneof(fc.constantFrom(...TOKENS), fc.string({ unit: 'binary', maxLength: 6 }), fc.string({ unit: 'grapheme-ascii', maxLength: 8 })),
    {
      maxLength: 40,
    },
  )
  .chain((parts) =>
    fc
      .array(fc.constantFrom(' ', '', '  ', '\n', '. '), { minLength: parts.length, maxLength: parts.length })
      .map((gaps) => parts.map((p, i) => p + gaps[i]).join('')),
  );
/** Strings of any UTF-16 code units, lone surrogates included. */
const codeUnits = fc.array(fc.integer({ min: 0, max: 0xffff }), { maxLength: 40 }).map((cs) => String.fromCharCode(...cs));
const plain = (fs: SentenceFeatures[]) =>
  fs.map((f) => ({ ...f, wordBuckets: [...f.wordBuckets], wordStart: [...f.wordStart], loose: [...f.loose] }));

describe('voice model: the fast feature code gives what the reference code gives', () => {
  it('utf8Into writes the bytes TextEncoder gives, astral characters and lone surrogates included', () => {
    const enc = new TextEncoder();
    fc.assert(
      fc.property(fc.oneof(codeUnits, fc.string({ unit: 'binary' })), fc.nat(8), (s, at) => {
        const buf = new Uint8Array(at + 3 * s.length);
        const end = utf8Into(s, buf, at);
        assert.deepEqual(buf.subarray(at, end), enc.encode(s));
      }),
      { numRuns: 3000 },
    );
  });
  it('sentence spans, words and every sentence’s buckets, in order, under each family set', () => {
    const optsList: FeatureOptions[] = [
      DEFAULT_FEATURE_OPTIONS,
      SMALL,
      { ...DEFAULT_FEATURE_OPTIONS, families: ['char', 'style'] },
      { ...DEFAULT_FEATURE_OPTIONS, buckets: 1 << 10, families: ['bigram', 'style'], minN: 1, maxN: 3 },
    ];
    fc.assert(
      fc.property(fc.oneof(prose, codeUnits), fc.constantFrom(...optsList), (text, opts) => {
        const spans = refSentenceSpans(text);
        assert.deepEqual(sentenceSpans(text), spans);
        assert.deepEqual(wordsOf(text), refWordsOf(text));
        assert.deepEqual(plain(textFeatures(text, opts)), plain(spans.map((s) => refSentenceFeatures(text, s.start, s.end, opts))));
      }),
      { numRuns: 2000 },
    );
  });
  it('a post’s closest example and its similarity are the cosine of the two vectors, summed in the example’s order', () => {
    const model = shippedModel();
    const examples = readPlaybook({ workspaceRoot: '/nonexistent-workspace' }).examples;
    assert.ok(examples.length > 0, 'the default playbook has examples');
    const set = exampleSet(model, examples);
    // Posts made of the examples' own words (so some come close), shuffled with other prose.
    const exampleWords = examples.flatMap((e) => e.text.split(/\s+/)).filter(Boolean);
    const post = fc.tuple(fc.array(fc.constantFrom(...exampleWords), { maxLength: 40 }), prose).map(([ws, p]) => ws.join(' ') + ' ' + p);
    let close = 0;
    fc.assert(
      fc.property(post, (text) => {
        const a = analyse(model, [{ text, offsets: Array.from({ length: text.length + 1 }, (_, i) => i) }], { examples: set });
        const v = vectorize(model, sumCounts(refSentenceSpans(text).map((s) => refSentenceFeatures(text, s.start, s.end, model.opts))));
        let best = -1;
        let sim = EXAMPLE_FLOOR;
        set.vectors.forEach((ev, i) => {
          let s = 0;
          ev.forEach((x, b) => {
            if (b < model.opts.buckets && v.has(b)) s += x * v.get(b)!;
          });
          if (s > sim) [best, sim] = [i, s];
        });
        if (best < 0) return assert.equal(a.example, undefined);
        close++;
        assert.deepEqual(a.example, { file: examples[best].file, line: examples[best].line, side: examples[best].side, similarity: sim });
      }),
      { numRuns: 500 },
    );
    assert.ok(close > 50, `${close} posts close to an example`);
  });
});
