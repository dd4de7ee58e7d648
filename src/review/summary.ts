/**
 * The pull-request review summary: what a change does to the plan.
 *
 * Three lints of the workspace, all with the same clock:
 *   base  = the base's posts with the base's playbook   (files read from git into a temp folder)
 *   head  = the working tree's posts with its playbook
 *   mixed = the head's posts with the base's playbook   (only when the playbook changed)
 * base → head gives the findings new, fixed and unchanged per post; mixed → head isolates what the
 * playbook change alone does, across every post, changed in the pull request or not.
 *
 * Findings are matched by rule id, message and the text they cover (whitespace-normalised), never
 * by line numbers, so an edit above a finding does not make it "new".
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Workspace, DEFAULT_PLAYBOOK_DIR, parsePost } from '../core';
import { MAX_PLAYBOOK_FILE_BYTES } from '../core/limits';
import { summarizeFinding, type FindingSummary } from '../formats';
import type { LintResult } from '../core';
import type { Playbook, RuleConfig } from '../core/playbook';
import type { ParsedPost } from '../core/post';
import type { Finding, PlaybookError, Severity } from '../core/types';
import { changedLinesSince, type ChangedLines } from './changed-lines';
import { systemGit, type Git } from './git';

export interface ReviewOptions {
  /** The workspace folder (inside a git repository). */
  cwd: string;
  /** The git ref to compare with. */
  base: string;
  /** Playbook folder, relative to cwd or absolute (as `--playbook`). */
  playbookDir?: string;
  /** Clock for the schedule rules and for "how far ahead". */
  now?: Date;
  /** Compare with the working tree (default) or with HEAD only. */
  includeWorkingTree?: boolean;
  /** The git to ask (default: the `git` executable). */
  git?: Git;
}

export interface ReviewFinding extends FindingSummary {
  /** The text the finding covers. */
  text: string;
  /** A model-scored finding (institutional-voice): matched by rule and text, not message. */
  scored?: boolean;
}

export interface PostRef {
  /** Path relative to the workspace folder, with forward slashes. */
  file: string;
  title?: string;
  status?: string;
  publishAt?: string;
}

export interface ChangedPost extends PostRef {
  /** Set when the post was renamed or moved. */
  renamedFrom?: string;
}

export interface StatusChange {
  file: string;
  title?: string;
  from?: string;
  to?: string;
}

export type ScheduleChangeKind = 'newly-scheduled' | 'moved' | 'unscheduled';

export interface ScheduleChange {
  file: string;
  title?: string;
  kind: ScheduleChangeKind;
  /** Publication time before and after (as written in the front matter). */
  from?: string;
  to?: string;
  /** How far the post moved, in minutes (positive: later). */
  shiftMinutes?: number;
  /** How far ahead of now the (new) publication time is, in minutes (negative: in the past). */
  aheadMinutes?: number;
  /** The head's playbook is paused: this post would go out inside the pause. */
  inPause: boolean;
  pauseReason?: string;
}

export interface PostFindings {
  file: string;
  title?: string;
  /** What happened to the post in this change. */
  change: 'added' | 'changed' | 'unchanged';
  new: (ReviewFinding & { cause: 'post' | 'playbook' })[];
  fixed: (ReviewFinding & { cause: 'post' | 'playbook' })[];
  unchanged: number;
}

export interface RuleChange {
  id: string;
  title?: string;
  change: 'added' | 'removed' | 'changed';
  severity?: { from?: Severity | 'off'; to?: Severity | 'off' };
  titleChanged?: { from: string; to: string };
  rationaleChanged?: boolean;
  phrasesAdded: string[];
  phrasesRemoved: string[];
  suggestionsChanged: string[];
  /** Number of phrases (added or removed rules). */
  phraseCount?: number;
}

export interface ImpactEntry {
  file: string;
  title?: string;
  /** Whether the post itself changed in this pull request. */
  postChanged: boolean;
  findings: ReviewFinding[];
}

