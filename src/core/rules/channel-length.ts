/**
 * channel-length: each thread part against each of the post's channels, counted the way the
 * platform counts (Bluesky graphemes, Mastodon characters with URLs as 23, X weighted as
 * twitter-text does, LinkedIn characters). The channels table can override a limit.
 */
import type { Rule } from '../engine';
import { renderParts } from '../render';
import type { Platform } from '../types';

const UNIT: Partial<Record<Platform, string>> = { bluesky: 'graphemes', mastodon: 'characters', x: 'weighted characters', linkedin: 'characters' };
const NAME: Record<Platform, string> = { bluesky: 'Bluesky', mastodon: 'Mastodon', x: 'X', linkedin: 'LinkedIn', outbox: 'Outbox', feed: 'Feed', webhook: 'Webhook' };

export function platformName(p: Platform): string {
  return NAME[p];
}

export const channelLength: Rule = {
  id: 'channel-length',
  description: 'A thread part longer than a channel allows, counted as the platform counts',
  defaultSeverity: 'error',
  category: 'structure',
  run(ctx) {
    for (const id of ctx.post.meta.channels) {
      const ch = ctx.playbook.channels.get(id);
      if (!ch) continue;
      const parts = renderParts(ctx.post, ch.platform, ch.limit);
      const many = parts.length > 1;
      for (const part of parts) {
        if (part.limit === undefined || part.length <= part.limit) continue;
        // Underline the excess: from where the limit falls (by proportion) to the end of the part.
        const src = ctx.text.slice(part.offset, part.endOffset);
        const trimmedEnd = part.offset + src.trimEnd().length;
        const lead = src.length - src.trimStart().length;
        const from = Math.min(trimmedEnd - 1, part.offset + lead + Math.floor(((trimmedEnd - part.offset - lead) * part.limit) / part.length));
        ctx.report({
          offset: Math.max(part.offset + lead, from),
          endOffset: trimmedEnd,
          message: `${many ? `Part ${part.index + 1} is` : 'This post is'} ${part.length}/${part.limit} ${UNIT[ch.platform] ?? 'characters'} on ${platformName(ch.platform)} (${id}): ${part.length - part.limit} over${many ? '' : ' — cut it, or split it into a thread with a line holding only ---'}`,
          definedAt: ch.limit !== undefined ? { file: ch.file, line: ch.line } : undefined,
          channel: id,
          // `disable-next-line channel-length` goes above the part, where its text starts.
          anchor: ctx.prose.segments.find((seg) => seg.start >= part.offset && seg.start < part.endOffset)?.start ?? part.offset + lead,
        });
      }
    }
  },
};
