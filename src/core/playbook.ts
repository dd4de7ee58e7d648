/**
 * The playbook: Markdown files a comms lead edits by hand. Each file says what it is with
 * `kind:` in its front matter (voice, talking-points, channels, schedule). Structured settings
 * live in front matter; rules are Markdown lists under headings; channels are a table.
 *
 * Loading never throws for a mistake in the playbook: every mistake becomes a PlaybookError
 * with the file and line, and the rest of the playbook still applies.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Root, Heading, List, Table, Paragraph } from 'mdast';
import { parsePlaybookMarkdown, MAX_PLAYBOOK_BLOCK_CHARS } from './markdown';
import { voiceOutline } from './voice-outline';
import { MAX_PLAYBOOK_FILE_BYTES, utf16Problem } from './limits';
import { readFrontMatter, keyRange, FrontMatter, topLevelKeys, nestedKeyStart } from './frontmatter';
import { LineIndex, show, slug, tokenize } from './text';
import { phraseKeys, PhraseEntry } from './phrases';
import { PACKAGE_ROOT } from './package-root';
import { defaultCacheDir, playbookKey, readCached, writeCached } from './playbook-cache';
import { PLATFORMS, PUBLISHABLE_PLATFORMS, Platform, PlaybookError, Severity, SEVERITIES, SourceRef } from './types';

export const PLAYBOOK_KINDS = ['voice', 'talking-points', 'channels', 'schedule', 'examples'] as const;
export type PlaybookKind = (typeof PLAYBOOK_KINDS)[number];

/** Built-in rules whose phrase lists come from the playbook's voice file. */
export const PHRASE_RULE_IDS = ['authority-voice', 'non-apology', 'deflection', 'hierarchy', 'blind-statement'] as const;

export interface RuleConfig {
  id: string;
  title: string;
  severity: Severity;
  rationale: string;
  phrases: PhraseEntry[];
  definedAt: SourceRef;
  /** True for a rule the playbook defines itself (voice/<slug>). */
  custom: boolean;
}

/** A rule id named under a playbook file's `rules:`, with its place. */
export interface RuleRef {
  id: string;
  file: string;
  line: number;
  column: number;
}

export interface TalkingPoint {
  campaign: string;
  text: string;
  file: string;
  line: number;
}

export interface Channel {
  id: string;
  platform: Platform;
  account?: string;
  host?: string;
  limit?: number;
  file: string;
  line: number;
}

/** A post the team wrote down as "Sounds like us" or "Not us" (playbook `kind: examples`). */
export interface PlaybookExample {
  text: string;
  file: string;
  line: number;
  side: 'us' | 'not-us';
}

export interface SchedulePolicy {
  horizonDays: number;
  reviewWindowHours: number;
  burst: { max: number; windowHours: number };
  paused: boolean;
  pauseReason?: string;
  file?: string;
  /** Lines of the settings, for links from findings. */
  lines: Partial<Record<'horizon' | 'review_window' | 'burst' | 'paused', number>>;
}

export interface Playbook {
  /** The playbook folder in use (the workspace's, or the shipped default). */
  dir: string;
  /**
   * The compiled-playbook cache's key of this load (a SHA-256 of every byte it read and of the
   * parser's code; see playbook-cache.ts): the lint cache keys on it. Absent when loaded uncached.
   */
  cacheKey?: string;
  isDefault: boolean;
  /** Absolute paths of the playbook files in use. */
  files: string[];
  rules: Map<string, RuleConfig>;
  talkingPoints: TalkingPoint[];
  talkingPointSeverity: Severity;
  /** A sentence may appear in at most this many posts before it counts as pasted. */
  maxRepeats: number;
  campaigns: Set<string>;
  channels: Map<string, Channel>;
  schedule: SchedulePolicy;
  /** Severity overrides and switches from front matter `rules:` (id → severity or 'off'). */
  overrides: Map<string, Severity | 'off'>;
  /**
   * Every id named under `rules:`, where it is written. The playbook layer does not know the
   * rules: the runner checks these against the rules it runs (engine.ts checkRuleOverrides).
   */
  ruleRefs: RuleRef[];
  /** Numeric rule options from `rules:` (`institutional-voice: { threshold: 0.8 }`), checked against each rule's `options`. */
  ruleOptions: Map<string, Record<string, number>>;
  /** The team's example posts, from `kind: examples` files. */
  examples: PlaybookExample[];
  errors: PlaybookError[];
  /** Things that work but deserve a word (a channel whose platform cannot publish yet); not errors. */
  warnings?: PlaybookError[];
}

