/**
 * The prose layer of the lint kernel: what the words of a post are, above Markdown parsing
 * (markdown.ts, post.ts) and below the rule contract (rule-contract.ts). Tokens of each block
 * with their inline-quotation mask, sentences, and the matches of the playbook's phrases.
 *
 * Each value is memoised by the module that computes it, keyed by what it is computed from:
 * block tokens by the block's cached parse (markdown.ts's BlockEntry, shared by every post with
 * that block's text), a post's prose, tokens, sentences and phrase matches by a PostProse made
 * once per lint run, the phrase index by the playbook.
 */
import { sep } from 'node:path';
import { LineIndex, Token, tokenize } from './text';
import type { Block, BlockEntry, Extracted, Segment } from './markdown';
import { proseOfBlocks } from './markdown';
import { blocksOf, type ParsedPost } from './post';
import { PhraseIndex, type PhraseMatch } from './phrases';
import type { Playbook, RuleConfig } from './playbook';

/** A sentence of prose: tokens of one segment between sentence boundaries. */
export interface Sentence {
  tokens: Token[];
  start: number;
  end: number;
  segment: Segment;
}

export interface SegmentTokens {
  segment: Segment;
  tokens: Token[];
  /** Per token: inside inline quotation marks (someone else's words). */
  quoted: boolean[];
}

/** Tokens of one segment of a block, with offsets relative to the block. */
export interface RelTokens {
  tokens: Token[];
  quoted: boolean[];
}

const QUOTE_PAIRS: [string, string][] = [
  ['“', '”'],
  ['"', '"'],
  ['‘', '’'],
  ['„', '“'],
  ['«', '»'],
  ['‹', '›'],
];

function quotedMask(seg: Segment, tokens: Token[]): boolean[] {
  const mask = new Array<boolean>(tokens.length).fill(false);
  const spans: [number, number][] = [];
  for (const [open, close] of QUOTE_PAIRS) {
    let from = 0;
    for (;;) {
      const a = seg.text.indexOf(open, from);
      if (a < 0) break;
      const b = seg.text.indexOf(close, a + 1);
      if (b < 0) break;
      spans.push([seg.offsets[a], seg.offsets[b]]);
      from = b + 1;
    }
  }
  if (spans.length === 0) return mask;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    for (const [a, b] of spans) if (t.start > a && t.end <= b) mask[i] = true;
  }
  return mask;
}

const blockTokenMemo = new WeakMap<BlockEntry, RelTokens[]>();

/** Tokens of a block's segments, relative to the block; computed once per cached block parse. */
export function blockTokens(entry: BlockEntry): RelTokens[] {
  let rel = blockTokenMemo.get(entry);
  if (!rel) {
    rel = entry.prose.segments.map((segment) => {
      // tokenize's tokens are new objects: move them to block offsets in place.
      const tokens = tokenize(segment.text);
      const offsets = segment.offsets;
      for (const t of tokens) {
        const end = offsets[t.end - 1] + 1;
        t.start = offsets[t.start];
        t.end = end;
      }
      return { tokens, quoted: quotedMask(segment, tokens) };
    });
    blockTokenMemo.set(entry, rel);
  }
  return rel;
}

/**
 * Whether the source between two words breaks a sentence only softly (a colon or semicolon),
 * not at a full stop. Markup between them is not prose: the colon of a link's `https:` after
 * "[details](https://…). Next" is no reason to run two sentences together.
 */
function softBreak(gap: string): boolean {
  return /[:;]/.test(gap.replace(/\]\([^)]*\)|<[^>\s]*>|\bhttps?:\/\/\S*/g, ''));
}

const phraseIndexMemo = new WeakMap<Playbook, PhraseIndex>();

/**
 * One phrase index over every phrase rule of a playbook, built once per playbook. When two
 * rules list the same phrase, the first added wins the match: the team's own rules (voice/…)
 * go first, then the built-in lists, the team's files before the shipped default's, so a team's
 * `## Words we never use` with "stakeholders" is never shadowed by the default list.
 */
export function phraseIndexFor(playbook: Playbook): PhraseIndex {
  let idx = phraseIndexMemo.get(playbook);
  if (!idx) {
    idx = new PhraseIndex();
    const rank = (r: RuleConfig) => (r.custom ? 0 : 2) + (playbook.isDefault || !r.definedAt.file.startsWith(playbook.dir + sep) ? 1 : 0);
    const rules = [...playbook.rules.values()].sort((a, b) => rank(a) - rank(b));
    for (const rule of rules) for (const p of rule.phrases) idx.add(p);
    phraseIndexMemo.set(playbook, idx);
  }
  return idx;
}

/**
 * The prose of one post, read against one playbook, each part computed on first use and then
 * kept for the rest of the lint run (every rule of the run shares one PostProse).
 */
export class PostProse {
  readonly lines: LineIndex;
  private _prose?: Extracted;
  private _segTokens?: SegmentTokens[];
  private _sentences?: Sentence[];
  private _phraseMatches?: Map<string, PhraseMatch[]>;

  constructor(
    readonly post: ParsedPost,
    readonly playbook: Playbook,
  ) {
    this.lines = new LineIndex(post.text);
  }

  /** The body, parsed block by block. */
  get blocks(): Block[] {
    return blocksOf(this.post);
  }
  get prose(): Extracted {
    return (this._prose ??= proseOfBlocks(this.blocks));
  }
  /** Tokens of each prose segment, with offsets in the file (tokenised once per block text). */
  get segmentTokens(): SegmentTokens[] {
    if (!this._segTokens) {
      const out: SegmentTokens[] = [];
      const segments = this.prose.segments;
      let k = 0;
      for (const block of this.blocks) {
        const rel = blockTokens(block.entry);
        const base = block.start;
        for (const r of rel) {
          const tokens =
            base === 0
              ? r.tokens
              : r.tokens.map((t) => ({ norm: t.norm, start: t.start + base, end: t.end + base, breakBefore: t.breakBefore }));
          out.push({ segment: segments[k++], tokens, quoted: r.quoted });
        }
      }
      this._segTokens = out;
    }
    return this._segTokens;
  }
  get sentences(): Sentence[] {
    if (!this._sentences) {
      const text = this.post.text;
      const out: Sentence[] = [];
      for (const { segment, tokens } of this.segmentTokens) {
        let cur: Token[] = [];
        const flush = () => {
          if (cur.length) out.push({ tokens: cur, start: cur[0].start, end: cur[cur.length - 1].end, segment });
          cur = [];
        };
        for (const t of tokens) {
          if (t.breakBefore && !softBreak(text.slice(cur.length ? cur[cur.length - 1].end : t.start, t.start))) flush();
          cur.push(t);
        }
        flush();
      }
      this._sentences = out;
    }
    return this._sentences;
  }
  /** Matches of one phrase rule's phrases (every phrase rule is matched at once, on first use). */
  phraseMatches(ruleId: string): PhraseMatch[] {
    if (!this._phraseMatches) {
      const idx = phraseIndexFor(this.playbook);
      const map = new Map<string, PhraseMatch[]>();
      if (idx.size > 0) {
        for (const st of this.segmentTokens) {
          for (const m of idx.match(st.tokens, (i) => st.quoted[i])) {
            const list = map.get(m.entry.ruleId);
            if (list) list.push(m);
            else map.set(m.entry.ruleId, [m]);
          }
        }
      }
      this._phraseMatches = map;
    }
    return this._phraseMatches.get(ruleId) ?? [];
  }
}
