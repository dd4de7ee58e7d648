/**
 * The schedule policy at publish time (`unscripted publish --due`):
 * - due: `publish_at` has come, status is `scheduled` or `ready`, not yet published everywhere
 * - held: the playbook is paused (crisis switch), or a channel's burst allowance is used up;
 *   never marked sent, they go out on a later run
 * - stale: not re-read (`reviewed_at`) within the review window before it goes out (core/stale.ts,
 *   the same definition as the schedule-stale rule; a due post goes out now); a person must read
 *   it again and set reviewed_at
 * - draft: due by time but still a draft
 */
import path from 'node:path';
import type { Playbook } from '../playbook';
import type { ParsedPost } from '../post';
import { formatDuration } from '../duration';
import { reviewedAtStamp, staleness } from '../stale';
import { readLedger } from './ledger';
import { postChannels } from './publisher';

export type DueState = 'due' | 'held' | 'stale' | 'draft';

export interface DueDecision {
  file: string;
  state: DueState;
  reason?: string;
  publishAt: Date;
}

const ago = (ms: number) => formatDuration(ms / 60_000);

/** Undefined when the post is not due at all (no publish_at, in the future, or published). */
export function dueDecision(post: ParsedPost, playbook: Playbook, now: Date, root: string): DueDecision | undefined {
  const at = post.meta.publishAt;
  if (!at || at.getTime() > now.getTime()) return undefined;
  if (post.meta.status === 'published') return undefined;
  const rel = path.relative(root, post.file) || post.file;
  const base = { file: post.file, publishAt: at };
  const ledger = readLedger(post.text);
  const channels = postChannels(post);
  if (channels.every((c) => ledger.published.some((e) => e.channel === c))) return undefined;
  if (post.meta.status !== 'scheduled' && post.meta.status !== 'ready') {
    return {
      ...base,
      state: 'draft',
      reason: `publish_at has passed but its status is ${post.meta.status ?? 'not set'}: set status: scheduled when it is ready to go`,
    };
  }
  const s = playbook.schedule;
  if (s.paused) {
    return {
      ...base,
      state: 'held',
      reason: `publishing is paused${s.pauseReason ? ` (${s.pauseReason})` : ''}; it goes out on the first run after the pause is lifted`,
    };
  }
  const windowMs = s.reviewWindowHours * 3_600_000;
  const reviewed = post.meta.reviewedAt;
  if (staleness(at, reviewed, s.reviewWindowHours, now).stale) {
    return {
      ...base,
      state: 'stale',
      reason:
        `${reviewed ? `last re-read ${ago(now.getTime() - reviewed.getTime())} ago` : 'never re-read (no reviewed_at)'}, ` +
        `outside the ${ago(windowMs)} review window: read ${rel} again against today's news, then set reviewed_at: ${reviewedAtStamp(now)} (or reschedule it)`,
    };
  }
  return { ...base, state: 'due' };
}

/** Posts sent per channel within the burst window before `now`, from every post's ledger. */
export function recentPerChannel(posts: ParsedPost[], playbook: Playbook, now: Date): Map<string, number> {
  const windowMs = playbook.schedule.burst.windowHours * 3_600_000;
  const counts = new Map<string, number>();
  for (const p of posts) {
    for (const e of readLedger(p.text).published) {
      const t = Date.parse(e.at);
      if (!isNaN(t) && t <= now.getTime() && now.getTime() - t < windowMs) counts.set(e.channel, (counts.get(e.channel) ?? 0) + 1);
    }
  }
  return counts;
}
