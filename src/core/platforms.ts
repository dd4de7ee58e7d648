/**
 * What Unscripted knows about each platform, in one place: its display name, its length limit,
 * and how it counts a post's length. Rendering (render.ts), the channel-length rule, the editor's
 * status bar and preview, and the publishing adapters all count through `countLength`, so the
 * editor, lint and the publisher never disagree about whether a part fits.
 *
 * The platforms' own rules:
 * - Bluesky: at most 300 graphemes of post text (app.bsky.feed.post `text`: maxGraphemes 300,
 *   maxLength 3000 bytes; lexicons/app/bsky/feed/post.json in bluesky-social/atproto). Links count
 *   in full.
 * - Mastodon: StatusLengthValidator (app/validators/status_length_validator.rb in
 *   mastodon/mastodon) counts `str.each_grapheme_cluster.size` of the text after replacing every
 *   URL by URL_PLACEHOLDER ('x' * 23) and every mention by `@` + the part of its screen name
 *   before the first `@` (a remote @user@domain counts as @user). 500 by default; an instance
 *   reports its own `max_characters` and `characters_reserved_per_url` (/api/v2/instance).
 * - X: twitter-text's `parseTweet(text).weightedLength` (the library X publishes for this).
 * - LinkedIn: characters (code points); 3000.
 */
import type { Platform } from './types';

const NAMES: Record<Platform, string> = {
  outbox: 'Outbox',
  feed: 'Feed',
  bluesky: 'Bluesky',
  mastodon: 'Mastodon',
  x: 'X',
  linkedin: 'LinkedIn',
  webhook: 'Webhook',
};

/** The platform's name as people write it ("Bluesky", "LinkedIn"); an unknown platform id as is. */
export function platformName(platform: string): string {
  return NAMES[platform as Platform] ?? platform;
}

const LIMITS: Partial<Record<Platform, number>> = { bluesky: 300, mastodon: 500, x: 280, linkedin: 3000 };

/** The platform's own length limit (a channel may set a lower one, a Mastodon instance another). */
export function platformLimit(platform: Platform): number | undefined {
  return LIMITS[platform];
}

/** How each platform counts, in words (the channel-length rule's hover). */
export const COUNTING: Partial<Record<Platform, string>> = {
  bluesky: 'Bluesky counts graphemes: each letter, emoji or flag as one, whatever its bytes. Links count in full.',
  mastodon:
    'Mastodon counts graphemes: each letter, emoji or flag as one; every link counts as 23 whatever its length, and @user@instance counts as @user.',
  x: 'X counts weighted characters (twitter-text): most CJK characters and emoji count as two, every link as 23.',
  linkedin: 'LinkedIn counts characters.',
};

/** Made on first use (creating one starts ICU, about 10 ms); ASCII text never needs it. */
let segmenterMemo: Intl.Segmenter | undefined;
const segmenter = () => (segmenterMemo ??= new Intl.Segmenter(undefined, { granularity: 'grapheme' }));

/** Any UTF-16 unit at or above 0x80. */
const NON_ASCII = /[\u0080-\uffff]/;

/**
 * Number of user-perceived characters (extended grapheme clusters). Between two ASCII
 * characters there is always a boundary (but for CR LF), so only the runs around non-ASCII
 * text go through Intl.Segmenter, which is slow; a plain-ASCII post costs one pass.
 */
export function graphemeCount(text: string): number {
  // All ASCII (most posts): one grapheme per character, but one for each CR LF.
  if (!NON_ASCII.test(text)) {
    let crlf = 0;
    for (let i = text.indexOf('\r\n'); i !== -1; i = text.indexOf('\r\n', i + 2)) crlf++;
    return text.length - crlf;
  }
  let n = 0;
  let i = 0;
  const len = text.length;
  while (i < len) {
    const c = text.charCodeAt(i);
    const next = i + 1 < len ? text.charCodeAt(i + 1) : 0;
    if (c < 0x80 && next < 0x80) {
      n++;
      i += c === 13 && next === 10 ? 2 : 1;
      continue;
    }
    // A run holding non-ASCII: it ends where two ASCII characters meet (not inside CR LF).
    let j = i + 1;
    while (j < len) {
      const a = text.charCodeAt(j);
      const b = j + 1 < len ? text.charCodeAt(j + 1) : 0;
      if (a < 0x80 && b < 0x80 && !(a === 10 && text.charCodeAt(j - 1) === 13)) break;
      j++;
    }
    n += segmentCount(text, i, j);
    i = j;
  }
  return n;
}

/** Code units handed to Intl.Segmenter at once: its cost per segment grows with the string's length. */
const SEGMENT_CHUNK = 256;

/**
 * Graphemes in text[from, to), in linear time. Intl.Segmenter is quadratic on one long string,
 * so it gets chunks; a chunk's last segment may be cut, so the next chunk starts where that
 * segment starts (a true boundary: segmentation from a boundary on is the same as from the
 * text's start). A cluster longer than a chunk (a letter with thousands of combining marks)
 * doubles the chunk until the cluster ends.
 */
function segmentCount(text: string, from: number, to: number): number {
  let n = 0;
  let i = from;
  let size = SEGMENT_CHUNK;
  while (i < to) {
    let end = Math.min(to, i + size);
    // Never cut a surrogate pair: a lone half would end the cut cluster early.
    if (end < to && (text.charCodeAt(end - 1) & 0xfc00) === 0xd800) end--;
    if (end === to) {
      for (const _ of segmenter().segment(text.slice(i, end))) n++;
      break;
    }
    let count = 0;
    let lastStart = 0;
    for (const s of segmenter().segment(text.slice(i, end))) {
      count++;
      lastStart = s.index;
    }
    if (count <= 1) {
      size *= 2;
      continue;
    }
    n += count - 1;
    i += lastStart;
    size = SEGMENT_CHUNK;
  }
  return n;
}

const URL_RE = /\bhttps?:\/\/[^\s<>()]+[^\s<>().,;:!?'"”’)]/gi;
const REMOTE_MENTION = /(^|[^\w@])@(\w+)@[\w.-]+\w/g;

/** Mastodon's URL_PLACEHOLDER length, unless the instance reports its own. */
export const MASTODON_CHARACTERS_PER_URL = 23;

/**
 * Length as Mastodon's StatusLengthValidator counts it: graphemes, after every URL becomes
 * `perUrl` characters and a remote mention @user@domain becomes @user.
 */
export function mastodonLength(text: string, perUrl = MASTODON_CHARACTERS_PER_URL): number {
  return graphemeCount(text.replace(URL_RE, 'x'.repeat(perUrl)).replace(REMOTE_MENTION, '$1@$2'));
}

/** Length of `text` as the platform counts it. */
export function countLength(text: string, platform: Platform): number {
  switch (platform) {
    case 'bluesky':
      return graphemeCount(text);
    case 'mastodon':
      return mastodonLength(text);
    case 'x':
      // Loaded only for X posts: twitter-text is a large module, and most runs never count for X.

      return (require('twitter-text') as typeof import('twitter-text')).parseTweet(text).weightedLength;
    case 'linkedin':
      return [...text].length;
    default:
      return graphemeCount(text);
  }
}

/**
 * A Discord webhook's `content` limit: 2,000 characters (discord.com/developers/docs, Execute
 * Webhook). Counted in UTF-16 units, as the JavaScript that Discord's own clients run counts, which
 * is never fewer than the characters a person sees. Only the publisher can apply it: the webhook's
 * URL, which says it is Discord, is a secret that lint never sees.
 */
export const DISCORD_CONTENT_LIMIT = 2000;

export function discordLength(text: string): number {
  return text.length;
}
