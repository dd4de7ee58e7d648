/**
 * Model selection for the voice model, by leave-one-source-out cross-validation only:
 * feature families, regularisation, style scale, NB-LR smoothing (NB=0 is plain LR). Prints a table; chooses nothing by itself.
 *
 *   node out/training/explore.js
 */
import { DEFAULT_FEATURE_OPTIONS, Family, FeatureOptions } from '../src/core/voice-model/features';
import { confusion, countsOf, looScores, prf, readCorpus } from './corpus';

const items = readCorpus();
const labelled = items.filter((it) => it.kind !== 'unknown');
console.log(`${labelled.length} labelled posts`);

function best(scores: number[]) {
  const rows: string[] = [];
  let bestT = 0.5;
  let bestR = -1;
  for (let t = 0.3; t <= 0.9001; t += 0.025) {
    const c = confusion(
      labelled,
      scores.map((s) => s >= t),
    );
    const p = prf(c);
    if (p.precision >= 0.9 && p.recall > bestR) {
      bestR = p.recall;
      bestT = t;
    }
  }
  const at = (t: number) => {
    const p = prf(
      confusion(
        labelled,
        scores.map((s) => s >= t),
      ),
    );
    return `t=${t.toFixed(3)} P=${p.precision.toFixed(3)} R=${p.recall.toFixed(3)} F1=${p.f1.toFixed(3)}`;
  };
  rows.push(at(0.5), bestR >= 0 ? `P≥.9 at ${at(bestT)}` : 'P≥.9 never');
  return rows.join(' | ');
}

const familySets: Family[][] = (process.env.FAMS ?? 'char,word,bigram,style;char,word,bigram;char;word,bigram,style;char,style')
  .split(';')
  .map((s) => s.split(',') as Family[]);
const lambdas = (process.env.LAMBDAS ?? '1e-4,3e-4,1e-3,3e-3').split(',').map(Number);
const scales = (process.env.SCALES ?? '0.1').split(',').map(Number);
const nbAlphas = (process.env.NB ?? '0,1').split(',').map(Number);
const bucketsList = (process.env.BUCKETS ?? String(1 << 18)).split(',').map(Number);
for (const buckets of bucketsList)
  for (const families of familySets) {
    const opts: FeatureOptions = { ...DEFAULT_FEATURE_OPTIONS, buckets, families };
    const t0 = Date.now();
    const counts = countsOf(labelled, opts);
    for (const lambda of lambdas)
      for (const styleScale of families.includes('style') ? scales : [0])
        for (const nbAlpha of nbAlphas) {
          const s = looScores(labelled, counts, { opts, lambda, styleScale, balance: true, nbAlpha });
          console.log(
            `B=${buckets} ${families.join('+').padEnd(22)} λ=${lambda} ss=${styleScale} nb=${nbAlpha}: ${best(s)}  (${Date.now() - t0} ms)`,
          );
        }
  }
