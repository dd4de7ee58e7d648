/**
 * schedule-stale: a scheduled post that nobody has re-read within the review window before it
 * goes out (reviewed_at missing or too old), or whose time has passed while still scheduled.
 * The suggestion sets reviewed_at to now, for a writer who has just re-read it. What "stale"
 * means is defined once, in core/stale.ts, for this rule and the publish scheduler alike.
 */
import type { Rule, RuleContext } from '../rule-contract';
import { keyRange } from '../frontmatter';
import { reviewedAtStamp, staleness } from '../stale';
import { policyName, policyRef, publishAtRange, scheduledAt } from './schedule-common';
import { formatHours } from '../duration';

function markReviewed(ctx: RuleContext) {
  const fm = ctx.post.frontMatter!;
  const value = reviewedAtStamp(ctx.now);
  const existing = keyRange(fm, 'reviewed_at');
  if (existing) return { text: `reviewed_at: ${value}`, edit: { offset: existing.start, endOffset: existing.end, text: value } };
  const pa = keyRange(fm, 'publish_at')!;
  const lineEnd = ctx.text.indexOf('\n', pa.end);
  const at = lineEnd < 0 ? pa.end : lineEnd + 1;
  return { text: `reviewed_at: ${value}`, edit: { offset: at, endOffset: at, text: `reviewed_at: ${value}\n` } };
}

export const scheduleStale: Rule = {
  id: 'schedule-stale',
  description: 'A scheduled post not re-read within the review window before it goes out, or past its time',
  defaultSeverity: 'warning',
  category: 'schedule',
  run(ctx) {
    const at = scheduledAt(ctx);
    if (!at) return;
    const r = publishAtRange(ctx);
    const toGo = (at.getTime() - ctx.now.getTime()) / 3_600_000;
    if (toGo < 0) {
      ctx.report({
        offset: r.start,
        endOffset: r.end,
        message: `publish_at passed ${formatHours(toGo)} ago and the post is still scheduled: publish it, reschedule it, or set it back to draft`,
      });
      return;
    }
    const window = ctx.playbook.schedule.reviewWindowHours;
    if (toGo > window) return;
    const reviewed = ctx.post.meta.reviewedAt;
    if (!staleness(at, reviewed, window, ctx.now).stale) return;
    ctx.report({
      offset: r.start,
      endOffset: r.end,
      message: `Goes out in ${formatHours(toGo)} and ${reviewed ? 'was last re-read before' : 'has not been re-read within'} the ${formatHours(window)} review window (${policyName(ctx, 'review_window')}): read it again against today's news, then set reviewed_at`,
      suggestions: [markReviewed(ctx)],
      definedAt: policyRef(ctx, 'review_window'),
    });
  },
};