export interface PlaybookReview {
  changed: boolean;
  files: { file: string; change: 'added' | 'modified' | 'removed' }[];
  rules: RuleChange[];
  talkingPoints: { added: { campaign: string; text: string }[]; removed: { campaign: string; text: string }[] };
  channels: { id: string; change: 'added' | 'removed' | 'changed'; detail: string }[];
  schedule: { setting: string; from: string; to: string }[];
  /** Mistakes in the head's playbook (file relative to the workspace). */
  errors: PlaybookError[];
  impact: { newlyFlagged: ImpactEntry[]; cleared: ImpactEntry[] };
}

export interface ReviewSummary {
  base: { ref: string; commit: string; mode: 'merge-base' | 'ref' };
  includesWorkingTree: boolean;
  now: string;
  notes: string[];
  posts: { added: PostRef[]; changed: ChangedPost[]; removed: PostRef[] };
  statusChanges: StatusChange[];
  scheduleChanges: ScheduleChange[];
  findings: {
    totals: { new: number; fixed: number; unchanged: number };
    posts: PostFindings[];
  };
  playbook: PlaybookReview;
  nothingToReport: boolean;
}

// ---------------------------------------------------------------------------------------------

const toPosix = (p: string) => p.split(path.sep).join('/');

function isInside(parent: string, child: string): boolean {
  const rel = path.relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

function realpathOr(p: string): string {
  try {
    return fs.realpathSync.native(p);
  } catch {
    return path.resolve(p);
  }
}

function normText(s: string): string {
  return s.replace(/[’‘]/g, "'").replace(/\s+/g, ' ').trim().toLowerCase();
}

function toReviewFinding(f: Finding, text: string): ReviewFinding {
  return { ...summarizeFinding(f), text: text.slice(f.offset, f.endOffset), ...(f.explanation ? { scored: true } : {}) };
}

/** Messages may cite positions ("schedule.md:6", "line 4") that move when lines move: not identity. */
function normMessage(m: string): string {
  return m.replace(/(\.(?:md|markdown)):\d+(?::\d+)?/gi, '$1').replace(/\b(lines?) \d+(?:[–-]\d+)?/gi, '$1 #');
}

/** The identity review matches findings by (rule, message, text; not line): lint --changed-since uses it too. */
export function findingIdentity(f: Finding, text: string): string {
  return findingKey(toReviewFinding(f, text));
}

/** A scored finding's message carries its score, which moves with every edit: its identity is the rule and the text. */
function findingKey(f: ReviewFinding): string {
  return `${f.ruleId}\u0000${f.scored ? '' : normMessage(f.message)}\u0000${normText(f.text)}`;
}

/** Multiset difference and intersection of findings by key. */
function diffFindings(before: ReviewFinding[], after: ReviewFinding[]): { added: ReviewFinding[]; removed: ReviewFinding[]; same: number } {
  const pool = new Map<string, ReviewFinding[]>();
  for (const f of before) {
    const k = findingKey(f);
    const list = pool.get(k);
    if (list) list.push(f);
    else pool.set(k, [f]);
  }
  const added: ReviewFinding[] = [];
  let same = 0;
  for (const f of after) {
    const list = pool.get(findingKey(f));
    if (list && list.length) {
      list.shift();
      same++;
    } else added.push(f);
  }
  const removed = [...pool.values()].flat().sort((a, b) => a.line - b.line || a.column - b.column);
  return { added, removed, same };
}

interface Side {
  /** Workspace-relative posix path → result. */
  results: Map<string, { findings: ReviewFinding[]; post: ParsedPost; text: string }>;
  playbook: Playbook;
}

function lintSide(ws: Workspace, root: string, now: Date, only?: string[]): Side {
  const files = only ?? ws.listPosts().filter((f) => isInside(root, f));
  const lint: LintResult[] = ws.lintFiles(files, { now });
  const results = new Map<string, { findings: ReviewFinding[]; post: ParsedPost; text: string }>();
  for (const r of lint) {
    const rel = toPosix(path.relative(root, r.file));
    // A file that was not read (too large, binary, a link out of the workspace) is not read here either.
    const text = r.post?.text ?? '';
    const post = r.post ?? parsePost(r.file, text);
    results.set(rel, { findings: r.findings.map((f) => toReviewFinding(f, text)), post, text });
  }
  return { results, playbook: ws.playbook };
}

function postRef(file: string, post: ParsedPost): PostRef {
  return {
    file,
    ...(post.meta.title ? { title: String(post.meta.title) } : {}),
    ...(post.meta.status ? { status: String(post.meta.status) } : {}),
    ...(post.meta.publishAtRaw
      ? { publishAt: post.meta.publishAtRaw }
      : post.meta.publishAt
        ? { publishAt: post.meta.publishAt.toISOString() }
        : {}),
  };
}

function isScheduled(post: ParsedPost | undefined): post is ParsedPost {
  return !!post && post.meta.status === 'scheduled' && post.meta.publishAt instanceof Date && !isNaN(post.meta.publishAt.getTime());
}

function whenRaw(post: ParsedPost): string {
  return post.meta.publishAtRaw ?? post.meta.publishAt!.toISOString();
}

/** Files and folders (absolute; folders end with a separator) that git ignores under some folders of cwd. */
async function ignoredPaths(g: Git, cwd: string, folders: string[]): Promise<string[]> {
  const specs = folders.filter((f) => fs.existsSync(path.join(cwd, f)));
  if (specs.length === 0) return [];
  const res = await g.run(['ls-files', '--others', '--ignored', '--exclude-standard', '--directory', '-z', '--', ...specs], {
    cwd,
    allowFailure: true,
  });
  if (res.code !== 0) return [];
  // ls-files prints paths relative to the folder it runs in; folders end with "/".
  return res.stdout
    .split('\0')
    .filter(Boolean)
    .map((rel) => path.join(cwd, rel.replace(/\/+$/, '')) + (rel.endsWith('/') ? path.sep : ''));
}

function isIgnored(file: string, ignored: string[]): boolean {
  return ignored.some((p) => (p.endsWith(path.sep) ? file.startsWith(p) : file === p));
}

// --- the base workspace, materialised from git -----------------------------------------------

interface BaseTree {
  root: string;
  /** Playbook folder inside the temp root, when the base had one there. */
  playbookDir?: string;
  /** Playbook files of the base (workspace-relative posix path → text). */
  playbookFiles: Map<string, string>;
  cleanup(): void;
}

async function materialiseBase(
  g: Git,
  repoRoot: string,
  commit: string,
  wsRel: string,
  playbookRel: string | undefined,
): Promise<BaseTree> {
  const prefix = wsRel ? wsRel + '/' : '';
  const folders = [prefix + 'posts'];
  if (playbookRel !== undefined) folders.push(prefix + playbookRel);
  const entries = (await g.listTree(repoRoot, commit, folders)).filter(
    (e) => e.type === 'blob' && (e.mode === '100644' || e.mode === '100755') && e.path.toLowerCase().endsWith('.md'),
  );
  const blobs = await g.readBlobs(
    repoRoot,
    entries.map((e) => e.sha),
  );
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'unscripted-base-'));
  const playbookFiles = new Map<string, string>();
  for (const e of entries) {
    const rel = e.path.slice(prefix.length);
    const dest = path.join(root, ...rel.split('/'));
    if (!isInside(root, dest)) continue;
    fs.mkdirSync(path.dirname(dest), { recursive: true });
    const data = blobs.get(e.sha) ?? Buffer.alloc(0);
    fs.writeFileSync(dest, data);
    if (playbookRel !== undefined && isTopLevelIn(playbookRel, rel)) playbookFiles.set(rel, data.toString('utf8'));
  }
  const pbDir = playbookRel !== undefined ? path.join(root, ...playbookRel.split('/')) : undefined;
  return {
    root,
    playbookDir: pbDir && fs.existsSync(pbDir) ? pbDir : undefined,
    playbookFiles,
    cleanup: () => fs.rmSync(root, { recursive: true, force: true }),
  };
}

