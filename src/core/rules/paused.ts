/**
 * paused: anything scheduled while the playbook's pause switch is on (a crisis). Scheduled posts
 * are held, never sent, until the pause is lifted.
 */
import type { Rule } from '../rule-contract';
import { policyName, policyRef, publishAtRange } from './schedule-common';

export const paused: Rule = {
  id: 'paused',
  description: 'A post scheduled while the playbook has publishing paused',
  defaultSeverity: 'error',
  category: 'schedule',
  run(ctx) {
    const s = ctx.playbook.schedule;
    if (!s.paused || ctx.post.meta.status !== 'scheduled') return;
    const r = publishAtRange(ctx);
    ctx.report({
      offset: r.start,
      endOffset: r.end,
      message: `Publishing is paused (${policyName(ctx, 'paused')})${s.pauseReason ? `: ${s.pauseReason}` : ''}. This post will be held until the pause is lifted; re-read it before then`,
      definedAt: policyRef(ctx, 'paused'),
    });
  },
};
