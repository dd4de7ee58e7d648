/**
 * The rule contract: what a rule is (Rule), what it is given (RuleContext), and how it reports
 * (Report, reportPhraseMatches). A rule is a function of four inputs — the post, the playbook,
 * the clock and the workspace index — and reports ranges of the post's text; it never sees
 * other rules, severities, inline control comments or line numbers (the runner, engine.ts,
 * applies those, and stamps each report with the id of the rule that made it).
 *
 * Layer: above prose (prose.ts, post-index.ts) and parsing; below rules/* and the runner.
 */
import type { Explanation, PhraseHit, Severity, SourceRef, Suggestion, TextEdit } from './types';
import { phraseFixIsSafe } from './fixes';
import { matchCase, type LineIndex } from './text';
import type { Block, Extracted } from './markdown';
import type { ParsedPost } from './post';
import { fillSuggestion, type PhraseMatch } from './phrases';
import type { Playbook } from './playbook';
import type { PostProse, SegmentTokens, Sentence } from './prose';
import { tracedIndex, type LintTrace, type WorkspaceIndex } from './post-index';

export type { Sentence, SegmentTokens } from './prose';
export type { LintTrace, WorkspaceIndex } from './post-index';

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

/** What a rule reports: a range of the post's text and what to say about it. No rule id: the runner knows which rule it ran. */
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
  /** A phrase-rule finding's match (see Finding.phrase). */
  phrase?: PhraseHit;
}

/**
 * What one rule sees of one post, made by the runner for each rule it runs. The four inputs:
 * - `post`: the parsed post (front matter, body, thread parts; prose, tokens and sentences below);
 * - `playbook`: the team's playbook in use;
 * - `now`: the clock, fixed for the whole run (schedule rules compare against it);
 * - `index`: the workspace index (post-index.ts), the other posts' schedules and sentences,
 *   for the cross-post rules (schedule-burst, talking-point); EMPTY_INDEX for a post linted alone.
 * `report` hands a finding to the runner, which stamps it with this rule's id.
 */
export class RuleContext {
  private readonly idx: WorkspaceIndex;

  /**
   * `trace`, when given, records what the rule read of the clock and the index (see
   * LintTrace): the lint cache (lint-cache.ts) reuses a post's findings only while those reads
   * would give the same answers.
   */
  constructor(
    private readonly facts: PostProse,
    private readonly clock: Date,
    index: WorkspaceIndex,
    private readonly sink: (r: Report) => void,
    private readonly trace?: LintTrace,
  ) {
    this.idx = trace ? tracedIndex(index, facts.post.file, trace) : index;
  }

  get now(): Date {
    if (this.trace) this.trace.live = true;
    return this.clock;
  }
  get index(): WorkspaceIndex {
    return this.idx;
  }

  get post(): ParsedPost {
    return this.facts.post;
  }
  get playbook(): Playbook {
    return this.facts.playbook;
  }
  get lines(): LineIndex {
    return this.facts.lines;
  }
  get text(): string {
    return this.facts.post.text;
  }
  get file(): string {
    return this.facts.post.file;
  }
  /** The body, parsed block by block. */
  get blocks(): Block[] {
    return this.facts.blocks;
  }
  get prose(): Extracted {
    return this.facts.prose;
  }
  /** Tokens of each prose segment, with offsets in the file (tokenised once per block text). */
  get segmentTokens(): SegmentTokens[] {
    return this.facts.segmentTokens;
  }
  get sentences(): Sentence[] {
    return this.facts.sentences;
  }
  /** Phrase matches of a phrase rule, computed once per post for every phrase rule. */
  phraseMatches(ruleId: string): PhraseMatch[] {
    return this.facts.phraseMatches(ruleId);
  }
  report(r: Report): void {
    this.sink(r);
  }
}

/**
 * Report every match of a phrase rule, with its suggestions as concrete edits. The message says
 * what to write instead when the playbook has a replacement (`“prior to” → “before” (authority
 * voice)`), and falls back to `message` (what to do about it) when it has none; the why is the
 * rule's rationale, shown in the hover. `ruleId` names whose phrases to report; the reports are
 * the running rule's, like any other.
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
      const filled = matchCase(fillSuggestion(s, m, ctx.text), original);
      return clean ? { text: filled, edit: { offset: m.start, endOffset: m.end, text: filled } } : { text: filled };
    });
    const fix = suggestions.length === 1 && phraseFixIsSafe(m.entry) ? suggestions[0].edit : undefined;
    const quoted = `“${original.replace(/[*_`\\]/g, '').replace(/\s+/g, ' ')}”`;
    const named = phraseMessage(quoted, suggestions, label);
    ctx.report({
      offset: m.start,
      endOffset: m.end,
      message: named ?? message(quoted, m),
      phrase: { text: original, suggestionsInMessage: named !== undefined },
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
