/**
 * schedule-burst: more posts on one channel within the playbook's burst window than it
 * allows. Looks at every scheduled post of the workspace.
 */
import type { Rule } from '../rule-contract';
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
      const times: { t: number; file: string }[] = [{ t, file: ctx.file }];
      for (const p of ctx.index.all()) {
        if (p.file === ctx.file) continue;
        // What already went out counts too (the ledger's `published:` times), as `publish --due` counts it.
        for (const e of p.meta.published) {
          const at = e.channel === channel ? Date.parse(e.at) : NaN;
          if (!isNaN(at) && Math.abs(at - t) < win) times.push({ t: at, file: p.file });
        }
        if (p.meta.status !== 'scheduled' || !p.meta.publishAt) continue;
        if (!p.meta.channels.includes(channel)) continue;
        const pt = p.meta.publishAt.getTime();
        if (Math.abs(pt - t) < win) times.push({ t: pt, file: p.file });
      }
      if (times.length <= max) continue;
      times.sort((a, b) => a.t - b.t);
      // The busiest window of `win` that contains this post.
      let worst: typeof times = [];
      for (let i = 0; i < times.length; i++) {
        if (times[i].t > t) break;
        const inWin = times.filter((x) => x.t >= times[i].t && x.t < times[i].t + win);
        if (inWin.some((x) => x.file === ctx.file) && inWin.length > worst.length) worst = inWin;
      }
      if (worst.length <= max) continue;
      const r = publishAtRange(ctx);
      const others = [...new Set(worst.filter((x) => x.file !== ctx.file).map((x) => path.basename(x.file)))];
      ctx.report({
        offset: r.start,
        endOffset: r.end,
        message: `${worst.length} posts on ${channel} within ${formatHours(windowHours)} (the limit is ${max}, ${policyName(ctx, 'burst')}); with ${others.slice(0, 4).join(', ')}${others.length > 4 ? ', …' : ''}: spread them out`,
        definedAt: policyRef(ctx, 'burst'),
      });
    }
  },
};
