/**
 * Short texts the editor shows, with no `vscode` import so unit tests reach them: the published
 * post's code lens, the Playbook view's time to go and finding counts, the hover's line of
 * rationale.
 */
import { formatDurationShort } from '../core/duration';

/** The code lens over a published post's front matter; undefined for a post not published. */
export function publishedNote(meta: { status?: string; published: { channel: string }[] }): string | undefined {
  if (meta.status !== 'published' && meta.published.length === 0) return undefined;
  const channels = [...new Set(meta.published.map((p) => p.channel))];
  return `$(globe) Published${channels.length ? ` to ${channels.join(', ')}` : ''}: edits here are not sent — publishing again skips ${channels.length === 1 ? 'that channel' : 'those channels'}`;
}

/** "in 3 d 4 h", "in 25 min", "overdue by 2 h" (the length worded by core/duration). */
export function timeToGo(at: Date, now: Date): string {
  const ms = at.getTime() - now.getTime();
  const text = formatDurationShort(ms / 60_000);
  return ms >= 0 ? `in ${text}` : `overdue by ${text}`;
}

/** A post's findings in words for its tooltip ("1 error, 2 warnings, 1 info"); '' when none. */
export function findingCounts(p: { errors: number; warnings: number; infos: number }): string {
  const bits: string[] = [];
  if (p.errors) bits.push(`${p.errors} error${p.errors === 1 ? '' : 's'}`);
  if (p.warnings) bits.push(`${p.warnings} warning${p.warnings === 1 ? '' : 's'}`);
  if (p.infos) bits.push(`${p.infos} info`);
  return bits.join(', ');
}

/** First sentence of a rationale, for the one line the hover gives it. */
export function firstSentence(text: string): { line: string; more: boolean } {
  const t = text.replace(/\s+/g, ' ').trim();
  const m = /^(.{20,}?[.!?])\s+(?=[A-Z“"(])/.exec(t);
  return m ? { line: m[1], more: true } : { line: t, more: false };
}
