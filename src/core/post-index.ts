/**
 * What the cross-post rules need to know about the other posts of the workspace: their
 * schedule (schedule-burst) and their sentences (talking-point, pasted sentences).
 */
import { blocksOf, parsePost, ParsedPost, PostMeta } from './post';
import type { Token } from './text';
import { blockTokens } from './engine';

export interface IndexedPost {
  file: string;
  meta: PostMeta;
  /** Normalised keys of sentences long enough to count as pasted. */
  sentences: Set<string>;
}

/** Sentences shorter than this are everyday phrases, not pasted copy. */
export const MIN_PASTED_WORDS = 8;

function keysOfTokens(tokens: Token[], keys: string[]): void {
  let cur: string[] = [];
  const flush = () => {
    if (cur.length >= MIN_PASTED_WORDS) keys.push(cur.join(' '));
    cur = [];
  };
  for (const t of tokens) {
    if (t.breakBefore) flush();
    if (!t.norm.startsWith('@') && !t.norm.startsWith('#')) cur.push(t.norm);
  }
  flush();
}

/** Sentence keys of a parsed post, cached per block. */
export function postSentenceKeys(post: ParsedPost): Set<string> {
  const keys = new Set<string>();
  for (const b of blocksOf(post)) {
    if (!b.entry.sentenceKeys) {
      const k: string[] = [];
      for (const r of blockTokens(b.entry)) keysOfTokens(r.tokens, k);
      b.entry.sentenceKeys = k;
    }
    for (const k of b.entry.sentenceKeys) keys.add(k);
  }
  return keys;
}

export class PostIndex {
  private readonly posts = new Map<string, IndexedPost>();
  private readonly bySentence = new Map<string, Set<string>>();

  /** Add or replace a post from its text. */
  set(file: string, text: string): IndexedPost {
    const post = parsePost(file, text);
    return this.setParsed(file, post.meta, postSentenceKeys(post));
  }

  setParsed(file: string, meta: PostMeta, sentences: Set<string>): IndexedPost {
    this.delete(file);
    const entry: IndexedPost = { file, meta, sentences };
    this.posts.set(file, entry);
    for (const s of sentences) {
      let set = this.bySentence.get(s);
      if (!set) this.bySentence.set(s, (set = new Set()));
      set.add(file);
    }
    return entry;
  }

  delete(file: string): void {
    const old = this.posts.get(file);
    if (!old) return;
    for (const s of old.sentences) {
      const set = this.bySentence.get(s);
      set?.delete(file);
      if (set && set.size === 0) this.bySentence.delete(s);
    }
    this.posts.delete(file);
  }

  get(file: string): IndexedPost | undefined {
    return this.posts.get(file);
  }

  all(): IterableIterator<IndexedPost> {
    return this.posts.values();
  }

  get size(): number {
    return this.posts.size;
  }

  /** Files whose text holds the sentence. */
  filesWithSentence(key: string): ReadonlySet<string> {
    return this.bySentence.get(key) ?? new Set();
  }
}
