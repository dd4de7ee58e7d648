/**
 * New post files: front matter written by gray-matter (js-yaml quotes whatever needs quoting),
 * lists in flow style as the docs show them (`channels: [bluesky, mastodon]`).
 */
import type Matter from 'gray-matter';
import type { PostStatus } from './types';

export interface NewPost {
  title: string;
  channels: string[];
  status?: PostStatus;
  campaign?: string;
  author?: string;
  body?: string;
}

export function newPostText(p: NewPost): string {
  const data: Record<string, unknown> = { title: p.title.trim(), channels: p.channels, status: p.status ?? 'draft' };
  if (p.campaign) data.campaign = p.campaign;
  if (p.author) data.author = p.author;
  // Loaded on first use (New Post), not with the editor.
  const matter = require('gray-matter') as typeof Matter;
  return matter.stringify(p.body ?? '\n', data, { flowLevel: 1 } as Matter.GrayMatterOption<string, never>);
}
