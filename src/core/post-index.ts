/**
 * The workspace index: what the cross-post rules need to know about the other posts of the
 * workspace, their schedule (schedule-burst) and their sentences (talking-point's pasted
 * sentences). It is the fourth input of a rule, beside the post, the playbook and the clock
 * (RuleContext.index): the workspace model (workspace.ts) keeps it current as posts change, and
 * a post linted on its own is linted against EMPTY_INDEX. Part of the prose layer: it reads
 * posts' tokens (prose.ts) and nothing of the rules.
 */
import { blocksOf, parsePost, ParsedPost, PostMeta } from './post';
import type { Token } from './text';
import type { BlockEntry } from './markdown';
import { blockTokens } from './prose';
import * as path from 'node:path';
import { postSizeProblem } from './limits';

function compareName(a: { file: string; name: string }, b: { file: string; name: string }): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : a.file < b.file ? -1 : a.file > b.file ? 1 : 0;
}

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

const sentenceKeyMemo = new WeakMap<BlockEntry, string[]>();

/** Sentence keys of a parsed post, computed once per cached block parse. */
export function postSentenceKeys(post: ParsedPost): Set<string> {
  const keys = new Set<string>();
  // A post over the size limit is not parsed, so its sentences are not indexed either.
  if (postSizeProblem(post)) return keys;
  for (const b of blocksOf(post)) {
    let blockKeys = sentenceKeyMemo.get(b.entry);
    if (!blockKeys) {
      blockKeys = [];
      for (const r of blockTokens(b.entry)) keysOfTokens(r.tokens, blockKeys);
      sentenceKeyMemo.set(b.entry, blockKeys);
    }
    for (const k of blockKeys) keys.add(k);
  }
  return keys;
}

/**
 * What a rule may read of the workspace index (RuleContext.index): the other posts' front
 * matter, and which posts hold a sentence. Read-only; only the workspace model writes the index.
 */
export interface WorkspaceIndex {
  /** Every indexed post, the one being linted included when the workspace indexed it. */
  all(): Iterable<IndexedPost>;
  get(file: string): IndexedPost | undefined;
  /** The posts other than `file` holding the sentence key (see postSentenceKeys): how many, and the first `keep` base names. */
  othersWithSentence(key: string, file: string, keep?: number): { count: number; names: string[] };
  /**
   * Every time a post goes out on `channel`: each `published:` entry for it and each scheduled
   * post's `publish_at`, sorted by time (ties in index order, a post's published entries before
   * its schedule). For schedule-burst, which looks up a window in it instead of reading every post.
   */
  channelTimes(channel: string): readonly ChannelTime[];
}

export interface ChannelTime {
  t: number;
  file: string;
}

export class PostIndex implements WorkspaceIndex {
  private posts = new Map<string, IndexedPost>();
  private bySentence = new Map<string, Set<string>>();
  /** Per sentence key: the first few holders by base name, computed once until the key's holders change. */
  private summaries = new Map<string, { file: string; name: string }[]>();
  /** channelTimes, built on first use after a change. */
  private times?: Map<string, ChannelTime[]>;

  /** Add or replace a post from its text. */
  set(file: string, text: string): IndexedPost {
    const post = parsePost(file, text);
    return this.setParsed(file, post.meta, postSentenceKeys(post));
  }

  setParsed(file: string, meta: PostMeta, sentences: Set<string>): IndexedPost {
    this.delete(file);
    this.times = undefined;
    const entry: IndexedPost = { file, meta, sentences };
    this.posts.set(file, entry);
    for (const s of sentences) {
      this.summaries.delete(s);
      let set = this.bySentence.get(s);
      if (!set) this.bySentence.set(s, (set = new Set()));
      set.add(file);
    }
    return entry;
  }

  /** Forget every post at once. */
  clear(): void {
    this.posts = new Map();
    this.bySentence = new Map();
    this.summaries = new Map();
    this.times = undefined;
  }

