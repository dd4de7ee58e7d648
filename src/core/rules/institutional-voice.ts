/**
 * institutional-voice: the post as a whole reads scripted, top-down or PR — judged by a linear
 * model trained on labelled real posts (src/core/voice-model), adapted by the team's own
 * examples (playbook `kind: examples`). One finding per post, on the sentence or few sentences
 * that carry the verdict, naming the words that weigh most and the score.
 */
import type { Rule } from '../rule-contract';
import { analyse, exampleSet, piecesOfProse, shippedModel, weightyPhrases } from '../voice-model/analyse';
import * as path from 'node:path';

export const INSTITUTIONAL_VOICE_ID = 'institutional-voice';

/** Posts with fewer words than this are not judged: too little to hear a voice in. */
export const MIN_WORDS = 4;

/** A carrying sentence longer than this (characters) is marked at its weightiest words instead. */
const MAX_MARK = 400;

export const institutionalVoice: Rule = {
  id: INSTITUTIONAL_VOICE_ID,
  description:
    'The post as a whole reads institutional (scripted, top-down or PR), as judged by a model trained on labelled real posts and the team’s own examples',
  defaultSeverity: 'warning',
  category: 'voice',
  options: {
    threshold: {
      min: 0.05,
      max: 0.99,
      description: 'Score (0–1) from which a post is flagged; higher flags fewer posts',
      default: () => shippedModel().threshold,
    },
  },
  run(ctx) {
    const pieces = piecesOfProse(ctx.prose);
    if (pieces.length === 0) return;
    let model;
    try {
      model = shippedModel();
    } catch (e) {
      // A broken install (the model file missing or damaged): say so once per post, lint the rest.
      ctx.report({
        offset: 0,
        endOffset: 0,
        message: `The voice model could not be loaded, so the post's voice was not judged: ${(e as Error).message}`,
      });
      return;
    }
    const threshold = ctx.playbook.ruleOptions.get(INSTITUTIONAL_VOICE_ID)?.threshold ?? model.threshold;
    // A sentence a phrase rule already flags has its exact fix there: the model adds nothing to
    // it, and reports on the sentences no phrase rule speaks for (rules switched off speak for none).
    const phrased: [number, number][] = [];
    for (const id of ctx.playbook.rules.keys()) {
      if (ctx.playbook.overrides.get(id) === 'off') continue;
      for (const m of ctx.phraseMatches(id)) phrased.push([m.start, m.end]);
    }
    const examples = ctx.playbook.examples.length ? exampleSet(model, ctx.playbook.examples) : undefined;
    const a = analyse(model, pieces, { examples, explainFrom: threshold, exclude: (s, e) => phrased.some(([x, y]) => x < e && y > s) });
    if (a.wordCount < MIN_WORDS || !a.isEnglish || a.score < threshold) return;
    const carrying = a.carrying;
    if (carrying.length === 0) return;
    const top = [...carrying].sort((x, y) => y.contribution - x.contribution)[0];
    const weighty = weightyPhrases(a);
    // A very long "sentence" (a paragraph without full stops) is marked where it weighs most.
    const heaviestInTop = weighty.find((w) => w.start >= top.start && w.end <= top.end);
    const [from, to] = top.end - top.start > MAX_MARK && heaviestInTop ? [heaviestInTop.start, heaviestInTop.end] : [top.start, top.end];
    const phrases = weighty.map((w) => `“${ctx.text.slice(w.start, w.end).replace(/\s+/g, ' ')}”`);
    const carry = phrases.length ? `: ${phrases.join(', ')} carry most of it` : '';
    const more = carrying.length > 1 ? ` (and ${carrying.length - 1} more sentence${carrying.length > 2 ? 's' : ''} like it)` : '';
    const where = ctx.playbook.isDefault
      ? `the shipped default playbook's ${path.basename(a.example?.file ?? '')}`
      : path.relative(path.dirname(ctx.playbook.dir), a.example?.file ?? '');
    const ex = a.example
      ? `; closest to your “${a.example.side === 'us' ? 'Sounds like us' : 'Not us'}” example at ${where}:${a.example.line}`
      : '';
    ctx.report({
      offset: from,
      endOffset: to,
      message: `Reads institutional (${a.score.toFixed(2)})${carry}${more} — say it as you would to a person${ex}`,
      rationale:
        'Rewrite the marked sentence the way you would say it to the person reading it: specific, first person, plain words. ' +
        'Scored by a model trained on real posts labelled institutional or conversational, adjusted by the team’s examples; ' +
        `a score of ${threshold.toFixed(2)} or more is flagged (rules: { institutional-voice: { threshold: … } } in the playbook changes it).`,
      explanation: {
        score: a.score,
        modelScore: a.modelScore,
        threshold,
        phrases: weighty.map((w) => ({ text: ctx.text.slice(w.start, w.end), offset: w.start, endOffset: w.end, weight: w.contribution })),
        sentences: carrying.map((s) => ({ offset: s.start, endOffset: s.end, score: s.score, weight: s.contribution })),
        example: a.example,
      },
    });
  },
};
