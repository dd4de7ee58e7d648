/**
 * front-matter: the post's YAML front matter against its schema, each error at the offending
 * key or list item: syntax, unknown keys, unknown channels, bad dates, unknown status, a
 * scheduled post without publish_at.
 */
import type { Rule, RuleContext } from '../rule-contract';
import { keyRange, keyNameRange, itemRange, topLevelKeys } from '../frontmatter';
import { parseIsoWithOffset } from '../post';
import { POST_STATUSES } from '../types';
import { closest, show } from '../text';

/** Keys a post may carry; `publishing` (the in-flight intent) and `published` are the publisher's ledger. */
export const POST_KEYS = [
  'title',
  'channels',
  'status',
  'publish_at',
  'campaign',
  'author',
  'occasion',
  'reviewed_at',
  'published',
  'publishing',
  'tags',
  'lint_override',
];

const DATE_HINT = 'an ISO 8601 date-time with an offset, like 2026-03-01T09:30:00+01:00';

function checkDate(ctx: RuleContext, key: string, allowDateOnly: boolean): void {
  const fm = ctx.post.frontMatter!;
  const raw = fm.data?.[key];
  if (raw === undefined || raw === null) return;
  if (parseIsoWithOffset(raw)) return;
  if (allowDateOnly && typeof raw === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(raw.trim()) && ctx.post.meta.reviewedAt) return;
  const r = keyRange(fm, key)!;
  const s = show(raw);
  const noOffset = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2})?$/.test(s.trim());
  ctx.report({
    offset: r.start,
    endOffset: r.end,
    severity: 'error',
    message: noOffset ? `${key}: "${s}" has no time zone offset: add one, like ${s.trim()}+00:00` : `${key}: "${s}" is not ${DATE_HINT}`,
  });
}

