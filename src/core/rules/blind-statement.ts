/**
 * blind-statement: absolute claims ("you can't …", "it is impossible to …") that mislead a
 * newcomer who lacks the context. A claim qualified in the same sentence ("unless", "if",
 * "without", "until", "yet", "except", "on its own") is not blind, and a question is not a claim.
 */
import { phraseRule } from './phrase-rules';
import type { RuleContext } from '../rule-contract';
import type { PhraseMatch } from '../phrases';

/** Words that qualify a claim, give its reason, or report someone else's claim. */
const QUALIFIERS = new Set([
  // conditions and limits
  'unless',
  'if',
  'without',
  'until',
  'except',
  'yet',
  'alone',
  'only',
  'when',
  'while',
  'before',
  'after',
  // hedges
  'maybe',
  'perhaps',
  'probably',
  'might',
  'sometimes',
  'usually',
  'often',
  // a stated reason
  'because',
  'since',
  'due',
  // a stated time or occasion: "you can't park here during the works", "… this week", "… at the moment"
  'during',
  'moment',
  'currently',
  'temporarily',
  'now',
  'today',
  'tonight',
  'tomorrow',
  'week',
  'weekend',
  'days',
  'month',
  'year',
  // reported speech: the writer is quoting or disputing the claim, not making it
  'say',
  'says',
  'said',
  'saying',
  'claim',
  'claims',
  'claiming',
  'think',
  'thinks',
  'thinking',
  'believe',
  'believes',
  'myth',
  'told',
]);

/** "You can't beat …", "you can't go wrong …", "you can't miss it": idioms of praise or directions, not claims. */
const IDIOM_NEXT = new Set(['beat', 'miss', 'help', 'wait', 'imagine', 'believe', 'tell', 'top', 'fault', 'argue', 'complain']);
const IDIOM_NEXT2 = new Set(['go wrong', 'make this', 'make that', 'make it', 'get enough', 'have too', 'please everyone']);

function idiom(ctx: RuleContext, m: PhraseMatch): boolean {
  const sentence = ctx.sentences.find((s) => s.start <= m.start && m.end <= s.end);
  if (!sentence) return false;
  const i = sentence.tokens.findIndex((t) => t.start >= m.end);
  if (i < 0) return false;
  const a = sentence.tokens[i].norm;
  const b = sentence.tokens[i + 1]?.norm;
  return IDIOM_NEXT.has(a) || (b !== undefined && IDIOM_NEXT2.has(`${a} ${b}`));
}

function qualified(ctx: RuleContext, m: PhraseMatch): boolean {
  const sentence = ctx.sentences.find((s) => s.start <= m.start && m.end <= s.end);
  if (!sentence) return false;
  const after = ctx.text.slice(sentence.end, sentence.end + 3);
  if (after.trimStart().startsWith('?')) return true;
  return sentence.tokens.some((t) => QUALIFIERS.has(t.norm));
}

export const blindStatement = phraseRule(
  'blind-statement',
  'Absolute claims without qualification ("you can\'t", "it is impossible to") that mislead readers who lack the context',
  (q) => `${q} is a blind statement: someone new to this takes it literally — say when or why it holds`,
  { keep: (ctx, m) => !qualified(ctx, m) && !idiom(ctx, m) },
);