  delete(file: string): void {
    const old = this.posts.get(file);
    if (!old) return;
    this.times = undefined;
    for (const s of old.sentences) {
      this.summaries.delete(s);
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

  /**
   * The posts other than `file` that hold the sentence: how many, and the first `keep` base
   * names in sort order. Linear in the holders once per key (not once per post that asks),
   * so n posts sharing one sentence cost n, not n².
   */
  othersWithSentence(key: string, file: string, keep = 3): { count: number; names: string[] } {
    const files = this.bySentence.get(key);
    if (!files) return { count: 0, names: [] };
    let first = this.summaries.get(key);
    if (!first) {
      // The keep + 1 smallest (one may be the asking file itself), by a bounded insertion.
      const k = keep + 1;
      first = [];
      for (const f of files) {
        const e = { file: f, name: path.basename(f) };
        if (first.length === k && compareName(e, first[k - 1]) >= 0) continue;
        let at = first.length;
        while (at > 0 && compareName(e, first[at - 1]) < 0) at--;
        first.splice(at, 0, e);
        if (first.length > k) first.pop();
      }
      this.summaries.set(key, first);
    }
    return {
      count: files.size - (files.has(file) ? 1 : 0),
      names: first
        .filter((e) => e.file !== file)
        .slice(0, keep)
        .map((e) => e.name),
    };
  }

  channelTimes(channel: string): readonly ChannelTime[] {
    if (!this.times) {
      const times = new Map<string, ChannelTime[]>();
      const add = (ch: string, t: number, file: string) => {
        let list = times.get(ch);
        if (!list) times.set(ch, (list = []));
        list.push({ t, file });
      };
      for (const p of this.posts.values()) {
        for (const e of p.meta.published) {
          const t = Date.parse(e.at);
          if (!isNaN(t)) add(e.channel, t, p.file);
        }
        if (p.meta.status === 'scheduled' && p.meta.publishAt)
          for (const ch of new Set(p.meta.channels)) add(ch, p.meta.publishAt.getTime(), p.file);
      }
      // Array.prototype.sort is stable: ties keep index order.
      for (const list of times.values()) list.sort((a, b) => a.t - b.t);
      this.times = times;
    }
    return this.times.get(channel) ?? [];
  }

  /** Files whose text holds the sentence. */
  filesWithSentence(key: string): ReadonlySet<string> {
    return this.bySentence.get(key) ?? new Set();
  }
}

/** The index of a post linted on its own: no other posts. */
export const EMPTY_INDEX: WorkspaceIndex = {
  all: () => [],
  get: () => undefined,
  othersWithSentence: () => ({ count: 0, names: [] }),
  channelTimes: () => [],
};

/**
 * What the rules read of the clock and the workspace index while linting one post. A post's
 * findings are a function of its text, the playbook, the code — and these reads: the lint cache
 * (lint-cache.ts) reuses them only while every recorded read gives the same answer.
 */
export interface LintTrace {
  /** Read the clock, or an index answer that is not cheap to check again (all, get, channelTimes): lint again every time. */
  live: boolean;
  /** othersWithSentence of the post itself, in the order asked: key, keep, and the answer's count and names. */
  sentences: [key: string, keep: number, count: number, names: string[]][];
}

/** `index` as a rule of the post at `file` sees it, each read recorded in `trace`. */
export function tracedIndex(index: WorkspaceIndex, file: string, trace: LintTrace): WorkspaceIndex {
  return {
    all() {
      trace.live = true;
      return index.all();
    },
    get(f) {
      trace.live = true;
      return index.get(f);
    },
    othersWithSentence(key, f, keep = 3) {
      const answer = index.othersWithSentence(key, f, keep);
      if (f === file) trace.sentences.push([key, keep, answer.count, [...answer.names]]);
      else trace.live = true;
      return answer;
    },
    channelTimes(channel) {
      trace.live = true;
      return index.channelTimes(channel);
    },
  };
}

/** Whether every othersWithSentence read of `trace` gives the same answer from `index` now. */
export function sameSentenceAnswers(index: WorkspaceIndex, file: string, reads: LintTrace['sentences']): boolean {
  for (const [key, keep, count, names] of reads) {
    const now = index.othersWithSentence(key, file, keep);
    if (now.count !== count || now.names.length !== names.length || now.names.some((n, i) => n !== names[i])) return false;
  }
  return true;
}
