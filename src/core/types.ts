/**
 * Shared types of the Unscripted core. Nothing in src/core may import `vscode`:
 * the same engine serves the CLI, the editor and CI.
 */

export type Severity = 'error' | 'warning' | 'info';

export const SEVERITIES: readonly Severity[] = ['error', 'warning', 'info'];

/** A place in a file or in the playbook where something is defined. */
export interface SourceRef {
  /** Absolute path of the file. */
  file: string;
  /** 1-based line. */
  line: number;
}

/** A replacement of the text between two offsets of the linted file (UTF-16 code units). */
export interface TextEdit {
  offset: number;
  endOffset: number;
  text: string;
}

export interface Suggestion {
  /** What to write instead, as shown to the writer. */
  text: string;
  /** The concrete edit, when the suggestion can be applied mechanically. */
  edit?: TextEdit;
  /**
   * The name of an action that is not a replacement of the flagged words ("Split into a thread
   * here"): offered one click at a time, never applied by fix-all.
   */
  label?: string;
}

/** Why a model-based finding fired (institutional-voice): carried by hover and `--format json`. */
export interface Explanation {
  /** The post's score, 0–1, after the team's examples. */
  score: number;
  /** The model's score before the examples moved it. */
  modelScore: number;
  threshold: number;
  /** The words that weigh most, heaviest first (offsets into the linted text). */
  phrases: { text: string; offset: number; endOffset: number; weight: number }[];
  /** The sentences that carry the verdict, in text order, each with its own score. */
  sentences: { offset: number; endOffset: number; score: number; weight: number }[];
  /** The team example closest to the post, when it moved the score. */
  example?: { file: string; line: number; side: 'us' | 'not-us'; similarity: number };
}

export interface Finding {
  ruleId: string;
  severity: Severity;
  message: string;
  /** 1-based line and column of the start; end is exclusive (like ESLint). */
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  /** 0-based offsets into the linted text (UTF-16 code units), end exclusive. */
  offset: number;
  endOffset: number;
  /** Why the rule exists, in the playbook author's words. */
  rationale?: string;
  suggestions: Suggestion[];
  /**
   * The one edit that is safe to apply without a person looking (CLI `--fix`, the editor's
   * fix-all). Absent when the suggestions only fit some contexts. See core/fixes.ts.
   */
  fix?: TextEdit;
  /** Where the rule (or the phrase that matched) is defined, for playbook rules. */
  definedAt?: SourceRef;
  /** Link to the rule's documentation page. */
  docsUrl?: string;
  /** Score and evidence, for rules that judge with a model. */
  explanation?: Explanation;
  /** The channel a finding is about, when it is about one (channel-length): the publish gate judges only channels being published. */
  channel?: string;
  /** For a phrase-rule finding: the matched words as written, and whether the message already names every suggestion. */
  phrase?: PhraseHit;
}

/** What a phrase-rule finding matched (adapters read this, never the message's wording). */
export interface PhraseHit {
  text: string;
  suggestionsInMessage: boolean;
}

/** A mistake in the playbook or in a config: reported with file and line, never thrown. */
export interface PlaybookError {
  file: string;
  line: number;
  column?: number;
  message: string;
}

export type PostStatus = 'draft' | 'ready' | 'scheduled' | 'published';
export const POST_STATUSES: readonly PostStatus[] = ['draft', 'ready', 'scheduled', 'published'];

export type Platform = 'outbox' | 'feed' | 'bluesky' | 'mastodon' | 'x' | 'linkedin' | 'webhook';
export const PLATFORMS: readonly Platform[] = ['outbox', 'feed', 'bluesky', 'mastodon', 'x', 'linkedin', 'webhook'];
/** Platforms Unscripted has a publisher for (x and linkedin are declared but cannot publish yet). */
export const PUBLISHABLE_PLATFORMS: readonly Platform[] = ['outbox', 'feed', 'bluesky', 'mastodon', 'webhook'];

export interface PublishedEntry {
  channel: string;
  id: string;
  url?: string;
  at: string;
  hash?: string;
  /** Ids of each thread part, when the channel publishes threads. */
  parts?: string[];
}
