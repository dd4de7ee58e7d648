/**
 * `feed`: adds the post to a JSON Feed (feed/<channel>/feed.json, JSON Feed 1.1) and regenerates
 * the Atom file beside it (feed/<channel>/atom.xml) from it. The item id is the post's path, so
 * adding it again replaces the item instead of duplicating it. The channel's `host` (optional)
 * is the site the feed belongs to, for links.
 */
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import type { Adapter, AdapterEnv, PartToSend, SentPart } from '../adapter';
import { writeFileAtomic } from '../ledger';
import { escapeHtml as xml } from '../../escape';

interface FeedItem {
  id: string;
  url?: string;
  title?: string;
  content_text: string;
  date_published: string;
}

interface JsonFeed {
  version: string;
  title: string;
  home_page_url?: string;
  items: FeedItem[];
}

export function atomFromFeed(feed: JsonFeed, feedId: string): string {
  const updated =
    feed.items
      .map((i) => i.date_published)
      .sort()
      .pop() ?? new Date(0).toISOString();
  const entries = feed.items
    .map((i) =>
      [
        '  <entry>',
        `    <id>${xml(i.id)}</id>`,
        `    <title>${xml(i.title ?? i.content_text.split('\n')[0].slice(0, 80))}</title>`,
        i.url ? `    <link href="${xml(i.url)}"/>` : undefined,
        `    <updated>${xml(i.date_published)}</updated>`,
        `    <published>${xml(i.date_published)}</published>`,
        `    <content type="text">${xml(i.content_text)}</content>`,
        '  </entry>',
      ]
        .filter(Boolean)
        .join('\n'),
    )
    .join('\n');
  return (
    [
      '<?xml version="1.0" encoding="utf-8"?>',
      '<feed xmlns="http://www.w3.org/2005/Atom">',
      `  <id>${xml(feedId)}</id>`,
      `  <title>${xml(feed.title)}</title>`,
      feed.home_page_url ? `  <link href="${xml(feed.home_page_url)}"/>` : undefined,
      `  <updated>${xml(updated)}</updated>`,
      '  <author><name>' + xml(feed.title) + '</name></author>',
      entries,
      '</feed>',
      '',
    ]
      .filter((l) => l !== undefined && l !== '')
      .join('\n') + '\n'
  );
}

export class FeedAdapter implements Adapter {
  readonly threaded = false;
  readonly idempotent = true;
  constructor(private readonly env: AdapterEnv) {}
  get dir(): string {
    return path.join(this.env.root, 'feed', this.env.channel.id);
  }
  async connect(): Promise<void> {}
  async send(part: PartToSend, ctx: { started: string }): Promise<SentPart> {
    await fsp.mkdir(this.dir, { recursive: true });
    const jsonFile = path.join(this.dir, 'feed.json');
    let feed: JsonFeed;
    try {
      feed = JSON.parse(await fsp.readFile(jsonFile, 'utf8')) as JsonFeed;
      if (!Array.isArray(feed.items)) throw new Error('no items');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw new Error(`${jsonFile} is not a JSON Feed: ${(e as Error).message}`);
      const host = this.env.channel.host?.replace(/^https?:\/\//, '');
      feed = { version: 'https://jsonfeed.org/version/1.1', title: this.env.channel.account ?? this.env.channel.id, items: [] };
      if (host) feed.home_page_url = `https://${host}/`;
    }
    const id = `urn:unscripted:${this.env.channel.id}:${this.env.slug}`;
    const item: FeedItem = { id, title: this.env.title, content_text: part.text, date_published: ctx.started };
    if (feed.home_page_url) item.url = new URL(`${this.env.slug}/`, feed.home_page_url).toString();
    const i = feed.items.findIndex((x) => x.id === id);
    if (i >= 0) feed.items[i] = item;
    else feed.items.unshift(item);
    feed.items.sort((a, b) => b.date_published.localeCompare(a.date_published));
    await writeFileAtomic(jsonFile, JSON.stringify(feed, null, 2) + '\n');
    await writeFileAtomic(path.join(this.dir, 'atom.xml'), atomFromFeed(feed, `urn:unscripted:${this.env.channel.id}`));
    return { id, url: item.url };
  }
}