export const frontMatter: Rule = {
  id: 'front-matter',
  description: 'Post front matter: syntax, unknown keys and channels, bad dates, unknown status, scheduled without publish_at',
  defaultSeverity: 'error',
  category: 'structure',
  run(ctx) {
    const fm = ctx.post.frontMatter;
    if (!fm) {
      ctx.report({
        offset: 0,
        endOffset: 0,
        message: 'No front matter: start the post with a --- block holding title, channels and status',
      });
      return;
    }
    for (const e of fm.errors)
      ctx.report({ offset: e.offset, endOffset: Math.max(e.endOffset, e.offset + 1), message: `Front matter: ${e.message}` });
    const data = fm.data;
    if (!data) return;
    for (const k of topLevelKeys(fm)) {
      if (POST_KEYS.includes(k)) continue;
      const r = keyNameRange(fm, k)!;
      const near = closest(k, POST_KEYS);
      ctx.report({
        offset: r.start,
        endOffset: r.end,
        severity: 'warning',
        message: `Unknown front matter key "${k}"${near ? `: did you mean "${near}"?` : ''}`,
        suggestions: near ? [{ text: near, edit: { offset: r.start, endOffset: r.end, text: near } }] : [],
      });
    }
    const meta = ctx.post.meta;
    // channels
    const raw = data.channels;
    if (raw === undefined || raw === null) {
      ctx.report({
        offset: fm.start,
        endOffset: 3,
        severity: 'warning',
        message: 'No channels: add `channels: [id, …]` with ids from the channels playbook',
      });
    } else if (!Array.isArray(raw) && typeof raw !== 'string') {
      const r = keyRange(fm, 'channels')!;
      ctx.report({ offset: r.start, endOffset: r.end, message: 'channels must be a list of channel ids, like [bluesky, mastodon]' });
    } else {
      const items: unknown[] = Array.isArray(raw) ? raw : meta.channels;
      items.forEach((item, i) => {
        if (typeof item !== 'string' && typeof item !== 'number') {
          // `channels: [[outbox]]` must not quietly mean outbox.
          const r = itemRange(fm, 'channels', i)!;
          ctx.report({
            offset: r.start,
            endOffset: r.end,
            message: `channels: ${show(item)} is not a channel id: list ids, like [bluesky, mastodon]`,
          });
          return;
        }
        const id = String(item);
        if (ctx.playbook.channels.has(id)) return;
        const r = Array.isArray(raw) ? itemRange(fm, 'channels', i)! : keyRange(fm, 'channels')!;
        const near = closest(id, ctx.playbook.channels.keys());
        const known = [...ctx.playbook.channels.keys()].join(', ') || 'none declared';
        ctx.report({
          offset: r.start,
          endOffset: r.end,
          message: `Unknown channel "${id}"${near ? `: did you mean "${near}"?` : ''} (channels: ${known})`,
          suggestions: near && Array.isArray(raw) ? [{ text: near, edit: { offset: r.start, endOffset: r.end, text: near } }] : [],
        });
      });
    }
    // status
    if (data.status !== undefined && !(POST_STATUSES as readonly unknown[]).includes(data.status)) {
      const r = keyRange(fm, 'status')!;
      ctx.report({
        offset: r.start,
        endOffset: r.end,
        message: `Unknown status "${show(data.status)}"${((n) => (n ? `: did you mean "${n}"?` : ''))(closest(show(data.status), POST_STATUSES))} (use ${POST_STATUSES.join(', ')})`,
      });
    }
    if (data.status === 'scheduled' && (data.publish_at === undefined || data.publish_at === null)) {
      const r = keyRange(fm, 'status')!;
      ctx.report({ offset: r.start, endOffset: r.end, message: 'A scheduled post needs publish_at: when should it go out?' });
    }
    checkDate(ctx, 'publish_at', false);
    checkDate(ctx, 'reviewed_at', true);
    if (meta.reviewedAt && meta.reviewedAt.getTime() > ctx.now.getTime() + 5 * 60_000) {
      const r = keyRange(fm, 'reviewed_at')!;
      ctx.report({
        offset: r.start,
        endOffset: r.end,
        severity: 'warning',
        message: 'reviewed_at is in the future: it should say when someone last re-read the post',
      });
    }
    if ((data.status === 'ready' || data.status === 'scheduled') && ctx.post.parts.length === 0) {
      const r = keyRange(fm, 'status')!;
      ctx.report({ offset: r.start, endOffset: r.end, message: `The post is ${String(data.status)} but has no text to publish` });
    }
    if (data.occasion !== undefined && typeof data.occasion !== 'boolean') {
      const r = keyRange(fm, 'occasion')!;
      ctx.report({ offset: r.start, endOffset: r.end, message: 'occasion must be true or false' });
    }
    for (const k of ['title', 'campaign', 'author']) {
      const v = data[k];
      if (v !== undefined && v !== null && typeof v === 'object') {
        const r = keyRange(fm, k)!;
        ctx.report({ offset: r.start, endOffset: r.end, message: `${k} must be text` });
      }
    }
    if (meta.campaign && ctx.playbook.campaigns.size > 0 && !ctx.playbook.campaigns.has(meta.campaign)) {
      const r = keyRange(fm, 'campaign')!;
      const near = closest(meta.campaign, ctx.playbook.campaigns);
      ctx.report({
        offset: r.start,
        endOffset: r.end,
        severity: 'warning',
        message: `Unknown campaign "${meta.campaign}"${near ? `: did you mean "${near}"?` : ''} (the talking-points playbook has ${[...ctx.playbook.campaigns].join(', ')})`,
      });
    }
    if (data.published !== undefined && data.published !== null) {
      const ok =
        Array.isArray(data.published) &&
        data.published.every((e) => e && typeof e === 'object' && typeof (e as Record<string, unknown>).channel === 'string');
      if (!ok) {
        const r = keyRange(fm, 'published')!;
        ctx.report({
          offset: r.start,
          endOffset: r.end,
          message: 'published is the publishing ledger: a list of entries with channel, id, url and at (written by `unscripted publish`)',
        });
      }
    }
  },
};
