/**
 * The rule engine: parses a post once, hands every rule the same context, applies inline
 * control comments and severities, and returns findings with 1-based positions.
 */
import { sep } from 'node:path';
import { Explanation, Finding, Severity, SourceRef, Suggestion, TextEdit } from './types';
import { phraseFixIsSafe } from './fixes';
import { LineIndex, matchCase, Token, tokenize } from './text';
import { Block, BlockEntry, Extracted, proseOfBlocks, Segment } from './markdown';
import { blocksOf, ParsedPost, parsePost } from './post';
import { fillSuggestion, PhraseIndex, PhraseMatch } from './phrases';
import type { Playbook, RuleConfig } from './playbook';
import type { PostIndex } from './post-index';
import { parseControls, isSuppressed } from './inline-control';

export interface RuleMeta {
  id: string;
  description: string;
  defaultSeverity: Severity;
  /** voice rules read prose; the others read front matter, schedule and length. */
  category: 'voice' | 'structure' | 'schedule';
  /** Numeric options a playbook may set under `rules:` (`{ threshold: 0.8 }`), with their range. */
  options?: Record<string, { min: number; max: number; description: string; default: number | (() => number) }>;
}

export interface Rule extends RuleMeta {
  run(ctx: RuleContext): void;
}

export interface Report {
  offset: number;
  endOffset: number;
  message: string;
  suggestions?: Suggestion[];
  /** The edit safe to apply unattended (see core/fixes.ts); only when a person need not judge it. */
  fix?: TextEdit;
  definedAt?: SourceRef;
  rationale?: string;
  severity?: Severity;
  /** Offset inline control comments look at, when not `offset` (a long part's own start). */
  anchor?: number;
  explanation?: Explanation;
  /** The channel the finding is about (see Finding.channel). */
  channel?: string;
}

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

const phraseIndexCache = new WeakMap<Playbook, PhraseIndex>();

/**
 * One phrase index over every phrase rule of a playbook, built once per playbook. When two
 * rules list the same phrase, the first added wins the match: the team's own rules (voice/…)
 * go first, then the built-in lists, the team's files before the shipped default's, so a team's
 * `## Words we never use` with "stakeholders" is never shadowed by the default list.
 */
export function phraseIndexFor(playbook: Playbook): PhraseIndex {
  let idx = phraseIndexCache.get(playbook);
  if (!idx) {
    idx = new PhraseIndex();
    const rank = (r: RuleConfig) => (r.custom ? 0 : 2) + (playbook.isDefault || !r.definedAt.file.startsWith(playbook.dir + sep) ? 1 : 0);
    const rules = [...playbook.rules.values()].sort((a, b) => rank(a) - rank(b));
    for (const rule of rules) for (const p of rule.phrases) idx.add(p);
    phraseIndexCache.set(playbook, idx);
  }
  return idx;
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

export interface RelTokens {
  tokens: Token[];
  quoted: boolean[];
}

/** Tokens of a block's segments, relative to the block; cached on the block entry. */
export function blockTokens(entry: BlockEntry): RelTokens[] {
  if (!entry.tokens) {
    entry.tokens = entry.prose.segments.map((segment) => {
      const tokens = tokenize(segment.text).map((t) => ({ ...t, start: segment.offsets[t.start], end: segment.offsets[t.end - 1] + 1 }));
      return { tokens, quoted: quotedMask(segment, tokens) };
    });
  }
  return entry.tokens as RelTokens[];
}

export class RuleContext {
  readonly lines: LineIndex;
  private _prose?: Extracted;
  private _segTokens?: SegmentTokens[];
  private _sentences?: Sentence[];
  private _phraseMatches?: Map<string, PhraseMatch[]>;
  readonly reports: { ruleId: string; report: Report }[] = [];
  currentRule = '';

  constructor(
    readonly post: ParsedPost,
    readonly playbook: Playbook,
    readonly now: Date,
    readonly index?: PostIndex,
  ) {
    this.lines = new LineIndex(post.text);
  }

  get text(): string {
    return this.post.text;
  }
  get file(): string {
    return this.post.file;
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
          const tokens = base === 0 ? r.tokens : r.tokens.map((t) => ({ norm: t.norm, start: t.start + base, end: t.end + base, breakBefore: t.breakBefore }));
          out.push({ segment: segments[k++], tokens, quoted: r.quoted });
        }
      }
      this._segTokens = out;
    }
    return this._segTokens;
  }
  get sentences(): Sentence[] {
    if (!this._sentences) {
      const out: Sentence[] = [];
      for (const { segment, tokens } of this.segmentTokens) {
        let cur: Token[] = [];
        const flush = () => {
          if (cur.length) out.push({ tokens: cur, start: cur[0].start, end: cur[cur.length - 1].end, segment });
          cur = [];
        };
        for (const t of tokens) {
          if (t.breakBefore && !/[:;]/.test(this.text.slice(cur.length ? cur[cur.length - 1].end : t.start, t.start))) flush();
          cur.push(t);
        }
        flush();
      }
      this._sentences = out;
    }
    return this._sentences;
  }
  /** Phrase matches of every phrase rule, computed once per post. */
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
  report(r: Report): void {
    this.reports.push({ ruleId: this.currentRule, report: r });
  }
}

