/**
 * Inline control comments, in the style of the unified collective's message control:
 *   <!-- unscripted-disable rule-id [rule-id …] -->      (no ids: every rule)
 *   <!-- unscripted-enable rule-id -->
 *   <!-- unscripted-disable-next-line rule-id -->
 *   <!-- unscripted-disable-line rule-id -->
 */
import type { Comment } from './markdown';
import { closest, type LineIndex } from './text';
import type { Finding } from './types';

export type Directive = 'disable' | 'enable' | 'disable-next-line' | 'disable-line';

interface Control {
  directive: Directive;
  /** Empty: every rule. */
  rules: string[];
  offset: number;
  line: number;
  endLine: number;
}

export interface Controls {
  list: Control[];
  problems: Omit<Finding, 'suggestions'>[];
}

const CONTROL = /^<!--\s*unscripted-(disable-next-line|disable-line|disable|enable)\b([\s\S]*?)-->$/;

/** `voice/authority-voice` is accepted for the built-in `authority-voice`. */
export function canonicalRuleId(id: string, known: Set<string>): string {
  if (known.has(id)) return id;
  const bare = id.replace(/^voice\//, '');
  return known.has(bare) ? bare : id;
}

/** `: did you mean "x"?` for a near rule id, or nothing. */
function didYouMean(id: string, known: Set<string>): string {
  const near = closest(id, known);
  return near ? `: did you mean "${near}"?` : '';
}

export function parseControls(comments: Comment[], lines: LineIndex, known: Set<string>): Controls {
  const list: Control[] = [];
  const problems: Controls['problems'] = [];
  // Each unknown rule id is reported once per post (at its first use), with a count of the rest.
  const unknown = new Map<string, { problem: Controls['problems'][number]; more: number }>();
  for (const c of comments) {
    if (c.unclosed) {
      const s = lines.position(c.start);
      const e = lines.position(Math.min(c.end, lines.lineEnd(s.line)));
      const control = /^<!--\s*unscripted-/.test(c.value);
      problems.push({
        ruleId: 'inline-control',
        severity: 'error',
        message: `This comment is not closed: add --> where it ends. Until then everything after it is hidden${control ? ' from lint and' : ''} from the published post`,
        line: s.line,
        column: s.column,
        endLine: e.line,
        endColumn: e.column,
        offset: c.start,
        endOffset: Math.min(c.end, lines.lineEnd(s.line)),
      });
      continue;
    }
    const m = CONTROL.exec(c.value.trim());
    if (!m) continue;
    const rules = m[2]
      .split(/[\s,]+/)
      .filter(Boolean)
      .map((r) => canonicalRuleId(r, known));
    const s = lines.position(c.start);
    const e = lines.position(c.end);
    for (const r of rules) {
      if (!known.has(r)) {
        const seen = unknown.get(r);
        if (seen) {
          seen.more++;
          continue;
        }
        const problem: Controls['problems'][number] = {
          ruleId: 'inline-control',
          severity: 'warning',
          message: `Unknown rule "${r}" in an unscripted-${m[1]} comment${didYouMean(r, known)}`,
          line: s.line,
          column: s.column,
          endLine: e.line,
          endColumn: e.column,
          offset: c.start,
          endOffset: c.end,
        };
        unknown.set(r, { problem, more: 0 });
        problems.push(problem);
      }
    }
    list.push({ directive: m[1] as Directive, rules, offset: c.start, line: s.line, endLine: e.line });
  }
  for (const { problem, more } of unknown.values())
    if (more) problem.message += ` (and ${more} more time${more === 1 ? '' : 's'} in this post)`;
  return { list, problems };
}

const applies = (c: Control, ruleId: string) => c.rules.length === 0 || c.rules.includes(ruleId);

/**
 * Is a finding from `offset` to `endOffset` switched off? A `disable-line` comment covers a
 * finding that touches any line it sits on (a phrase broken over two lines is silenced by the
 * comment at the end of either line, which is where the editor's quick fix writes it);
 * `disable-next-line` covers a finding that starts on the line below it.
 */
export function isSuppressed(controls: Controls, ruleId: string, offset: number, lines: LineIndex, endOffset = offset): boolean {
  if (controls.list.length === 0) return false;
  const line = lines.position(offset).line;
  const endLine = endOffset > offset + 1 ? lines.position(endOffset - 1).line : line; // end is exclusive
  let disabled = false;
  for (const c of controls.list) {
    if (!applies(c, ruleId)) continue;
    if (c.directive === 'disable-next-line' && line === c.endLine + 1) return true;
    if (c.directive === 'disable-line' && line <= c.endLine && endLine >= c.line) return true;
    if (c.offset > offset) continue;
    if (c.directive === 'disable') disabled = true;
    else if (c.directive === 'enable') disabled = false;
  }
  return disabled;
}
