/**
 * schedule-burst: more posts on one channel within the playbook's burst window than it
 * allows. Looks at every scheduled post of the workspace.
 */
import type { Rule, RuleContext } from '../rule-contract';
import type { ChannelTime } from '../post-index';
import * as path from 'node:path';
import { policyName, policyRef, publishAtRange, scheduledAt } from './schedule-common';
import { formatHours } from '../duration';

export const scheduleBurst: Rule = {
  id: 'schedule-burst',
  description: 'More posts per channel within the burst window than the playbook allows',
  defaultSeverity: 'warning',
  category: 'schedule',
  run(ctx) {
    const at = scheduledAt(ctx);
    if (!at) return;
    const { max, windowHours } = ctx.playbook.schedule.burst;
    const win = windowHours * 3_600_000;
    const t = at.getTime();
    for (const channel of new Set(ctx.post.meta.channels)) {
      // The other posts' times within one window either side of this post, read from the
      // index's sorted list (a binary search, not a pass over every post), this post first
      // among equal times.
      const all = ctx.index.channelTimes(channel);
      let lo = 0;
      let hi = all.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (all[mid].t <= t - win) lo = mid + 1;
        else hi = mid;
      }
      const times: ChannelTime[] = [];
      let own = false;
      for (let i = lo; i < all.length && all[i].t < t + win; i++) {
        if (all[i].file === ctx.file) continue;
        if (!own && all[i].t >= t) {
          times.push({ t, file: ctx.file });
          own = true;
        }
        times.push(all[i]);
      }
      if (!own) times.push({ t, file: ctx.file });
      if (times.length <= max) continue;
      // The busiest window of `win` that starts at a time at or before this post's (so holds it):
      // two pointers over the sorted times, the first such window kept on a tie.
      let worst: ChannelTime[] = [];
      let end = 0;
      for (let i = 0; i < times.length && times[i].t <= t; i++) {
        if (i > 0 && times[i].t === times[i - 1].t) continue;
        if (end < i) end = i;
        while (end < times.length && times[end].t < times[i].t + win) end++;
        if (end - i > worst.length) worst = times.slice(i, end);
      }
      if (worst.length > max) reportBurst(ctx, channel, worst);
    }
  },
};

/** The finding for a post in `worst`, the busiest window of posts on `channel` that holds it. */
export function reportBurst(ctx: RuleContext, channel: string, worst: readonly ChannelTime[]): void {
  const { max, windowHours } = ctx.playbook.schedule.burst;
  const r = publishAtRange(ctx);
  const others = [...new Set(worst.filter((x) => x.file !== ctx.file).map((x) => path.basename(x.file)))];
  ctx.report({
    offset: r.start,
    endOffset: r.end,
    message: `${worst.length} posts on ${channel} within ${formatHours(windowHours)} (the limit is ${max}, ${policyName(ctx, 'burst')}); with ${others.slice(0, 4).join(', ')}${others.length > 4 ? ', …' : ''}: spread them out`,
    definedAt: policyRef(ctx, 'burst'),
  });
}
