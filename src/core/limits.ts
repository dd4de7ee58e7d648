/**
 * Size limits, with their reasons. A social post is a few KB and a playbook a few hundred KB;
 * far beyond that an input is a mistake (a pasted log, a generated file) or an attack, and the
 * Markdown parser's cost on some constructs grows faster than the input. Every limit fails
 * politely: one clear finding or error at the file, never a crash, and the other files go on.
 * The editor, the CLI, review and publish all reach these through core.
 */

/** Larger files are not read as posts at all (reported at line 1, nothing parsed). */
export const MAX_POST_FILE_BYTES = 1024 * 1024;

/**
 * A post body beyond this (the longest platform, LinkedIn, allows 3,000 characters) is linted
 * for its front matter and schedule only. Override with UNSCRIPTED_MAX_POST_KB.
 */
export const MAX_POST_BODY_BYTES = 64 * 1024;

/** A thread beyond this many parts is linted for its front matter and schedule only. */
export const MAX_THREAD_PARTS = 500;

/**
 * A Markdown block (text between blank lines) beyond this many characters is not given to the
 * parser: remark's cost on long lists and emphasis runs grows faster than the block. It is read
 * as plain text, and a finding says so. No platform takes a post this long.
 */
export const MAX_BLOCK_CHARS = 4096;

/** A playbook file beyond this is an error at the file (a playbook is a few hundred KB). */
export const MAX_PLAYBOOK_FILE_BYTES = 2 * 1024 * 1024;

/** Text read from standard input beyond this is refused before it is decoded. */
export const MAX_STDIN_BYTES = MAX_POST_FILE_BYTES;

/** The body limit in force: MAX_POST_BODY_BYTES, or UNSCRIPTED_MAX_POST_KB (up to the file limit). */
export function postBodyLimit(env: NodeJS.ProcessEnv | undefined = typeof process === 'undefined' ? undefined : process.env): number {
  const raw = env?.UNSCRIPTED_MAX_POST_KB;
  const n = raw === undefined ? NaN : Number(raw);
  if (!Number.isFinite(n) || n <= 0) return MAX_POST_BODY_BYTES;
  return Math.min(Math.floor(n * 1024), MAX_POST_FILE_BYTES);
}

function kb(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
  return bytes % 1024 === 0 ? `${bytes / 1024} KB` : `${(bytes / 1024).toFixed(1)} KB`;
}

/**
 * Why a parsed post (its body and thread parts: see core/post.ts) is too big to lint in full, if
 * it is: then only its front matter and schedule are checked, and the message says how to lint
 * it anyway. Typed by shape so this lowest layer imports nothing above it.
 */
/** Why a post is too big to lint or publish in full: what is over which limit, and what to do. */
export interface SizeProblem {
  /** "The post body is 3.0 MiB, over the 64 KiB a post may have". */
  over: string;
  /** What the writer can do about it. */
  advice: string;
}

/** The lint finding's message for a post over a size limit. */
export function sizeProblemMessage(p: SizeProblem): string {
  return `${p.over}: only its front matter and schedule were checked. ${p.advice}`;
}

export function postSizeProblem(post: { body: string; parts: readonly unknown[] }, env?: NodeJS.ProcessEnv): SizeProblem | undefined {
  const limit = postBodyLimit(env);
  // Cheap bound first: UTF-8 needs at least one byte per UTF-16 unit, at most three.
  if (post.body.length * 3 > limit) {
    const bytes = Buffer.byteLength(post.body);
    if (bytes > limit) {
      return {
        over: `The post body is ${kb(bytes)}, over the ${kb(limit)} a post may have`,
        advice: `Split it into smaller posts, or lint it anyway with UNSCRIPTED_MAX_POST_KB=${Math.ceil(bytes / 1024)} set`,
      };
    }
  }
  if (post.parts.length > MAX_THREAD_PARTS) {
    return {
      over: `The thread has ${post.parts.length} parts, over the ${MAX_THREAD_PARTS} a thread may have`,
      advice: 'Split it into several posts',
    };
  }
  return undefined;
}

/** The message for a block read as plain text. */
export function oversizedBlockMessage(chars: number): string {
  return `This block is ${chars} characters, over the ${MAX_BLOCK_CHARS} the Markdown parser is given: it was checked as plain text (its Markdown was not read). Break it up with blank lines`;
}

/** UTF-16 text (with a byte order mark, or NULs in every other byte) is not binary: say what to do. */
export function utf16Problem(buf: Buffer): string | undefined {
  const bom = buf.length >= 2 && ((buf[0] === 0xff && buf[1] === 0xfe) || (buf[0] === 0xfe && buf[1] === 0xff));
  let alternating = false;
  if (!bom && buf.length >= 4 && buf.includes(0)) {
    const n = Math.min(buf.length - (buf.length % 2), 4096);
    let even = 0;
    let odd = 0;
    for (let i = 0; i < n; i += 2) {
      if (buf[i] === 0) even++;
      if (buf[i + 1] === 0) odd++;
    }
    alternating = (even === n / 2 && odd === 0) || (odd === n / 2 && even === 0);
  }
  return bom || alternating ? 'File is UTF-16 text: save it as UTF-8 to lint it' : undefined;
}