export const DEFAULT_SCHEDULE: SchedulePolicy = {
  horizonDays: 14,
  reviewWindowHours: 48,
  burst: { max: 3, windowHours: 6 },
  paused: false,
  lines: {},
};

/** The shipped default playbook, used when a workspace has none. */
export const DEFAULT_PLAYBOOK_DIR = path.join(PACKAGE_ROOT, 'playbooks');

export interface LoadOptions {
  workspaceRoot: string;
  /** Use this folder as the playbook instead of `<workspaceRoot>/playbooks`. */
  playbookDir?: string;
  /** Text to use instead of what is on disk, by absolute path (an editor's unsaved buffers). */
  overlay?: ReadonlyMap<string, string>;
  /**
   * Use the compiled-playbook cache (core/playbook-cache.ts): true for its default folder, or a
   * folder. Off by default; the CLI turns it on. A hit is keyed by the full text of every file.
   */
  cache?: boolean | string;
}

/** Read the playbook files (top-level *.md with a `kind:`) of a folder. */
function readPlaybookFolder(
  dir: string,
  errors: PlaybookError[],
  overlay?: ReadonlyMap<string, string>,
): { file: string; text: string; kind?: string; fm?: FrontMatter }[] {
  let names: string[];
  try {
    names = fs
      .readdirSync(dir)
      .filter((n) => n.toLowerCase().endsWith('.md'))
      .sort();
  } catch (e) {
    errors.push({ file: dir, line: 1, message: `Cannot read the playbook folder: ${(e as Error).message}` });
    return [];
  }
  const out: { file: string; text: string; kind?: string; fm?: FrontMatter }[] = [];
  for (const name of names) {
    const file = path.join(dir, name);
    let text: string;
    const unsaved = overlay?.get(file);
    if (unsaved !== undefined) {
      // An editor's unsaved buffer or a review's other side: the same limit as a file on disk.
      if (unsaved.length > MAX_PLAYBOOK_FILE_BYTES) {
        errors.push({
          file,
          line: 1,
          message: `Playbook file is too large (${unsaved.length} characters; the limit is ${MAX_PLAYBOOK_FILE_BYTES / 1024 / 1024} MiB): not read. A playbook is a few hundred KB at most: split it into several files`,
        });
        continue;
      }
      out.push(withKind(file, unsaved));
      continue;
    }
    try {
      const st = fs.statSync(file);
      if (!st.isFile()) continue;
      if (st.size > MAX_PLAYBOOK_FILE_BYTES) {
        errors.push({
          file,
          line: 1,
          message: `Playbook file is too large (${st.size} bytes; the limit is ${MAX_PLAYBOOK_FILE_BYTES / 1024 / 1024} MiB): not read. A playbook is a few hundred KB at most: split it into several files`,
        });
        continue;
      }
      const buf = fs.readFileSync(file);
      if (utf16Problem(buf)) {
        errors.push({ file, line: 1, message: 'Playbook file is UTF-16 text: save it as UTF-8' });
        continue;
      }
      if (buf.includes(0)) {
        errors.push({ file, line: 1, message: 'Playbook file is binary, not Markdown' });
        continue;
      }
      text = buf.toString('utf8');
    } catch (e) {
      errors.push({ file, line: 1, message: `Cannot read: ${(e as Error).message}` });
      continue;
    }
    out.push(withKind(file, text));
  }
  return out;
}

function withKind(file: string, text: string): { file: string; text: string; kind?: string; fm?: FrontMatter } {
  const fm = readFrontMatter(text);
  const kind = fm?.data && typeof fm.data.kind === 'string' ? fm.data.kind : undefined;
  return { file, text, kind, fm };
}

/**
 * Read and parse the playbook (a handful of small files, so synchronously), through the
 * compiled-playbook cache when asked. Its `rules:` ids are recorded, not checked: load it with
 * engine.ts's loadPlaybookSync, which checks them against the rules that run.
 */
