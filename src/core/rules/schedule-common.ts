/** Helpers shared by the schedule rules: where to point, and how to say a duration. */
import type { RuleContext } from '../rule-contract';
import { keyRange } from '../frontmatter';
import * as path from 'node:path';

export function publishAtRange(ctx: RuleContext): { start: number; end: number } {
  const fm = ctx.post.frontMatter;
  return (fm && (keyRange(fm, 'publish_at') ?? keyRange(fm, 'status'))) ?? { start: 0, end: 3 };
}

export function policyRef(
  ctx: RuleContext,
  key: 'horizon' | 'review_window' | 'burst' | 'paused',
): { file: string; line: number } | undefined {
  const s = ctx.playbook.schedule;
  if (!s.file) return undefined;
  return { file: s.file, line: s.lines[key] ?? 1 };
}

export function policyName(ctx: RuleContext, key: 'horizon' | 'review_window' | 'burst' | 'paused'): string {
  const ref = policyRef(ctx, key);
  return ref ? `${path.basename(ref.file)}:${ref.line}` : 'the default schedule policy';
}

/** Scheduled with a valid time: the posts the schedule rules look at. */
export function scheduledAt(ctx: RuleContext): Date | undefined {
  const m = ctx.post.meta;
  return m.status === 'scheduled' && m.publishAt ? m.publishAt : undefined;
}
