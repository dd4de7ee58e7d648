/**
 * The clock a run uses (`--now` of lint, review and publish): one parser for all three.
 * Accepts an ISO 8601 date-time with an offset (`2026-03-01T09:00:00Z`, `2026-03-01T09:00+05:30`)
 * or a bare date (`2026-03-01`, read as midnight UTC), each checked against the calendar.
 */
import { parseIsoWithOffset } from '../core/post';

export const CLOCK_EXAMPLE = '2026-03-01T09:00:00Z';

/** The instant `value` names, or undefined when it is not a date-time with an offset or a date. */
export function parseClock(value: string): Date | undefined {
  const v = value.trim();
  return parseIsoWithOffset(v) ?? (/^\d{4}-\d{2}-\d{2}$/.test(v) ? parseIsoWithOffset(`${v}T00:00:00Z`) : undefined);
}

/** The message for a value parseClock refused, naming the option. */
export function clockError(option: string, value: string): string {
  return `${option} "${value}" is not an ISO 8601 date-time with an offset, like ${CLOCK_EXAMPLE}, or a date, like 2026-03-01`;
}
