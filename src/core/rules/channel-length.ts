/**
 * channel-length: each thread part against each of the post's channels, counted the way the
 * platform counts (Bluesky graphemes, Mastodon graphemes with URLs as 23, X weighted as
 * twitter-text does, LinkedIn characters). The channels table can override a limit.
 */
import type { Rule, RuleContext } from '../rule-contract';
import { COUNTING, countLength } from '../platforms';
import { renderBlocksCut, renderChannels, type RenderedPart } from '../render';
import type { Platform, Suggestion } from '../types';

/** The thread marker: a line holding only `---`, with blank lines around it (else it is a heading underline). */
export const THREAD_BREAK = '\n\n---\n\n';

/** Where a part may be cut: after each sentence end with more of the part after it (`at`: the cut, `to`: the end of the white space it replaces). */
export function cutCandidates(ctx: RuleContext, part: RenderedPart): { at: number; to: number }[] {
  const ends: { at: number; to: number }[] = [];
  for (const s of ctx.sentences) {
    if (s.start < part.offset || s.end >= part.endOffset) continue;
    const m = /^[.!?…]+["”’)\]]*/.exec(ctx.text.slice(s.end, s.end + 8));
    if (!m) continue;
    const at = s.end + m[0].length;
    const gap = /^[ \t]*(\r?\n[ \t]*)?/.exec(ctx.text.slice(at, at + 40))![0];
    const to = at + gap.length;
    // Only between two sentences of one paragraph or of adjacent lines, with text after it in the part.
    if (gap.length === 0 || !ctx.text.slice(to, part.endOffset).trim()) continue;
    ends.push({ at, to });
  }
  return ends;
}

/**
 * Where to split an over-long part: after the last sentence whose text up to there fits the limit,
 * as the platform counts the rendered text. Replaces the space after that sentence with the marker.
 */
export function splitPoint(ctx: RuleContext, part: RenderedPart, platform: Platform, limit: number): Suggestion | undefined {
  const ends = cutCandidates(ctx, part);
  // The part's text up to a cut renders as its whole blocks before the cut plus the start of the
  // block the cut falls in; when the whole blocks alone are over the limit, no cut in that block
  // or later can fit, so those are skipped without rendering anything.
  const blocks = ctx.blocks.filter((b) => b.start >= part.offset && b.start < part.endOffset);
  const wholeBefore = (k: number) => countLength(renderBlocksCut(blocks.slice(0, k), ctx.text, Infinity), platform);
  let k = -1;
  let fitsBefore = false;
  for (let i = ends.length - 1; i >= 0; i--) {
    const { at, to } = ends[i];
    const inBlock = blocks.findIndex((b) => b.end >= at) + 1 || blocks.length;
    if (inBlock !== k) {
      k = inBlock;
      fitsBefore = wholeBefore(k - 1) <= limit;
    }
    if (!fitsBefore) continue;
    if (countLength(renderBlocksCut(blocks.slice(0, k), ctx.text, at), platform) > limit) continue;
    return { text: 'Split into a thread here', label: 'Split into a thread here', edit: { offset: at, endOffset: to, text: THREAD_BREAK } };
  }
  return undefined;
}
export const channelLength: Rule = {
  id: 'channel-length',
  description: 'A thread part longer than a channel allows, counted as the platform counts',
  defaultSeverity: 'error',
  category: 'structure',
  run(ctx) {
    for (const r of renderChannels(ctx.post, ctx.playbook.channels)) {
      const id = r.channel;
      const ch = ctx.playbook.channels.get(id)!;
      const parts = r.parts;
      const many = parts.length > 1;
      for (const part of parts) {
        if (part.limit === undefined || part.length <= part.limit) continue;
        // Underline the excess: from where the limit falls (by proportion) to the end of the part.
        const src = ctx.text.slice(part.offset, part.endOffset);
        const trimmedEnd = part.offset + src.trimEnd().length;
        const lead = src.length - src.trimStart().length;
        const split = splitPoint(ctx, part, ch.platform, part.limit);
        const from = Math.min(
          trimmedEnd - 1,
          part.offset + lead + Math.floor(((trimmedEnd - part.offset - lead) * part.limit) / part.length),
        );
        ctx.report({
          offset: Math.max(part.offset + lead, from),
          endOffset: trimmedEnd,
          message: `${many ? `Part ${part.index + 1} is` : 'This post is'} ${part.length}/${part.limit} characters on ${r.name}${id === ch.platform ? '' : ` (${id})`}: ${part.length - part.limit} over${many ? '' : ' — cut it, or split it into a thread'}`,
          rationale: COUNTING[ch.platform],
          suggestions: split ? [split] : [],
          definedAt: ch.limit !== undefined ? { file: ch.file, line: ch.line } : undefined,
          channel: id,
          // `disable-next-line channel-length` goes above the part, where its text starts.
          anchor: ctx.prose.segments.find((seg) => seg.start >= part.offset && seg.start < part.endOffset)?.start ?? part.offset + lead,
        });
      }
    }
  },
};