function isTopLevelIn(folderRel: string, fileRel: string): boolean {
  const f = folderRel.replace(/\/+$/, '');
  return fileRel.startsWith(f + '/') && !fileRel.slice(f.length + 1).includes('/') && fileRel.toLowerCase().endsWith('.md');
}

function readHeadPlaybookFiles(dir: string, root: string): Map<string, string> {
  const out = new Map<string, string>();
  let names: string[] = [];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return out;
  }
  for (const n of names.sort()) {
    if (!n.toLowerCase().endsWith('.md')) continue;
    const file = path.join(dir, n);
    try {
      const st = fs.statSync(file);
      // Not a file, or too large to be a playbook: the loader reports it from disk.
      if (!st.isFile() || st.size > MAX_PLAYBOOK_FILE_BYTES) continue;
      out.set(toPosix(path.relative(root, file)), fs.readFileSync(file, 'utf8'));
    } catch {
      /* unreadable: the playbook loader reports it */
    }
  }
  return out;
}

// --- playbook comparison ---------------------------------------------------------------------

function phraseKey(p: { phrase: string }): string {
  return normText(p.phrase);
}

function effectiveSeverity(pb: Playbook, id: string): Severity | 'off' | undefined {
  return pb.overrides.get(id) ?? pb.rules.get(id)?.severity;
}