export function readPlaybook(opts: LoadOptions): Playbook {
  const wanted = opts.playbookDir ? path.resolve(opts.workspaceRoot, opts.playbookDir) : path.join(opts.workspaceRoot, 'playbooks');
  let dir = wanted;
  let found = true;
  if (!fs.existsSync(wanted) || !fs.statSync(wanted).isDirectory()) {
    found = false;
    dir = DEFAULT_PLAYBOOK_DIR;
  }
  if (!opts.cache) return parsePlaybook(opts, wanted, dir, found);
  const cacheDir = typeof opts.cache === 'string' ? opts.cache : defaultCacheDir();
  const key = cacheDir
    ? playbookKey([dir, DEFAULT_PLAYBOOK_DIR], opts.overlay, JSON.stringify([wanted, dir, found, !!opts.playbookDir]))
    : undefined;
  if (!cacheDir || !key) return parsePlaybook(opts, wanted, dir, found);
  const hit = readCached<Playbook>(cacheDir, key);
  if (hit) {
    hit.cacheKey = key;
    return hit;
  }
  const pb = parsePlaybook(opts, wanted, dir, found);
  writeCached(cacheDir, key, pb);
  pb.cacheKey = key;
  return pb;
}

function parsePlaybook(opts: LoadOptions, wanted: string, dir: string, found: boolean): Playbook {
  const errors: PlaybookError[] = [];
  if (!found && opts.playbookDir) errors.push({ file: wanted, line: 1, message: 'Playbook folder not found' });
  const isDefault = path.resolve(dir) === path.resolve(DEFAULT_PLAYBOOK_DIR);
  const own = readPlaybookFolder(dir, errors, opts.overlay);
  const present = new Set(own.map((f) => f.kind).filter(Boolean));
  const files = [...own];
  if (!isDefault) {
    // A kind the workspace does not define falls back to the shipped default of that kind —
    // but for examples: they teach the model one team's voice, and the default's are not yours.
    for (const f of readPlaybookFolder(DEFAULT_PLAYBOOK_DIR, [])) {
      if (f.kind && f.kind !== 'examples' && !present.has(f.kind)) files.push(f);
    }
  }

  const pb: Playbook = {
    dir,
    isDefault,
    files: [],
    rules: new Map(),
    talkingPoints: [],
    talkingPointSeverity: 'warning',
    maxRepeats: 2,
    campaigns: new Set(),
    channels: new Map(),
    schedule: { ...DEFAULT_SCHEDULE, burst: { ...DEFAULT_SCHEDULE.burst }, lines: {} },
    overrides: new Map(),
    ruleRefs: [],
    ruleOptions: new Map(),
    examples: [],
    errors,
  };

  for (const f of files) {
    const lines = new LineIndex(f.text);
    const err = (offset: number, message: string) =>
      errors.push({ file: f.file, line: lines.position(offset).line, column: lines.position(offset).column, message });
    if (!f.fm) {
      // A Markdown file without front matter in the playbook folder is notes, not playbook (README.md).
      continue;
    }
    for (const e of f.fm.errors) err(e.offset, `Front matter: ${e.message}`);
    if (!f.fm.data) continue;
    if (f.kind === undefined) {
      if ('kind' in f.fm.data) err(keyRange(f.fm, 'kind')?.start ?? 0, '`kind:` must be one of: ' + PLAYBOOK_KINDS.join(', '));
      continue;
    }
    if (!(PLAYBOOK_KINDS as readonly string[]).includes(f.kind)) {
      err(keyRange(f.fm, 'kind')?.start ?? 0, `Unknown playbook kind "${f.kind}": use one of ${PLAYBOOK_KINDS.join(', ')}`);
      continue;
    }
    pb.files.push(f.file);
    readOverrides(
      pb,
      f.fm,
      (offset, id) => pb.ruleRefs.push({ id, file: f.file, line: lines.position(offset).line, column: lines.position(offset).column }),
      err,
    );
    // Voice and talking-points files (headings, prose, lists) get a line scanner when their
    // shapes allow (core/voice-outline.ts); micromark otherwise, and for the channels table.
    const outlined =
      (f.kind === 'voice' || f.kind === 'talking-points') && !process.env.UNSCRIPTED_NO_FAST_VOICE ? voiceOutline(f.text) : undefined;
    const root =
      outlined ??
      parsedPlaybookMarkdown(f.text, f.fm.end, (offset, chars) =>
        err(
          offset,
          `This block is ${chars} characters, over the ${MAX_PLAYBOOK_BLOCK_CHARS} a block of a large playbook may have: it was not read. Break it up with blank lines`,
        ),
      );
    switch (f.kind as PlaybookKind) {
      case 'voice':
        parseVoice(pb, f.file, f.text, root, lines, err);
        break;
      case 'talking-points':
        parseTalkingPoints(pb, f.file, f.fm, f.text, root, lines, err);
        break;
      case 'channels':
        parseChannels(pb, f.file, f.text, root, lines, err);
        break;
      case 'schedule':
        parseSchedule(pb, f.file, f.fm, lines, err);
        break;
      case 'examples':
        parseExamples(pb, f.file, f.text, root, lines, err);
        break;
    }
  }
  return pb;
}