export interface LintInput {
  file: string;
  text: string;
  playbook: Playbook;
  rules: readonly Rule[];
  now?: Date;
  index?: PostIndex;
  /** The post, when the caller has parsed it already. */
  post?: ParsedPost;
}

function severityFor(rule: Rule, playbook: Playbook, reported?: Severity): Severity | 'off' {
  const override = playbook.overrides.get(rule.id);
  if (override) return override;
  return reported ?? playbook.rules.get(rule.id)?.severity ?? rule.defaultSeverity;
}

/** Lint one post. Pure: same inputs, same findings. */
export function lintPost(input: LintInput): Finding[] {
  const post = input.post ?? parsePost(input.file, input.text);
  const ctx = new RuleContext(post, input.playbook, input.now ?? new Date(), input.index);
  const rules = [...input.rules, ...customRules(input.playbook, input.rules)];
  for (const rule of rules) {
    if (input.playbook.overrides.get(rule.id) === 'off') continue;
    ctx.currentRule = rule.id;
    rule.run(ctx);
  }
  const known = new Set(rules.map((r) => r.id));
  const controls = parseControls(ctx.prose.comments, ctx.lines, known);
  const findings: Finding[] = [];
  const byId = new Map(rules.map((r) => [r.id, r]));
  for (const { ruleId, report } of ctx.reports) {
    const rule = byId.get(ruleId)!;
    const sev = severityFor(rule, input.playbook, report.severity);
    if (sev === 'off') continue;
    if (isSuppressed(controls, ruleId, report.anchor ?? report.offset, ctx.lines, Math.max(report.endOffset, report.anchor ?? report.offset))) continue;
    const s = ctx.lines.position(report.offset);
    const e = ctx.lines.position(Math.max(report.endOffset, report.offset));
    const cfg = input.playbook.rules.get(ruleId);
    findings.push({
      ruleId,
      severity: sev,
      message: report.message,
      line: s.line,
      column: s.column,
      endLine: e.line,
      endColumn: e.column,
      offset: report.offset,
      endOffset: Math.max(report.endOffset, report.offset),
      rationale: report.rationale ?? cfg?.rationale,
      suggestions: report.suggestions ?? [],
      ...(report.fix ? { fix: report.fix } : {}),
      definedAt: report.definedAt ?? cfg?.definedAt,
      docsUrl: docsUrlFor(ruleId, cfg),
      ...(report.explanation ? { explanation: report.explanation } : {}),
      ...(report.channel ? { channel: report.channel } : {}),
    });
  }
  for (const p of controls.problems) findings.push({ ...p, suggestions: [] });
  findings.sort((a, b) => a.offset - b.offset || a.endOffset - b.endOffset || a.ruleId.localeCompare(b.ruleId));
  return findings;
}

