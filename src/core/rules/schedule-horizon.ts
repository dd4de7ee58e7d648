/**
 * schedule-horizon: a post scheduled further ahead than the playbook's horizon. Scheduling far
 * ahead makes a team irrelevant: the post cannot know what will be happening. Date-bound
 * posts (`occasion: true`) are exempt.
 */
import type { Rule } from '../rule-contract';
import { policyName, policyRef, publishAtRange, scheduledAt } from './schedule-common';
import { formatHours } from '../duration';

export const scheduleHorizon: Rule = {
  id: 'schedule-horizon',
  description: "A post scheduled beyond the playbook's horizon (unless it is an occasion)",
  defaultSeverity: 'warning',
  category: 'schedule',
  run(ctx) {
    const at = scheduledAt(ctx);
    if (!at || ctx.post.meta.occasion) return;
    const aheadHours = (at.getTime() - ctx.now.getTime()) / 3_600_000;
    const limit = ctx.playbook.schedule.horizonDays * 24;
    if (aheadHours <= limit) return;
    const r = publishAtRange(ctx);
    ctx.report({
      offset: r.start,
      endOffset: r.end,
      message: `Scheduled ${formatHours(aheadHours)} ahead; the horizon is ${formatHours(limit)} (${policyName(ctx, 'horizon')}). A post written this far ahead can miss what is happening: schedule it nearer the time, or set \`occasion: true\` if it is date-bound`,
      definedAt: policyRef(ctx, 'horizon'),
    });
  },
};
