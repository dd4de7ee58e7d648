/**
 * The four phrase rules whose lists live in the playbook's voice file share one shape:
 * report each match, with the playbook's suggestions as replacement edits. The message names the
 * replacement and the rule's `label` ("authority voice"); `message` is for phrases with none.
 */
import { Rule, reportPhraseMatches, RuleContext } from '../rule-contract';
import type { Severity } from '../types';
import type { PhraseMatch } from '../phrases';

export function phraseRule(
  id: string,
  description: string,
  message: (quoted: string) => string,
  options: { defaultSeverity?: Severity; keep?: (ctx: RuleContext, m: PhraseMatch) => boolean; label?: string } = {},
): Rule {
  return {
    id,
    description,
    defaultSeverity: options.defaultSeverity ?? 'warning',
    category: 'voice',
    run(ctx) {
      reportPhraseMatches(
        ctx,
        id,
        message,
        options.keep ? (m) => options.keep!(ctx, m) : undefined,
        options.label ?? id.replace(/-/g, ' '),
      );
    },
  };
}