type Err = (offset: number, message: string) => void;

/**
 * micromark trees of recent playbook texts (the parsers only read them): a reload after an edit
 * of one file re-parses that file, not the channels table beside it. Keyed by the full text; a
 * text with an oversized block is not kept, so its error is reported on every load.
 */
const treeMemo = new Map<string, Root>();
function parsedPlaybookMarkdown(text: string, start: number, onOversized: (offset: number, chars: number) => void): Root {
  const memo = treeMemo.get(text);
  if (memo) return memo;
  let oversized = false;
  const root = parsePlaybookMarkdown(text, start, (offset, chars) => {
    oversized = true;
    onOversized(offset, chars);
  });
  if (!oversized && text.length <= 256 * 1024) {
    if (treeMemo.size >= 8) treeMemo.delete(treeMemo.keys().next().value!);
    treeMemo.set(text, root);
  }
  return root;
}

function readOverrides(pb: Playbook, fm: FrontMatter, named: (offset: number, id: string) => void, err: Err): void {
  const rules = fm.data?.rules;
  if (rules === undefined) return;
  if (!rules || typeof rules !== 'object' || Array.isArray(rules)) {
    err(keyRange(fm, 'rules')?.start ?? 0, '`rules:` must map rule ids to off, error, warning or info');
    return;
  }
  for (const [id, raw] of Object.entries(rules as Record<string, unknown>)) {
    const at = nestedKeyStart(fm, 'rules', id) ?? 0;
    let v: unknown = raw;
    if (raw && typeof raw === 'object' && !Array.isArray(raw)) {
      // `rule: { severity: error, threshold: 0.8 }`: a severity plus numeric options.
      const { severity, ...rest } = raw as Record<string, unknown>;
      const opts: Record<string, number> = {};
      for (const [name, x] of Object.entries(rest)) {
        if (typeof x === 'number' && Number.isFinite(x)) opts[name] = x;
        else err(at, `rules.${id}.${name}: "${show(x)}" is not a number`);
      }
      pb.ruleOptions.set(id, opts);
      v = severity;
    }
    // Named whatever its severity: the id and its options are checked once the rules are known.
    named(at, id);
    if (v === undefined) continue;
    const value = v === false ? 'off' : show(v).toLowerCase();
    if (value !== 'off' && !(SEVERITIES as readonly string[]).includes(value)) {
      err(at, `rules.${id}: "${show(v)}" is not off, error, warning or info`);
      continue;
    }
    pb.overrides.set(id, value as Severity | 'off');
  }
}

function nodeText(text: string, node: { position?: { start: { offset?: number }; end: { offset?: number } } }): string {
  return text.slice(node.position?.start.offset ?? 0, node.position?.end.offset ?? 0);
}

function headingText(text: string, h: Heading): string {
  return nodeText(text, h)
    .replace(/^#+\s*/, '')
    .replace(/\s*#+\s*$/, '')
    .trim();
}

const QUOTED = /"([^"]*)"|“([^”]*)”/g;
const ARROW = /\s*(?:→|->|=>)\s*/;

