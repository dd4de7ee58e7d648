/**
 * The one way Unscripted says a length of time, so lint ("Scheduled … ahead") and review
 * ("… ahead") never disagree about the same post: under 90 minutes in minutes, under two days
 * in hours, beyond that in days and hours, rounded to the nearest hour first (199 days 23 hours
 * 59 minutes is "200 days").
 */
export function formatDuration(minutes: number): string {
  const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? '' : 's'}`;
  const abs = Math.abs(minutes);
  if (abs < 0.5) return 'less than a minute';
  if (abs < 90) return plural(Math.round(abs), 'minute');
  const hours = Math.round(abs / 60);
  if (hours < 48) return plural(hours, 'hour');
  const days = Math.floor(hours / 24);
  const rest = hours - days * 24;
  return rest ? `${plural(days, 'day')} ${plural(rest, 'hour')}` : plural(days, 'day');
}

/**
 * A schedule setting's length, exactly, in the largest unit the playbook's duration syntax knows
 * that divides it (weeks, days, hours): `336` → "2 weeks", `36` → "36 hours". For showing a
 * setting as written (`unscripted playbook`); elapsed or remaining time goes through formatDuration.
 */
export function formatSettingHours(h: number): string {
  const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? '' : 's'}`;
  if (h % 168 === 0) return plural(h / 168, 'week');
  if (h % 24 === 0) return plural(h / 24, 'day');
  return plural(h, 'hour');
}

/** A duration in hours, said as formatDuration says it (the schedule rules count in hours). */
export function formatHours(hours: number): string {
  return formatDuration(hours * 60);
}
