/** What the status bar counts, with no `vscode` import so unit tests reach it. */
import type { Playbook } from '../core/playbook';
import type { ParsedPost } from '../core/post';
import { renderChannels } from '../core/render';
import type { Platform } from '../core/types';

export interface ChannelLength {
  channel: string;
  platform: Platform;
  label: string;
  /** Longest thread part. */
  length: number;
  limit?: number;
  parts: { index: number; length: number }[];
  over: boolean;
}

/** Length of each of the post's channels, longest part first (channels without a limit are left out). */
export function channelLengths(post: ParsedPost, playbook: Playbook): ChannelLength[] {
  const out: ChannelLength[] = [];
  const channels = renderChannels(post, playbook.channels);
  const platformCount = new Map<Platform, number>();
  for (const c of channels) platformCount.set(c.platform, (platformCount.get(c.platform) ?? 0) + 1);
  for (const c of channels) {
    if (c.limit === undefined) continue;
    out.push({
      channel: c.channel,
      platform: c.platform,
      label: (platformCount.get(c.platform) ?? 0) > 1 ? `${c.name} (${c.channel})` : c.name,
      length: c.parts.reduce((m, p) => Math.max(m, p.length), 0),
      limit: c.limit,
      parts: c.parts.map((p) => ({ index: p.index, length: p.length })),
      over: c.over,
    });
  }
  return out;
}
