/**
 * talking-point: a sentence that reproduces a playbook talking point near-verbatim, or the same
 * sentence pasted across several posts. Word-level and robust to small edits: a sentence
 * counts when its longest common word sequence with a talking point covers most of both.
 */
import type { Rule, RuleContext, Sentence } from '../rule-contract';
import type { TalkingPoint, Playbook } from '../playbook';
import { words } from '../text';
import { MIN_PASTED_WORDS } from '../post-index';

/** Share of the talking point's words a sentence must reproduce, in order. */
export const COVER_POINT = 0.75;
/** Share of the sentence's own words that must come from the talking point. */
export const COVER_SENTENCE = 0.6;

interface PointIndex {
  points: { tp: TalkingPoint; words: string[] }[];
  /** word bigram → indexes of points holding it */
  bigrams: Map<string, number[]>;
}

const cache = new WeakMap<Playbook, PointIndex>();

function pointIndex(pb: Playbook): PointIndex {
  let idx = cache.get(pb);
  if (!idx) {
    idx = { points: [], bigrams: new Map() };
    for (const tp of pb.talkingPoints) {
      const w = words(tp.text);
      const i = idx.points.length;
      idx.points.push({ tp, words: w });
      for (let k = 0; k + 1 < w.length; k++) {
        const key = `${w[k]} ${w[k + 1]}`;
        const list = idx.bigrams.get(key);
        if (!list) idx.bigrams.set(key, [i]);
        else if (list[list.length - 1] !== i) list.push(i);
      }
    }
    cache.set(pb, idx);
  }
  return idx;
}

/** Length of the longest common subsequence of two word lists. */
export function lcs(a: string[], b: string[]): number {
  const prev = new Array<number>(b.length + 1).fill(0);
  const cur = new Array<number>(b.length + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      cur[j] = a[i - 1] === b[j - 1] ? prev[j - 1] + 1 : Math.max(prev[j], cur[j - 1]);
    }
    for (let j = 0; j <= b.length; j++) prev[j] = cur[j];
  }
  return prev[b.length];
}

/**
 * The words of the sentence that come from the talking point: leading and trailing words it does
 * not hold ("We are pleased to announce that …") are left out, so the squiggle marks the parroted
 * words and does not lie under the voice findings around them.
 */
function distinctiveSpan(s: Sentence, pointWords: string[]): { start: number; end: number } {
  const inPoint = new Set(pointWords);
  let i = 0;
  let j = s.tokens.length - 1;
  while (i < j && !inPoint.has(s.tokens[i].norm)) i++;
  while (j > i && !inPoint.has(s.tokens[j].norm)) j--;
  return { start: s.tokens[i].start, end: s.tokens[j].end };
}

function bestPoint(idx: PointIndex, sent: string[]): { tp: TalkingPoint; score: number; words: string[] } | undefined {
  const hits = new Map<number, number>();
  for (let k = 0; k + 1 < sent.length; k++) {
    for (const i of idx.bigrams.get(`${sent[k]} ${sent[k + 1]}`) ?? []) hits.set(i, (hits.get(i) ?? 0) + 1);
  }
  let best: { tp: TalkingPoint; score: number; words: string[] } | undefined;
  for (const [i, shared] of hits) {
    const p = idx.points[i];
    if (shared < Math.min(2, p.words.length - 1)) continue;
    const common = lcs(sent, p.words);
    const score = common / p.words.length;
    if (score >= COVER_POINT && common / sent.length >= COVER_SENTENCE && (!best || score > best.score))
      best = { tp: p.tp, score, words: p.words };
  }
  return best;
}

function sentenceWords(s: Sentence): string[] {
  return s.tokens.filter((t) => !t.norm.startsWith('@') && !t.norm.startsWith('#')).map((t) => t.norm);
}

function checkPasted(ctx: RuleContext, s: Sentence, w: string[]): void {
  if (w.length < MIN_PASTED_WORDS) return;
  const others = ctx.index.othersWithSentence(w.join(' '), ctx.file, 3);
  const total = others.count + 1;
  if (total <= ctx.playbook.maxRepeats) return;
  ctx.report({
    offset: s.start,
    endOffset: s.end,
    severity: ctx.playbook.talkingPointSeverity,
    message: `This sentence is pasted in ${total} posts (also ${others.names.join(', ')}${others.count > 3 ? ', …' : ''}): say it in your own words for this post`,
  });
}

export const talkingPoint: Rule = {
  id: 'talking-point',
  description: 'A sentence that parrots a playbook talking point near-verbatim, or is pasted across several posts',
  defaultSeverity: 'warning',
  category: 'voice',
  run(ctx) {
    const idx = pointIndex(ctx.playbook);
    for (const s of ctx.sentences) {
      const w = sentenceWords(s);
      if (w.length < 3) continue;
      const hit = idx.points.length ? bestPoint(idx, w) : undefined;
      if (hit) {
        const span = distinctiveSpan(s, hit.words);
        ctx.report({
          offset: span.start,
          endOffset: span.end,
          severity: ctx.playbook.talkingPointSeverity,
          message: `This repeats the talking point “${hit.tp.text}” (${hit.tp.campaign}) almost word for word: say it in your own words`,
          definedAt: { file: hit.tp.file, line: hit.tp.line },
          rationale:
            'Social media does not care about your talking points. A message pasted from the brief reads as a press release; the same point in your own words, tied to what is happening, reads as a person.',
        });
        continue;
      }
      checkPasted(ctx, s, w);
    }
  },
};