/** Parse one list item: `"phrase" → "suggestion", "suggestion"`. */
export function parsePhraseItem(raw: string): { phrase: string; suggestions: string[]; autoFix?: boolean } | { error: string } {
  let src = raw.replace(/^\s*[-*+]\s+/, '').trim();
  // `(auto-fix)` / `(no auto-fix)` at the end: may the suggestion be applied unattended (core/fixes.ts)?
  let autoFix: boolean | undefined;
  const marker = /\s*\((no\s+)?auto-?fix\)\s*$/i.exec(src);
  if (marker) {
    autoFix = !marker[1];
    src = src.slice(0, marker.index).trim();
  }
  const parts = src.split(ARROW);
  const left = parts[0].trim();
  const m = /^(?:"([^"]+)"|“([^”]+)”)$/.exec(left);
  if (!m) return { error: 'Expected a quoted phrase, like "going forward" → "from now on"' };
  const phrase = (m[1] ?? m[2]).trim();
  const suggestions: string[] = [];
  if (parts.length > 2) return { error: 'Use one arrow (→) between the phrase and its suggestions' };
  if (parts.length === 2) {
    const right = parts[1].trim();
    if (right) {
      let rest = right;
      QUOTED.lastIndex = 0;
      let q: RegExpExecArray | null;
      while ((q = QUOTED.exec(right)) !== null) suggestions.push(q[1] ?? q[2]);
      rest = right.replace(QUOTED, '').replace(/[,\s]/g, '');
      if (suggestions.length === 0 || rest.length > 0)
        return { error: 'Suggestions must be quoted and separated by commas: → "this", "that"' };
    }
  }
  const regexy = /[()[\]*+?^$|\\]/.exec(phrase);
  if (regexy) return { error: `"${phrase}" has "${regexy[0]}": a phrase is plain words, not a pattern (it would match only its words)` };
  const keys = phraseKeys(phrase);
  if (keys.length === 0) return { error: 'The phrase has no words' };
  if (/[{}]/.test(phrase.replace(/\{[\p{L}\p{N}_-]+\}/gu, '')))
    return { error: 'A placeholder is one word in braces, like {name}; nothing more powerful' };
  if (keys.every((k) => k.startsWith('{'))) return { error: 'A phrase needs at least one word besides placeholders' };
  const names = new Set(keys.filter((k) => k.startsWith('{')));
  for (const s of suggestions) {
    for (const p of s.match(/\{[\p{L}\p{N}_-]+\}/gu) ?? []) {
      if (!names.has(p)) return { error: `The suggestion uses ${p}, which the phrase does not have` };
    }
  }
  if (autoFix && suggestions.length !== 1) return { error: '(auto-fix) needs exactly one suggestion to apply' };
  return autoFix === undefined ? { phrase, suggestions } : { phrase, suggestions, autoFix };
}

