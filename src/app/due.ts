/**
 * `unscripted publish --due`: which posts go out now, in order, and which are held. The schedule
 * policy of each post is core's (core/publish/schedule.ts dueDecision); the burst allowance is
 * counted here across the run: a post is held when one of its channels already had `burst.max`
 * posts within the burst window, counting the ones this run has just published. A dry run counts
 * the channels it would send to the same way (BurstAllowance.count), so it reports the same holds
 * as the real run.
 */
import type { Playbook } from '../core/playbook';
import type { ParsedPost } from '../core/post';
import { dueDecision, recentPerChannel, type DueDecision } from '../core/publish/schedule';
import { postChannels, type PublishReport } from '../core/publish/publisher';
import { formatDuration } from '../core/duration';

export interface DueEntry {
  post: ParsedPost;
  decision: DueDecision;
}

/** The posts that are due (or held, stale, draft) at `now`, earliest publish_at first. */
export function dueQueue(posts: ParsedPost[], playbook: Playbook, now: Date, root: string): DueEntry[] {
  return posts
    .map((post) => ({ post, decision: dueDecision(post, playbook, now, root) }))
    .filter((x): x is DueEntry => x.decision !== undefined)
    .sort((a, b) => a.decision.publishAt.getTime() - b.decision.publishAt.getTime());
}

/** The burst allowance of each channel during one run. */
export class BurstAllowance {
  private readonly recent: Map<string, number>;
  constructor(
    posts: ParsedPost[],
    private readonly playbook: Playbook,
    now: Date,
  ) {
    this.recent = recentPerChannel(posts, playbook, now);
  }

  /** Why `post` must wait for a later run, or undefined when every channel of it has room. */
  holdReason(post: ParsedPost): string | undefined {
    const burst = this.playbook.schedule.burst;
    const full = postChannels(post).find((c) => this.sent(c) >= burst.max);
    if (!full) return undefined;
    const window = formatDuration(burst.windowHours * 60);
    return `${this.sent(full)} posts went to ${full} in the last ${window} (burst: ${burst.max} per ${window}); it goes out on a later run`;
  }

  /**
   * Count what one post of the run took from the allowance: the channels it published to, or, in
   * a dry run, the channels it would send to (the same post refused sends nothing either way).
   */
  count(report: PublishReport, dryRun: boolean): void {
    if (report.refused) return;
    const channels = dryRun
      ? report.plan.filter((p) => p.state === 'send' || p.state === 'resume').map((p) => p.channel)
      : report.results.filter((r) => r.outcome === 'published').map((r) => r.channel);
    for (const c of channels) this.record(c);
  }

  /** Count a post this run published to `channel`. */
  record(channel: string): void {
    this.recent.set(channel, this.sent(channel) + 1);
  }

  sent(channel: string): number {
    return this.recent.get(channel) ?? 0;
  }
}