function compareRules(base: Playbook, head: Playbook): RuleChange[] {
  const out: RuleChange[] = [];
  const ids = [...new Set([...base.rules.keys(), ...head.rules.keys(), ...base.overrides.keys(), ...head.overrides.keys()])].sort();
  for (const id of ids) {
    const a: RuleConfig | undefined = base.rules.get(id);
    const b: RuleConfig | undefined = head.rules.get(id);
    const sevA = effectiveSeverity(base, id);
    const sevB = effectiveSeverity(head, id);
    if (!a && b) {
      out.push({
        id,
        title: b.title,
        change: 'added',
        severity: { to: sevB },
        phrasesAdded: b.phrases.map((p) => p.phrase),
        phrasesRemoved: [],
        suggestionsChanged: [],
        phraseCount: b.phrases.length,
      });
      continue;
    }
    if (a && !b) {
      out.push({
        id,
        title: a.title,
        change: 'removed',
        severity: { from: sevA },
        phrasesAdded: [],
        phrasesRemoved: a.phrases.map((p) => p.phrase),
        suggestionsChanged: [],
        phraseCount: a.phrases.length,
      });
      continue;
    }
    const pa = new Map((a?.phrases ?? []).map((p) => [phraseKey(p), p]));
    const pb = new Map((b?.phrases ?? []).map((p) => [phraseKey(p), p]));
    const phrasesAdded = [...pb.entries()].filter(([k]) => !pa.has(k)).map(([, p]) => p.phrase);
    const phrasesRemoved = [...pa.entries()].filter(([k]) => !pb.has(k)).map(([, p]) => p.phrase);
    const suggestionsChanged = [...pb.entries()]
      .filter(([k, p]) => pa.has(k) && pa.get(k)!.suggestions.join('\u0000') !== p.suggestions.join('\u0000'))
      .map(([, p]) => p.phrase);
    const change: RuleChange = { id, title: b?.title ?? a?.title, change: 'changed', phrasesAdded, phrasesRemoved, suggestionsChanged };
    let differs = phrasesAdded.length + phrasesRemoved.length + suggestionsChanged.length > 0;
    if (sevA !== sevB) {
      change.severity = { from: sevA, to: sevB };
      differs = true;
    }
    if (a && b && a.title !== b.title) {
      change.titleChanged = { from: a.title, to: b.title };
      differs = true;
    }
    if (a && b && normText(a.rationale) !== normText(b.rationale)) {
      change.rationaleChanged = true;
      differs = true;
    }
    if (differs) out.push(change);
  }
  return out;
}

function compareTalkingPoints(base: Playbook, head: Playbook): PlaybookReview['talkingPoints'] {
  const key = (t: { campaign: string; text: string }) => `${t.campaign}\u0000${normText(t.text)}`;
  const a = new Set(base.talkingPoints.map(key));
  const b = new Set(head.talkingPoints.map(key));
  return {
    added: head.talkingPoints.filter((t) => !a.has(key(t))).map((t) => ({ campaign: t.campaign, text: t.text })),
    removed: base.talkingPoints.filter((t) => !b.has(key(t))).map((t) => ({ campaign: t.campaign, text: t.text })),
  };
}