function parseVoice(pb: Playbook, file: string, text: string, root: Root, lines: LineIndex, err: Err): void {
  interface Section {
    heading: Heading;
    title: string;
    paragraphs: Paragraph[];
    lists: List[];
  }
  const sections: Section[] = [];
  let current: Section | undefined;
  for (const node of root.children) {
    if (node.type === 'heading') {
      current = { heading: node, title: headingText(text, node), paragraphs: [], lists: [] };
      sections.push(current);
    } else if (current && node.type === 'paragraph') current.paragraphs.push(node);
    else if (current && node.type === 'list') current.lists.push(node);
  }
  for (const s of sections) {
    const items = s.lists.flatMap((l) => l.children);
    const quoted = items.filter((it) => /^\s*[-*+]\s+["“]/.test(nodeText(text, it)));
    if (quoted.length === 0) continue; // A section of prose, not a rule.
    const key = slug(s.title);
    const id = (PHRASE_RULE_IDS as readonly string[]).includes(key) ? key : `voice/${key}`;
    const headingOffset = s.heading.position?.start.offset ?? 0;
    let severity: Severity = 'warning';
    const rationale: string[] = [];
    for (const p of s.paragraphs) {
      let raw = nodeText(text, p).trim();
      // `Severity: …` on the paragraph's first line; the rationale may follow without a blank line.
      const sev = /^severity\s*:\s*(\S+)[ \t]*(?:\r?\n|$)/i.exec(raw);
      if (sev) {
        const v = sev[1].toLowerCase();
        if ((SEVERITIES as readonly string[]).includes(v)) severity = v as Severity;
        else err(p.position?.start.offset ?? 0, `Severity must be error, warning or info, not "${sev[1]}"`);
        raw = raw.slice(sev[0].length).trim();
        if (!raw) continue;
      }
      if (/^sources?\s*:/i.test(raw)) continue;
      rationale.push(raw.replace(/\s*\n\s*/g, ' '));
    }
    let rule = pb.rules.get(id);
    if (!rule) {
      rule = {
        id,
        title: s.title,
        severity,
        rationale: rationale.join('\n\n'),
        phrases: [],
        definedAt: { file, line: lines.position(headingOffset).line },
        custom: id.startsWith('voice/'),
      };
      pb.rules.set(id, rule);
    }
    const seen = new Set(rule.phrases.map((p) => phraseKeys(p.phrase).join(' ')));
    for (const item of items) {
      const start = item.position?.start.offset ?? 0;
      // An item may wrap onto more lines (long suggestion lists).
      const raw = nodeText(text, item).replace(/\s*\r?\n\s*/g, ' ');
      const parsed = parsePhraseItem(raw);
      const line = lines.position(start).line;
      if ('error' in parsed) {
        err(start, `${s.title}: ${parsed.error}`);
        continue;
      }
      const keys = phraseKeys(parsed.phrase);
      const k = keys.join(' ');
      if (seen.has(k)) {
        err(start, `${s.title}: "${parsed.phrase}" is listed twice`);
        continue;
      }
      seen.add(k);
      rule.phrases.push({
        ruleId: id,
        phrase: parsed.phrase,
        suggestions: parsed.suggestions,
        ...(parsed.autoFix !== undefined ? { autoFix: parsed.autoFix } : {}),
        keys,
        file,
        line,
      });
    }
  }
}

function parseTalkingPoints(pb: Playbook, file: string, fm: FrontMatter, text: string, root: Root, lines: LineIndex, err: Err): void {
  const data = fm.data ?? {};
  if (data.severity !== undefined) {
    const v = show(data.severity).toLowerCase();
    if ((SEVERITIES as readonly string[]).includes(v)) pb.talkingPointSeverity = v as Severity;
    else err(keyRange(fm, 'severity')?.start ?? 0, `severity must be error, warning or info, not "${show(data.severity)}"`);
  }
  if (data.max_repeats !== undefined) {
    const n = Number(data.max_repeats);
    if (Number.isInteger(n) && n >= 1) pb.maxRepeats = n;
    else err(keyRange(fm, 'max_repeats')?.start ?? 0, 'max_repeats must be a whole number of posts, 1 or more');
  }
  let campaign: string | undefined;
  for (const node of root.children) {
    if (node.type === 'heading' && node.depth >= 2) {
      campaign = slug(headingText(text, node).replace(/^campaign\s*:\s*/i, ''));
      if (campaign) pb.campaigns.add(campaign);
    } else if (node.type === 'list') {
      for (const item of node.children) {
        const start = item.position?.start.offset ?? 0;
        const raw = nodeText(text, item)
          .replace(/^\s*[-*+]\s+/, '')
          .replace(/\s*\n\s*/g, ' ')
          .replace(/^["“](.*)["”]$/, '$1')
          .trim();
        if (!campaign) {
          err(start, 'Talking point outside a campaign: put it under a `## campaign-name` heading');
          continue;
        }
        if (tokenize(raw).length < 4) {
          err(start, 'A talking point needs at least four words to be recognised in posts');
          continue;
        }
        pb.talkingPoints.push({ campaign, text: raw, file, line: lines.position(start).line });
      }
    }
  }
}

const CHANNEL_COLUMNS = ['id', 'platform', 'account', 'limit', 'host'];

function parseChannels(pb: Playbook, file: string, text: string, root: Root, lines: LineIndex, err: Err): void {
  const tables = root.children.filter((n): n is Table => n.type === 'table');
  if (tables.length === 0) {
    err(0, 'A channels playbook needs a table with the columns id | platform | account | limit');
    return;
  }
  for (const table of tables) {
    const [head, ...rows] = table.children;
    const cols = head.children.map((c) => nodeText(text, c).replace(/^\|/, '').replace(/\|$/, '').trim().toLowerCase().replace(/`/g, ''));
    const headAt = head.position?.start.offset ?? 0;
    for (const c of cols) {
      if (!CHANNEL_COLUMNS.includes(c)) err(headAt, `Unknown column "${c}" in the channels table (columns: ${CHANNEL_COLUMNS.join(', ')})`);
    }
    if (!cols.includes('id') || !cols.includes('platform')) {
      err(headAt, 'The channels table needs at least the columns id and platform');
      continue;
    }
    for (const row of rows) {
      const at = row.position?.start.offset ?? 0;
      const cell = (name: string) => {
        const i = cols.indexOf(name);
        if (i < 0 || !row.children[i]) return '';
        return nodeText(text, row.children[i]).replace(/^\|/, '').replace(/\|$/, '').replace(/`/g, '').trim();
      };
      const id = cell('id');
      const platform = cell('platform').toLowerCase();
      if (!id) {
        err(at, 'Channel row without an id');
        continue;
      }
      if (!/^[a-z0-9][a-z0-9_-]*$/i.test(id)) {
        err(at, `Channel id "${id}" must be letters, digits, - or _`);
        continue;
      }
      if (pb.channels.has(id)) {
        err(at, `Channel "${id}" is declared twice`);
        continue;
      }
      if (!(PLATFORMS as readonly string[]).includes(platform)) {
        err(at, `Channel "${id}": unknown platform "${platform}" (use one of ${PLATFORMS.join(', ')})`);
        continue;
      }
      let limit: number | undefined;
      const lim = cell('limit');
      if (lim) {
        const n = Number(lim.replace(/[,_\s]/g, ''));
        if (!Number.isInteger(n) || n <= 0) {
          err(at, `Channel "${id}": limit "${lim}" is not a positive whole number`);
          continue;
        }
        limit = n;
      }
      const host = cell('host') || undefined;
      if (host && !/^[a-z0-9.-]+(:\d+)?$/i.test(host.replace(/^https?:\/\//, ''))) {
        err(at, `Channel "${id}": host "${host}" is not a host name`);
        continue;
      }
      if (!(PUBLISHABLE_PLATFORMS as readonly string[]).includes(platform)) {
        const pos = lines.position(at);
        (pb.warnings ??= []).push({
          file,
          line: pos.line,
          column: pos.column,
          message: `Channel "${id}": Unscripted has no publisher for ${platform} yet; lint counts its length, publishing to it fails (use an outbox channel)`,
        });
      }
      pb.channels.set(id, {
        id,
        platform: platform as Platform,
        account: cell('account') || undefined,
        host,
        limit,
        file,
        line: lines.position(at).line,
      });
    }
  }
}

const UNIT_HOURS: Record<string, number> = { h: 1, hour: 1, hours: 1, d: 24, day: 24, days: 24, w: 168, week: 168, weeks: 168 };

const MAX_DURATION_HOURS = 10 * 366 * 24;

/** "14 days", "48h", "2 weeks" → hours (up to ten years). */
export function parseDuration(raw: unknown): number | undefined {
  if (typeof raw === 'number' && raw > 0) return undefined; // a bare number is ambiguous: ask for a unit
  if (typeof raw !== 'string') return undefined;
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-z]+)\s*$/i.exec(raw);
  if (!m) return undefined;
  const unit = UNIT_HOURS[m[2].toLowerCase()];
  if (!unit) return undefined;
  const v = Number(m[1]) * unit;
  // A 400-digit number is Infinity, which would switch the rule off silently: ten years at most.
  return v > 0 && v <= MAX_DURATION_HOURS ? v : undefined;
}

const US = /^(?:sounds like us|like us|us|this is us|our voice)$/i;
const NOT_US = /^(?:not us|doesn[’']?t sound like us|not like us|not our voice)$/i;

/**
 * `kind: examples`: example posts under a "Sounds like us" and a "Not us" heading (level 2 or
 * deeper), each a list item, a block quote or a paragraph. Paragraphs before the first such
 * heading are notes.
 */
function parseExamples(pb: Playbook, file: string, text: string, root: Root, lines: LineIndex, err: Err): void {
  let side: PlaybookExample['side'] | undefined;
  let sections = 0;
  const seen = new Map<string, PlaybookExample>();
  const add = (raw: string, offset: number) => {
    const t = raw.trim();
    if (!t) return;
    const line = lines.position(offset).line;
    if (!side) {
      err(offset, 'Example outside a section: put it under a "## Sounds like us" or "## Not us" heading');
      return;
    }
    if (tokenize(t).length < 3) {
      err(offset, 'An example needs at least three words to teach anything: write the whole post');
      return;
    }
    const key = tokenize(t)
      .map((k) => k.norm)
      .join(' ');
    const before = seen.get(key);
    if (before) {
      err(
        offset,
        before.side === side
          ? `This example is listed twice (first at line ${before.line})`
          : `This example is also under "${before.side === 'us' ? 'Sounds like us' : 'Not us'}" (line ${before.line}): keep it in one section`,
      );
      return;
    }
    const ex: PlaybookExample = { text: t, file, line, side };
    seen.set(key, ex);
    pb.examples.push(ex);
  };
  for (const node of root.children) {
    const offset = node.position?.start.offset ?? 0;
    if (node.type === 'heading') {
      if (node.depth === 1) continue;
      const title = headingText(text, node);
      if (US.test(title)) side = 'us';
      else if (NOT_US.test(title)) side = 'not-us';
      else {
        err(offset, `Unknown section "${title}": examples go under "## Sounds like us" or "## Not us"`);
        side = undefined;
        continue;
      }
      sections++;
    } else if (node.type === 'list') {
      for (const item of node.children)
        add(
          nodeText(text, item)
            .replace(/^\s*(?:[-*+]|\d+[.)])\s+/, '')
            .replace(/^["“]([\s\S]*)["”]$/, '$1'),
          item.position?.start.offset ?? offset,
        );
    } else if (node.type === 'blockquote') {
      add(nodeText(text, node).replace(/^[ \t]*> ?/gm, ''), offset);
    } else if (node.type === 'paragraph') {
      if (side) add(nodeText(text, node), offset);
    }
  }
  if (sections === 0) err(0, 'An examples file needs a "## Sounds like us" or a "## Not us" section');
}

function parseSchedule(pb: Playbook, file: string, fm: FrontMatter, lines: LineIndex, err: Err): void {
  const data = fm.data ?? {};
  const s = pb.schedule;
  s.file = file;
  const line = (k: string) => lines.position(keyRange(fm, k)?.start ?? 0).line;
  const at = (k: string) => keyRange(fm, k)?.start ?? 0;
  const known = ['kind', 'horizon', 'review_window', 'burst', 'paused', 'pause_reason', 'rules', 'title'];
  for (const k of topLevelKeys(fm)) {
    if (!known.includes(k)) err(at(k), `Unknown schedule setting "${k}" (known: ${known.slice(1).join(', ')})`);
  }
  if (data.horizon !== undefined) {
    const h = parseDuration(data.horizon);
    if (h === undefined) err(at('horizon'), `horizon: "${show(data.horizon)}" is not a duration like "14 days" (up to ten years)`);
    else s.horizonDays = h / 24;
    s.lines.horizon = line('horizon');
  }
  if (data.review_window !== undefined) {
    const h = parseDuration(data.review_window);
    if (h === undefined)
      err(at('review_window'), `review_window: "${show(data.review_window)}" is not a duration like "48 hours" (up to ten years)`);
    else s.reviewWindowHours = h;
    s.lines.review_window = line('review_window');
  }
  if (data.burst !== undefined) {
    const m = typeof data.burst === 'string' ? /^\s*(\d+)\s+(?:posts?\s+)?per\s+(.+)$/i.exec(data.burst) : null;
    const win = m ? (parseDuration(m[2]) ?? parseDuration(`1 ${m[2].trim()}`)) : undefined;
    if (!m || win === undefined || Number(m[1]) < 1) err(at('burst'), `burst: "${show(data.burst)}" should read like "3 per 6 hours"`);
    else s.burst = { max: Number(m[1]), windowHours: win };
    s.lines.burst = line('burst');
  }
  if (data.paused !== undefined) {
    if (typeof data.paused !== 'boolean') err(at('paused'), 'paused must be true or false');
    else s.paused = data.paused;
    s.lines.paused = line('paused');
  }
  if (data.pause_reason !== undefined && data.pause_reason !== null) s.pauseReason = show(data.pause_reason);
  if (s.paused && !s.pauseReason) err(at('paused'), 'Say why publishing is paused: add pause_reason');
}
