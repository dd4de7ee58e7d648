/**
 * A word trie over every playbook phrase. Matching walks the trie from each token of the text,
 * so the cost depends on the text and the longest phrase, not on how many phrases there are.
 * A phrase may hold one-word placeholders (`{name}`), which match any single word and can be
 * reused in the suggestion ("in line with {source} advice" → "following {source}'s advice").
 */
import { Token, tokenize } from './text';

export interface PhraseEntry {
  /** Rule the phrase belongs to. */
  ruleId: string;
  /** The phrase as written in the playbook. */
  phrase: string;
  suggestions: string[];
  /**
   * The playbook's own word on applying the suggestion unattended: `(auto-fix)` → true,
   * `(no auto-fix)` → false, no marker → undefined (core/fixes.ts decides).
   */
  autoFix?: boolean;
  /** The phrase's trie keys (`phraseKeys(phrase)`), when the playbook parser has them already. */
  keys?: string[];
  /** Where the phrase is written (absolute file, 1-based line). */
  file: string;
  line: number;
}

interface Node {
  next: Map<string, Node>;
  wild?: Node;
  entries?: { entry: PhraseEntry; names: string[] }[];
}

export interface PhraseMatch {
  entry: PhraseEntry;
  /** Index of the first and one past the last token. */
  from: number;
  to: number;
  start: number;
  end: number;
  /** Words bound to placeholders, by placeholder name. */
  bindings: Record<string, string>;
}

const PLACEHOLDER = /^\{([\p{L}\p{N}_-]+)\}$/u;

/** Split a phrase into trie keys: normalised words, or `{name}` for placeholders. */
export function phraseKeys(phrase: string): string[] {
  const keys: string[] = [];
  for (const piece of phrase.trim().split(/\s+/)) {
    const ph = PLACEHOLDER.exec(piece);
    if (ph) {
      keys.push(`{${ph[1]}}`);
      continue;
    }
    for (const t of tokenize(piece)) keys.push(t.norm);
  }
  return keys;
}

export class PhraseIndex {
  private readonly root: Node = { next: new Map() };
  private count = 0;

  get size(): number {
    return this.count;
  }

  add(entry: PhraseEntry): void {
    const keys = entry.keys ?? phraseKeys(entry.phrase);
    if (keys.length === 0 || keys.every((k) => k.startsWith('{'))) return;
    let node = this.root;
    // Placeholder names belong to the phrase, not to the trie node: two phrases may share a
    // placeholder edge ("in line with {source} advice", "in line with {who} {body} advice").
    const names = keys.filter((k) => k.startsWith('{')).map((k) => k.slice(1, -1));
    for (const key of keys) {
      if (key.startsWith('{')) {
        if (!node.wild) node.wild = { next: new Map() };
        node = node.wild;
      } else {
        let child = node.next.get(key);
        if (!child) {
          child = { next: new Map() };
          node.next.set(key, child);
        }
        node = child;
      }
    }
    (node.entries ??= []).push({ entry, names });
    this.count++;
  }

  /**
   * Leftmost-longest, non-overlapping matches over `tokens`. A phrase never spans a sentence
   * boundary. `skip(i)` marks tokens that must not take part in a match (quoted speech, code).
   */
  match(tokens: Token[], skip?: (i: number) => boolean): PhraseMatch[] {
    const out: PhraseMatch[] = [];
    const n = tokens.length;
    let i = 0;
    while (i < n) {
      if (skip?.(i) || !this.root.next.has(tokens[i].norm)) {
        i++;
        continue;
      }
      const best = this.longestAt(tokens, i, skip);
      if (best) {
        out.push(best);
        i = best.to;
      } else {
        i++;
      }
    }
    return out;
  }

  private longestAt(tokens: Token[], from: number, skip?: (i: number) => boolean): PhraseMatch | undefined {
    let best: { node: Node; to: number; bound: string[] } | undefined;
    // Depth-first over exact and placeholder edges; placeholders are rare, so this stays linear in practice.
    const stack: { node: Node; at: number; bound: string[] }[] = [{ node: this.root, at: from, bound: [] }];
    while (stack.length) {
      const { node, at, bound } = stack.pop()!;
      if (node.entries && at > from && (!best || at > best.to)) best = { node, to: at, bound };
      if (at >= tokens.length) continue;
      const tok = tokens[at];
      if (at > from && tok.breakBefore) continue;
      if (skip?.(at)) continue;
      // Push the placeholder edge first so the exact edge is explored first: on a tie in length
      // the exact phrase (and its own suggestions) wins over a phrase with a placeholder.
      if (node.wild && !tok.norm.startsWith('#') && !tok.norm.startsWith('@')) {
        stack.push({ node: node.wild, at: at + 1, bound: [...bound, tok.norm] });
      }
      const child = node.next.get(tok.norm);
      if (child) stack.push({ node: child, at: at + 1, bound });
    }
    if (!best) return undefined;
    const first = tokens[from];
    const last = tokens[best.to - 1];
    const { entry, names } = best.node.entries![0];
    const bindings: Record<string, string> = {};
    names.forEach((name, i) => (bindings[name] = best.bound[i]));
    return {
      entry,
      from,
      to: best.to,
      start: first.start,
      end: last.end,
      bindings,
    };
  }
}

/** Fill `{name}` placeholders of a suggestion with the words the match bound. */
export function fillSuggestion(suggestion: string, match: PhraseMatch, source: string): string {
  return suggestion.replace(/\{([\p{L}\p{N}_-]+)\}/gu, (whole, name: string) => {
    if (!(name in match.bindings)) return whole;
    // Use the writer's own spelling of the bound word, not the normalised one.
    const bound = match.bindings[name];
    const re = new RegExp(`[#@]?[\\p{L}\\p{N}'’]+`, 'gu');
    const text = source.slice(match.start, match.end);
    for (const m of text.matchAll(re)) {
      if (m[0].toLowerCase().replace(/’/g, "'") === bound) return m[0];
    }
    return bound;
  });
}