function compareChannels(base: Playbook, head: Playbook): PlaybookReview['channels'] {
  const out: PlaybookReview['channels'] = [];
  const describe = (c: { platform: string; account?: string; host?: string; limit?: number }) =>
    [c.platform, c.account, c.host, c.limit !== undefined ? `limit ${c.limit}` : undefined].filter(Boolean).join(', ');
  const ids = [...new Set([...base.channels.keys(), ...head.channels.keys()])].sort();
  for (const id of ids) {
    const a = base.channels.get(id);
    const b = head.channels.get(id);
    if (!a && b) out.push({ id, change: 'added', detail: describe(b) });
    else if (a && !b) out.push({ id, change: 'removed', detail: describe(a) });
    else if (a && b && describe(a) !== describe(b)) out.push({ id, change: 'changed', detail: `${describe(a)} → ${describe(b)}` });
  }
  return out;
}

function compareSchedule(base: Playbook, head: Playbook): PlaybookReview['schedule'] {
  const a = base.schedule;
  const b = head.schedule;
  const rows: [string, string, string][] = [
    ['horizon', `${a.horizonDays} days`, `${b.horizonDays} days`],
    ['review window', `${a.reviewWindowHours} hours`, `${b.reviewWindowHours} hours`],
    ['burst limit', `${a.burst.max} per ${a.burst.windowHours} hours`, `${b.burst.max} per ${b.burst.windowHours} hours`],
    [
      'paused',
      a.paused ? `yes${a.pauseReason ? ` (${a.pauseReason})` : ''}` : 'no',
      b.paused ? `yes${b.pauseReason ? ` (${b.pauseReason})` : ''}` : 'no',
    ],
  ];
  return rows.filter(([, x, y]) => x !== y).map(([setting, from, to]) => ({ setting, from, to }));
}

// --- the summary -----------------------------------------------------------------------------

/** A post's result on one side: its findings, parsed post and text. */
type SideResult = Side['results'] extends Map<string, infer R> ? R : never;

/** Both sides linted: the head, the base, and (when the playbook changed) the head posts under the base playbook. */
interface Sides {
  head: Side;
  base: Side;
  /** Head posts linted with the base's playbook: what the playbook change alone does. */
  headUnderBasePlaybook?: Side;
  headRoot: string;
  playbookFiles: PlaybookReview['files'];
}

/** Lint the head (the working tree, or HEAD as committed) and the base, each with its own playbook. */
async function lintSides(
  g: Git,
  opts: ReviewOptions,
  now: Date,
  cwd: string,
  baseTree: BaseTree,
  headTree: BaseTree | undefined,
  playbookAbs: string,
  playbookRel: string | undefined,
): Promise<Sides> {
  const headRoot = headTree?.root ?? cwd;
  const headPlaybookDir = playbookRel === undefined ? playbookAbs : path.join(headRoot, ...playbookRel.split('/'));
  const basePbDir = playbookRel === undefined ? playbookAbs : (baseTree.playbookDir ?? DEFAULT_PLAYBOOK_DIR);
  const headPbOpt =
    opts.playbookDir || headTree
      ? { playbookDir: headTree && !headTree.playbookDir && playbookRel !== undefined ? DEFAULT_PLAYBOOK_DIR : headPlaybookDir }
      : undefined;
  const headWs = Workspace.open(headRoot, headPbOpt);
  const baseWs = Workspace.open(baseTree.root, { playbookDir: basePbDir });
  // Files git ignores (scratch drafts, say) are not part of the change.
  const ignored = headTree ? [] : await ignoredPaths(g, cwd, ['posts', ...(playbookRel !== undefined ? [playbookRel] : [])]);
  const headFiles = headWs.listPosts().filter((f) => isInside(headRoot, f) && !isIgnored(realpathOr(f), ignored));
  const head = lintSide(headWs, headRoot, now, headFiles);
  const base = lintSide(baseWs, baseTree.root, now);

  const headPbFiles = headTree
    ? headTree.playbookFiles
    : playbookRel !== undefined
      ? readHeadPlaybookFiles(headPlaybookDir, headRoot)
      : new Map<string, string>();
  const playbookFiles = comparePlaybookFiles(baseTree.playbookFiles, headPbFiles);
  let headUnderBasePlaybook: Side | undefined;
  if (playbookFiles.length > 0) {
    const mixedWs = Workspace.open(headRoot, { playbookDir: basePbDir });
    // The same posts as the head, even where the base playbook's folder (outside the workspace)
    // would not list the samples beside the head's playbook.
    headUnderBasePlaybook = lintSide(
      mixedWs,
      headRoot,
      now,
      [...head.results.keys()].map((f) => path.join(headRoot, ...f.split('/'))),
    );
  }
  return { head, base, headUnderBasePlaybook, headRoot, playbookFiles };
}

