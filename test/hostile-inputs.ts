/**
 * Generators for hostile and oversized inputs (issue 12): the hostile-input tests and
 * `npm run bench:hostile` build the same workspaces from these, so no big file is committed.
 * Every generator is deterministic: same arguments, same bytes.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const FRONT = (title: string, channels = '[outbox]') => `---\ntitle: ${title}\nchannels: ${channels}\nstatus: draft\n---\n`;

/** Words that form sentences nobody's playbook flags. */
const WORDS = [
  'river',
  'garden',
  'lantern',
  'orchard',
  'meadow',
  'harbour',
  'pebble',
  'willow',
  'cobble',
  'thistle',
  'marble',
  'sparrow',
  'chestnut',
  'fennel',
  'copper',
  'juniper',
];

/** A distinct eight-word sentence for every n (base-16 digits of n spelled with WORDS). */
export function distinctSentence(n: number): string {
  const w: string[] = [];
  let x = n;
  for (let i = 0; i < 8; i++) {
    w.push(WORDS[x % 16]);
    x = Math.floor(x / 16);
  }
  return `The ${w.join(' ')} opens today.`;
}

export const SHARED_SENTENCE = 'Our neighbourhood library opens its new reading room on Saturday morning at nine.';

export function tempRoot(prefix = 'unscripted-hostile-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export function writeFiles(root: string, files: Record<string, string | Buffer>): void {
  for (const [rel, content] of Object.entries(files)) {
    const p = path.join(root, rel);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, content);
  }
}

/** A workspace with n posts that all hold one sentence (and one of their own). */
export function sharedSentencePosts(root: string, n: number): void {
  fs.mkdirSync(path.join(root, 'posts'), { recursive: true });
  for (let i = 0; i < n; i++)
    fs.writeFileSync(path.join(root, 'posts', `p${i}.md`), `${FRONT(`Post ${i}`)}${SHARED_SENTENCE} ${distinctSentence(i)}\n`);
}

/** A workspace with n small posts, no sentence shared. */
export function distinctPosts(root: string, n: number): void {
  fs.mkdirSync(path.join(root, 'posts'), { recursive: true });
  for (let i = 0; i < n; i++)
    fs.writeFileSync(
      path.join(root, 'posts', `p${i}.md`),
      `${FRONT(`Post ${i}`)}${distinctSentence(i)} ${distinctSentence(i + 7_000_000)}\n`,
    );
}

/**
 * n posts scheduled on one channel within a few hours of each other (one minute apart from
 * 09:00 on 2026-03-05), each a distinct sentence: every one is in a burst.
 */
export function scheduledPosts(root: string, n: number): void {
  fs.mkdirSync(path.join(root, 'posts'), { recursive: true });
  for (let i = 0; i < n; i++) {
    const at = new Date(Date.UTC(2026, 2, 5, 9, i)).toISOString();
    fs.writeFileSync(
      path.join(root, 'posts', `s${i}.md`),
      `---\ntitle: Post ${i}\nchannels: [outbox]\nstatus: scheduled\npublish_at: ${at}\n---\n${distinctSentence(i)}\n`,
    );
  }
}

/** A post body of n emoji (one grapheme each: a ZWJ family, a flag, a skin tone, by turns). */
export function emojiBody(n: number): string {
  const g = ['👨‍👩‍👧', '🇫🇷', '👍🏽', '😀'];
  let s = '';
  for (let i = 0; i < n; i++) s += g[i % g.length];
  return s;
}

/** A post body of n CJK characters, in lines of 40. */
export function cjkBody(n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += String.fromCharCode(0x4e00 + (i % 2000)) + ((i + 1) % 40 === 0 ? '\n' : '');
  return s;
}

/** A voice playbook with n distinct phrases. */
export function voicePlaybook(n: number): string {
  const lines = ['---', 'kind: voice', '---', '# Voice', '', '## Words we avoid', '', 'Severity: warning', ''];
  for (let i = 0; i < n; i++) {
    const s = distinctSentence(i).split(' ');
    lines.push(`- "${s[1]} ${i}"`);
  }
  return lines.join('\n') + '\n';
}

/** A voice playbook of about `bytes` bytes, every list item a mistake of some kind. */
export function brokenVoicePlaybook(bytes: number): string {
  const head = '---\nkind: voice\n---\n# Voice\n\n## Words we avoid\n\n';
  const bad = [
    '- "unclosed *emphasis → "x"\n',
    '- going forward → "from now on"\n',
    '- "a" → "b" → "c"\n',
    '- "{x}" → "{y}"\n',
    '- "**x" → [y](z\n',
  ];
  const parts = [head];
  let size = Buffer.byteLength(head);
  for (let i = 0; size + 40 < bytes; i++) {
    parts.push(bad[i % bad.length]);
    size += Buffer.byteLength(bad[i % bad.length]);
  }
  return parts.join('');
}

/** About `bytes` of Markdown made by repeating `unit`. */
export function repeatTo(unit: string, bytes: number): string {
  return unit.repeat(Math.max(1, Math.ceil(bytes / unit.length)));
}

export const LIST_UNIT = '- *a*\n';
export const EMPHASIS_UNIT = '*a* _b_ **c** __d__ *e*\n\n';
export const QUOTE_UNIT = '> *a* quoted _line_\n';

/** A YAML alias bomb in front matter (a billion laughs). */
export function aliasBomb(): string {
  const lines = ['---', 'title: Bomb', 'channels: [outbox]', 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
  let prev = 'a';
  for (const c of 'bcdefghi') {
    lines.push(`${c}: &${c} [${Array(9).fill(`*${prev}`).join(',')}]`);
    prev = c;
  }
  lines.push('---', 'Body text.', '');
  return lines.join('\n');
}
