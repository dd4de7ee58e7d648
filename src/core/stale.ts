/**
 * The one definition of a "stale" post, shared by the schedule-stale lint rule and the publish
 * scheduler (`unscripted publish --due`), so both say the same of the same post at the same clock:
 *
 *   A post is stale when nobody has re-read it (`reviewed_at`) within the review window before
 *   it goes out. It goes out at `publish_at`; when a publish run comes later than that, it goes
 *   out at that run (`now`). So the window always ends when readers would see the post.
 *
 * Lint, before `publish_at`, measures the window back from `publish_at`; the scheduler, at or
 * after `publish_at`, measures it back from now. A review exactly at the window's start counts.
 */

export interface Staleness {
  /** When the post goes out: publish_at, or now if that has passed. */
  goesOut: Date;
  /** Start of the review window (goesOut − review window). */
  windowStart: Date;
  /** No reviewed_at, or one before the window's start. */
  stale: boolean;
}

export function staleness(publishAt: Date, reviewedAt: Date | undefined, reviewWindowHours: number, now: Date): Staleness {
  const goesOut = new Date(Math.max(publishAt.getTime(), now.getTime()));
  const windowStart = new Date(goesOut.getTime() - reviewWindowHours * 3_600_000);
  return { goesOut, windowStart, stale: !reviewedAt || reviewedAt.getTime() < windowStart.getTime() };
}

/** The `reviewed_at:` value a writer sets after re-reading (ISO 8601 UTC, whole seconds), as lint's quick fix and publish --due suggest it. */
export function reviewedAtStamp(now: Date): string {
  return now.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