/** Playbook files added, modified and removed between the two sides. */
function comparePlaybookFiles(baseFiles: Map<string, string>, headFiles: Map<string, string>): PlaybookReview['files'] {
  const files: PlaybookReview['files'] = [];
  for (const [f, text] of headFiles) {
    const was = baseFiles.get(f);
    if (was === undefined) files.push({ file: f, change: 'added' });
    else if (was !== text) files.push({ file: f, change: 'modified' });
  }
  for (const f of baseFiles.keys()) if (!headFiles.has(f)) files.push({ file: f, change: 'removed' });
  return files.sort((x, y) => x.file.localeCompare(y.file));
}

/** Each head post's base post (renames from git, else the same path), and the base posts that have one. */
function pairPosts(
  changed: ChangedLines,
  cwd: string,
  head: Side,
  base: Side,
): { baseOf: Map<string, string | undefined>; pairedBase: Set<string> } {
  const renamedFrom = new Map<string, string>();
  for (const c of changed.files.values()) {
    if ((c.status === 'renamed' || c.status === 'copied') && c.oldRelPath) {
      const oldAbs = path.join(changed.repoRoot, c.oldRelPath);
      if (isInside(cwd, c.file) && isInside(cwd, oldAbs))
        renamedFrom.set(toPosix(path.relative(cwd, c.file)), toPosix(path.relative(cwd, oldAbs)));
    }
  }
  const pairedBase = new Set<string>();
  const baseOf = new Map<string, string | undefined>();
  for (const file of head.results.keys()) {
    const from = renamedFrom.get(file);
    const b = from !== undefined && base.results.has(from) ? from : base.results.has(file) ? file : undefined;
    baseOf.set(file, b);
    if (b !== undefined) pairedBase.add(b);
  }
  return { baseOf, pairedBase };
}

/** How a post's schedule changed between its base and head versions, if it did. */
function scheduleChangeOf(
  file: string,
  before: ParsedPost | undefined,
  after: ParsedPost,
  pause: Playbook['schedule'],
  now: Date,
): ScheduleChange | undefined {
  const wasScheduled = isScheduled(before);
  const scheduled = isScheduled(after);
  const pauseInfo =
    pause.paused && scheduled ? { inPause: true, ...(pause.pauseReason ? { pauseReason: pause.pauseReason } : {}) } : { inPause: false };
  const title = after.meta.title;
  const minutes = (ms: number) => Math.round(ms / 60000);
  if (scheduled && !wasScheduled) {
    return {
      file,
      title,
      kind: 'newly-scheduled',
      to: whenRaw(after),
      aheadMinutes: minutes(after.meta.publishAt!.getTime() - now.getTime()),
      ...pauseInfo,
    };
  }
  if (scheduled && wasScheduled && before.meta.publishAt!.getTime() !== after.meta.publishAt!.getTime()) {
    return {
      file,
      title,
      kind: 'moved',
      from: whenRaw(before),
      to: whenRaw(after),
      shiftMinutes: minutes(after.meta.publishAt!.getTime() - before.meta.publishAt!.getTime()),
      aheadMinutes: minutes(after.meta.publishAt!.getTime() - now.getTime()),
      ...pauseInfo,
    };
  }
  if (!scheduled && wasScheduled) return { file, title, kind: 'unscheduled', from: whenRaw(before), inPause: false };
  return undefined;
}