/** Where a rule is documented: the page beside a built-in rule, or the playbook line of a playbook rule. */
export function docsUrlFor(ruleId: string, cfg?: RuleConfig): string {
  if (cfg?.custom) return `file://${cfg.definedAt.file}#L${cfg.definedAt.line}`;
  return `${DOCS_BASE}/${ruleId}.md`;
}

export const DOCS_BASE = 'https://github.com/unscripted/unscripted/blob/main/src/core/rules';

/** Rules a playbook defines itself (voice/<slug>): plain phrase rules. */
function customRules(playbook: Playbook, builtins: readonly Rule[]): Rule[] {
  const out: Rule[] = [];
  const have = new Set(builtins.map((r) => r.id));
  for (const cfg of playbook.rules.values()) {
    if (have.has(cfg.id)) continue;
    out.push(playbookPhraseRule(cfg));
  }
  return out;
}

const customRuleCache = new WeakMap<RuleConfig, Rule>();

function playbookPhraseRule(cfg: RuleConfig): Rule {
  let rule = customRuleCache.get(cfg);
  if (!rule) {
    rule = {
      id: cfg.id,
      description: cfg.title,
      defaultSeverity: cfg.severity,
      category: 'voice',
      run(ctx) {
        reportPhraseMatches(ctx, cfg.id, (quoted) => `${quoted}: ${cfg.title.toLowerCase()} (see the playbook)`, undefined, cfg.title.toLowerCase());
      },
    };
    customRuleCache.set(cfg, rule);
  }
  return rule;
}

/**
 * Report every match of a phrase rule, with its suggestions as concrete edits. The message says
 * what to write instead when the playbook has a replacement (`“prior to” → “before” (authority
 * voice)`), and falls back to `message` (what to do about it) when it has none; the why is the
 * rule's rationale, shown in the hover.
 */
export function reportPhraseMatches(
  ctx: RuleContext,
  ruleId: string,
  message: (quoted: string, m: PhraseMatch) => string,
  keep?: (m: PhraseMatch) => boolean,
  label?: string,
): void {
  for (const m of ctx.phraseMatches(ruleId)) {
    if (keep && !keep(m)) continue;
    const original = ctx.text.slice(m.start, m.end);
    // A match that straddles Markdown markup or an escape ("**We are pleased** to announce")
    // gets no mechanical edit: replacing it would leave the markup unbalanced.
    const clean = !/[*_`[\]<>\\&|~]/.test(original);
    const suggestions = m.entry.suggestions.map((s) => {
      const filled = fillAndCase(s, m, ctx.text, original);
      return clean ? { text: filled, edit: { offset: m.start, endOffset: m.end, text: filled } } : { text: filled };
    });
    const fix = suggestions.length === 1 && phraseFixIsSafe(m.entry) ? suggestions[0].edit : undefined;
    ctx.report({
      offset: m.start,
      endOffset: m.end,
      message: phraseMessage(`“${original.replace(/[*_`\\]/g, '').replace(/\s+/g, ' ')}”`, suggestions, label) ?? message(`“${original.replace(/[*_`\\]/g, '').replace(/\s+/g, ' ')}”`, m),
      suggestions,
      ...(fix ? { fix } : {}),
      definedAt: { file: m.entry.file, line: m.entry.line },
    });
  }
}


/** `“prior to” → “before” (authority voice)`; several replacements are joined with "or". */
function phraseMessage(quoted: string, suggestions: { text: string }[], label?: string): string | undefined {
  const texts = [...new Set(suggestions.map((s) => s.text.trim()).filter(Boolean))];
  if (!label || texts.length === 0) return undefined;
  return `${quoted} → ${texts.map((t) => `“${t}”`).join(' or ')} (${label})`;
}

function fillAndCase(s: string, m: PhraseMatch, text: string, original: string): string {
  return matchCase(fillSuggestion(s, m, text), original);
}
