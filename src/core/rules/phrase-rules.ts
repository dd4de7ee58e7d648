/**
 * The four phrase rules whose lists live in the playbook's voice file share one shape:
 * report each match, with the playbook's suggestions as replacement edits.
 */
import { Rule, reportPhraseMatches, RuleContext } from '../engine';
import type { Severity } from '../types';
import type { PhraseMatch } from '../phrases';

export function phraseRule(
  id: string,
  description: string,
  message: (quoted: string) => string,
  options: { defaultSeverity?: Severity; keep?: (ctx: RuleContext, m: PhraseMatch) => boolean } = {},
): Rule {
  return {
    id,
    description,
    defaultSeverity: options.defaultSeverity ?? 'warning',
    category: 'voice',
    run(ctx) {
      reportPhraseMatches(ctx, id, message, options.keep ? (m) => options.keep!(ctx, m) : undefined);
    },
  };
}