/** Findings new, fixed and unchanged from base to head, each new or fixed one put down to the post or the playbook. */
function findingsOfPost(
  file: string,
  change: PostFindings['change'],
  before: SideResult | undefined,
  after: SideResult,
  underBasePlaybook: SideResult | undefined,
): PostFindings {
  const diff = diffFindings(before?.findings ?? [], after.findings);
  // What the playbook alone explains: head under the base playbook → head.
  let flaggedByPlaybook = new Set<ReviewFinding>();
  const clearedByPlaybook = new Map<string, number>();
  if (underBasePlaybook) {
    const playbookDiff = diffFindings(underBasePlaybook.findings, after.findings);
    flaggedByPlaybook = new Set(playbookDiff.added);
    for (const f of playbookDiff.removed) clearedByPlaybook.set(findingKey(f), (clearedByPlaybook.get(findingKey(f)) ?? 0) + 1);
  }
  return {
    file,
    ...(after.post.meta.title ? { title: String(after.post.meta.title) } : {}),
    change,
    new: diff.added.map((f) => ({ ...f, cause: flaggedByPlaybook.has(f) ? 'playbook' : 'post' })),
    fixed: diff.removed.map((f) => {
      const k = findingKey(f);
      const n = clearedByPlaybook.get(k) ?? 0;
      if (n > 0) {
        clearedByPlaybook.set(k, n - 1);
        return { ...f, cause: 'playbook' as const };
      }
      return { ...f, cause: 'post' as const };
    }),
    unchanged: diff.same,
  };
}

/** Across every head post: what the playbook change flags and clears. */
function playbookImpact(head: Side, underBasePlaybook: Side | undefined, changedPosts: Set<string>): PlaybookReview['impact'] {
  const newlyFlagged: ImpactEntry[] = [];
  const cleared: ImpactEntry[] = [];
  if (!underBasePlaybook) return { newlyFlagged, cleared };
  for (const file of [...head.results.keys()].sort()) {
    const after = head.results.get(file)!;
    const before = underBasePlaybook.results.get(file);
    if (!before) continue;
    const diff = diffFindings(before.findings, after.findings);
    const title = after.post.meta.title ? { title: String(after.post.meta.title) } : {};
    if (diff.added.length) newlyFlagged.push({ file, ...title, postChanged: changedPosts.has(file), findings: diff.added });
    if (diff.removed.length) cleared.push({ file, ...title, postChanged: changedPosts.has(file), findings: diff.removed });
  }
  return { newlyFlagged, cleared };
}

function reviewPlaybook(sides: Sides, changedPosts: Set<string>): PlaybookReview {
  const { base, head, headRoot, playbookFiles } = sides;
  const changed = playbookFiles.length > 0;
  return {
    changed,
    files: playbookFiles,
    rules: changed ? compareRules(base.playbook, head.playbook) : [],
    talkingPoints: changed ? compareTalkingPoints(base.playbook, head.playbook) : { added: [], removed: [] },
    channels: changed ? compareChannels(base.playbook, head.playbook) : [],
    schedule: changed ? compareSchedule(base.playbook, head.playbook) : [],
    errors: head.playbook.errors.map((e) => ({
      ...e,
      file: toPosix(isInside(headRoot, e.file) ? path.relative(headRoot, e.file) : e.file),
    })),
    impact: playbookImpact(head, sides.headUnderBasePlaybook, changedPosts),
  };
}

