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
 * The short form, for a tree row with little room: "3 d 4 h", "1 h 30 min", "25 min". Kept to
 * the minute under a day (a scheduled post an hour and a half away is not "2 h" away), then days
 * and whole hours (minutes dropped). The sign is the caller's ("in …", "overdue by …").
 */
export function formatDurationShort(minutes: number): string {
  const min = Math.round(Math.abs(minutes));
  const h = Math.floor(min / 60);
  const d = Math.floor(h / 24);
  if (d >= 1) return `${d} d${h % 24 ? ` ${h % 24} h` : ''}`;
  if (h >= 1) return `${h} h${min % 60 ? ` ${min % 60} min` : ''}`;
  return `${min} min`;
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