/** Posts added, changed and removed, status and schedule changes, and findings per post. */
function reviewPosts(sides: Sides, changed: ChangedLines, cwd: string, now: Date) {
  const { head, base } = sides;
  const { baseOf, pairedBase } = pairPosts(changed, cwd, head, base);
  const posts = { added: [] as PostRef[], changed: [] as ChangedPost[], removed: [] as PostRef[] };
  const statusChanges: StatusChange[] = [];
  const scheduleChanges: ScheduleChange[] = [];
  const postFindings: PostFindings[] = [];
  const totals = { new: 0, fixed: 0, unchanged: 0 };
  const changedSet = new Set<string>();

  for (const file of [...head.results.keys()].sort()) {
    const after = head.results.get(file)!;
    const baseFile = baseOf.get(file);
    const before = baseFile !== undefined ? base.results.get(baseFile) : undefined;
    let change: PostFindings['change'] = 'unchanged';
    if (!before) {
      change = 'added';
      posts.added.push(postRef(file, after.post));
    } else if (before.text !== after.text || baseFile !== file) {
      change = 'changed';
      posts.changed.push({ ...postRef(file, after.post), ...(baseFile !== file ? { renamedFrom: baseFile } : {}) });
    }
    if (change !== 'unchanged') changedSet.add(file);

    const statusBefore = before?.post.meta.status !== undefined ? String(before.post.meta.status) : undefined;
    const statusAfter = after.post.meta.status !== undefined ? String(after.post.meta.status) : undefined;
    if (before && statusBefore !== statusAfter)
      statusChanges.push({ file, title: after.post.meta.title, from: statusBefore, to: statusAfter });

    const schedule = scheduleChangeOf(file, before?.post, after.post, head.playbook.schedule, now);
    if (schedule) scheduleChanges.push(schedule);

    const entry = findingsOfPost(file, change, before, after, sides.headUnderBasePlaybook?.results.get(file));
    totals.new += entry.new.length;
    totals.fixed += entry.fixed.length;
    totals.unchanged += entry.unchanged;
    if (entry.new.length || entry.fixed.length || change !== 'unchanged') postFindings.push(entry);
  }

  for (const file of [...base.results.keys()].sort()) {
    if (pairedBase.has(file)) continue;
    const before = base.results.get(file)!;
    posts.removed.push(postRef(file, before.post));
    if (isScheduled(before.post))
      scheduleChanges.push({ file, title: before.post.meta.title, kind: 'unscheduled', from: whenRaw(before.post), inPause: false });
  }
  return { posts, statusChanges, scheduleChanges, findings: { totals, posts: postFindings }, changedSet };
}

/**
 * The pull-request summary: find the changed lines and the base, materialise the base (and the
 * committed head) from git, lint both sides, then compare posts and the playbook.
 */
export async function buildReview(opts: ReviewOptions): Promise<ReviewSummary> {
  const now = opts.now ?? new Date();
  const cwd = realpathOr(opts.cwd);
  const g = opts.git ?? systemGit;
  const changed: ChangedLines = await changedLinesSince(cwd, opts.base, { includeWorkingTree: opts.includeWorkingTree, git: g });
  const repoRoot = changed.repoRoot;
  const wsRel = toPosix(path.relative(repoRoot, cwd));

  // Where the playbook lives, relative to the workspace; undefined when it is outside the workspace
  // (then both sides use the same folder and the playbook cannot change in this pull request).
  const playbookAbs = opts.playbookDir ? path.resolve(cwd, opts.playbookDir) : path.join(cwd, 'playbooks');
  const playbookRel = isInside(cwd, playbookAbs) ? toPosix(path.relative(cwd, playbookAbs)) : undefined;
  if (playbookRel === undefined && isInside(repoRoot, playbookAbs)) {
    changed.notes.push('the playbook folder is outside the workspace folder: playbook changes are not compared');
  }

  const baseTree = await materialiseBase(g, repoRoot, changed.base, wsRel, playbookRel);
  // Committed work only: the head is HEAD as committed, read from git like the base.
  const headTree = changed.includesWorkingTree
    ? undefined
    : await materialiseBase(g, repoRoot, 'HEAD', wsRel, playbookRel).catch((e) => {
        baseTree.cleanup();
        throw e;
      });
  try {
    const sides = await lintSides(g, opts, now, cwd, baseTree, headTree, playbookAbs, playbookRel);
    const { posts, statusChanges, scheduleChanges, findings, changedSet } = reviewPosts(sides, changed, cwd, now);
    const playbook = reviewPlaybook(sides, changedSet);
    const nothingToReport =
      posts.added.length === 0 &&
      posts.changed.length === 0 &&
      posts.removed.length === 0 &&
      !playbook.changed &&
      findings.totals.new === 0 &&
      findings.totals.fixed === 0 &&
      statusChanges.length === 0 &&
      scheduleChanges.length === 0;
    return {
      base: { ref: opts.base, commit: changed.base, mode: changed.baseMode },
      includesWorkingTree: changed.includesWorkingTree,
      now: now.toISOString(),
      notes: [...changed.notes],
      posts,
      statusChanges,
      scheduleChanges,
      findings,
      playbook,
      nothingToReport,
    };
  } finally {
    baseTree.cleanup();
    headTree?.cleanup();
  }
}
