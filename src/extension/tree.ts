/**
 * The "Playbook" view: the posts, grouped by status (draft, ready, scheduled with the time to go,
 * published) or by campaign, each with its finding counts; and the playbook itself, as
 * describePlaybook() resolves it: voice rules with phrase counts and severities, talking points
 * per campaign with how many posts repeat each, channels with platform and limit, the schedule.
 * Every playbook item opens the line that defines it. A folder without a playbook says it uses
 * the shipped default, offers Initialize Playbook, and still lists its posts.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Playbook } from '../core/playbook';
import { describePlaybook, type PlaybookDescription, type RuleDescription, type ChannelDescription } from '../core/playbook-description';
import { escapeMarkdown as escape } from '../core/escape';
import { platformName } from '../core/platforms';
import { channelLimit } from '../core/render';
import type { SourceRef } from '../core/types';
import { readPostText } from '../core/workspace';
import { findingCounts, timeToGo } from './editor-text';
import { FolderWorkspace, FolderWorkspaces } from './folder-workspaces';
import { Linter } from './linter';

export type Grouping = 'status' | 'campaign';

export interface PostInfo {
  file: string;
  title: string;
  status: string;
  campaign?: string;
  publishAt?: Date;
  errors: number;
  warnings: number;
  infos: number;
  /** `file:line` of each talking point the post repeats. */
  talkingPoints: string[];
}

export type Section = 'posts' | 'rules' | 'talking-points' | 'channels' | 'schedule' | 'examples';

export type Node =
  | { kind: 'folder'; root: string; label: string }
  | { kind: 'notice'; root: string }
  | { kind: 'section'; root: string; section: Section; label: string }
  | { kind: 'group'; id: string; key: string; label: string; posts: PostInfo[]; grouping: Grouping }
  | { kind: 'post'; post: PostInfo; grouping: Grouping }
  | { kind: 'rule'; root: string; rule: RuleDescription }
  | { kind: 'campaign'; root: string; campaign: string; points: { text: string; definedAt: SourceRef }[] }
  | { kind: 'point'; root: string; text: string; definedAt: SourceRef; posts: number }
  | { kind: 'channel'; root: string; channel: ChannelDescription }
  | { kind: 'setting'; root: string; label: string; value: string; at?: SourceRef; tooltip?: string }
  | { kind: 'example'; root: string; side: 'us' | 'not-us'; text: string; definedAt: SourceRef };

const SECTIONS: { section: Section; label: string }[] = [
  { section: 'posts', label: 'Posts' },
  { section: 'rules', label: 'Voice rules' },
  { section: 'talking-points', label: 'Talking points' },
  { section: 'channels', label: 'Channels' },
  { section: 'schedule', label: 'Schedule' },
  { section: 'examples', label: 'Examples' },
];

const key = (ref: SourceRef) => `${ref.file}:${ref.line}`;

const STATUS_ORDER = ['draft', 'ready', 'scheduled', 'published'];
const STATUS_LABEL: Record<string, string> = { draft: 'Draft', ready: 'Ready', scheduled: 'Scheduled', published: 'Published' };
const STATUS_ICON: Record<string, string> = { draft: 'edit', ready: 'pass', scheduled: 'clock', published: 'globe' };

interface Cached {
  mtimeMs: number;
  playbook: Playbook;
  info: PostInfo;
}

export class PlaybookTree implements vscode.TreeDataProvider<Node>, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<Node | undefined>();
  readonly onDidChangeTreeData = this.emitter.event;
  private readonly cache = new Map<string, Cached>();
  private readonly descriptions = new WeakMap<Playbook, PlaybookDescription>();
  private readonly disposables: vscode.Disposable[] = [this.emitter];
  private refreshTimer?: NodeJS.Timeout;
  grouping: Grouping = 'status';
  /** Clock for "time to go" (tests pin it). */
  now: () => Date = () => new Date();

  constructor(
    private readonly folders: FolderWorkspaces,
    private readonly linter: Linter,
  ) {
    const watcher = vscode.workspace.createFileSystemWatcher('**/*.md');
    this.disposables.push(
      watcher,
      watcher.onDidCreate(() => this.refreshSoon()),
      watcher.onDidDelete(() => this.refreshSoon()),
      watcher.onDidChange(() => this.refreshSoon()),
      linter.onDidLint(() => this.refreshSoon()),
      linter.onDidReloadPlaybook(() => {
        this.cache.clear();
        this.refreshSoon();
      }),
    );
  }

  setGrouping(g: Grouping): void {
    this.grouping = g;
    void vscode.commands.executeCommand('setContext', 'unscripted.grouping', g);
    this.refresh();
  }

  refresh(): void {
    if (this.refreshTimer) clearTimeout(this.refreshTimer);
    this.refreshTimer = undefined;
    void this.updateContext();
    this.emitter.fire(undefined);
  }

  private refreshSoon(): void {
    if (this.refreshTimer) return;
    this.refreshTimer = setTimeout(() => this.refresh(), 300);
  }

  /** The view, for its message. */
  view?: vscode.TreeView<Node>;

  async updateContext(): Promise<void> {
    const folders = this.folders.workspaceFolders();
    const without = folders.filter((h) => !h.hasOwnPlaybook);
    if (this.view) {
      this.view.message =
        without.length === 0
          ? undefined
          : folders.length === 1
            ? 'Using the shipped default playbook: this folder has no playbooks/ folder yet.'
            : `Using the shipped default playbook in ${without.map((h) => h.folder?.name ?? path.basename(h.root)).join(', ')}.`;
    }
    const has = folders.some((h) => h.hasOwnPlaybook);
    await vscode.commands.executeCommand('setContext', 'unscripted.hasPlaybook', has);
    await vscode.commands.executeCommand('setContext', 'unscripted.grouping', this.grouping);
  }

  /** Posts of every workspace folder (or of one), whether it has its own playbook or uses the default. */
  posts(root?: string): PostInfo[] {
    const out: PostInfo[] = [];
    for (const fw of this.folders.workspaceFolders()) {
      if (root && fw.root !== root) continue;
      for (const file of fw.ws.listPosts()) {
        const info = this.info(fw, file);
        if (info) out.push(info);
      }
    }
    return out;
  }

  private describe(fw: FolderWorkspace): PlaybookDescription {
    let d = this.descriptions.get(fw.ws.playbook);
    if (!d) {
      d = describePlaybook(fw.ws.playbook);
      this.descriptions.set(fw.ws.playbook, d);
    }
    return d;
  }

  private info(fw: FolderWorkspace, file: string): PostInfo | undefined {
    const open = vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'file' && d.uri.fsPath === file);
    let findings = open ? this.linter.findings(open) : undefined;
    let post = open ? this.linter.state(open.uri)?.result.post : undefined;
    if (!findings || !post || (open && this.linter.state(open.uri)?.version !== open.version)) {
      let mtimeMs = 0;
      try {
        mtimeMs = fs.statSync(file).mtimeMs;
      } catch {
        return undefined;
      }
      const c = this.cache.get(file);
      if (!open && c && c.mtimeMs === mtimeMs && c.playbook === fw.ws.playbook) return c.info;
      const text = open ? open.getText() : readPostText(file, fw.ws.root);
      if (typeof text !== 'string') return undefined;
      const r = fw.ws.lintText(file, text);
      findings = r.findings;
      post = r.post;
      if (!post) return undefined;
      const info = toInfo(file, post.meta, findings);
      if (!open) this.cache.set(file, { mtimeMs, playbook: fw.ws.playbook, info });
      return info;
    }
    return toInfo(file, post.meta, findings);
  }

  getChildren(node?: Node): Node[] {
    if (!node) {
      const folders = this.folders.workspaceFolders();
      if (folders.length === 0) return [];
      if (folders.length > 1) return folders.map((h) => ({ kind: 'folder', root: h.root, label: h.folder?.name ?? path.basename(h.root) }));
      return this.folderChildren(folders[0]);
    }
    switch (node.kind) {
      case 'folder': {
        const fw = this.folders.workspaceFolders().find((h) => h.root === node.root);
        return fw ? this.folderChildren(fw) : [];
      }
      case 'section':
        return this.sectionChildren(node);
      case 'group':
        return node.posts.map((post) => ({ kind: 'post', post, grouping: node.grouping }));
      case 'campaign': {
        const counts = this.pointCounts(node.root);
        return node.points.map((p) => ({
          kind: 'point',
          root: node.root,
          text: p.text,
          definedAt: p.definedAt,
          posts: counts.get(key(p.definedAt)) ?? 0,
        }));
      }
      default:
        return [];
    }
  }

  private folderChildren(fw: FolderWorkspace): Node[] {
    const out: Node[] = [];
    if (!fw.hasOwnPlaybook) out.push({ kind: 'notice', root: fw.root });
    for (const s of SECTIONS) out.push({ kind: 'section', root: fw.root, section: s.section, label: s.label });
    return out;
  }

  /** How many posts of a folder repeat each talking point (`file:line` → posts). */
  private pointCounts(root: string): Map<string, number> {
    const counts = new Map<string, number>();
    for (const p of this.posts(root)) for (const k of new Set(p.talkingPoints)) counts.set(k, (counts.get(k) ?? 0) + 1);
    return counts;
  }

  private sectionChildren(node: Extract<Node, { kind: 'section' }>): Node[] {
    const fw = this.folders.workspaceFolders().find((h) => h.root === node.root);
    if (!fw) return [];
    const d = this.describe(fw);
    const root = node.root;
    switch (node.section) {
      case 'posts':
        return this.postGroups(root);
      case 'rules':
        return d.rules
          .filter((r) => r.phraseCount > 0 || r.origin === 'playbook' || VOICE_WITHOUT_PHRASES.has(r.id))
          .map((rule) => ({ kind: 'rule', root, rule }));
      case 'talking-points':
        return d.talkingPoints.campaigns
          .filter((c) => c.points.length > 0)
          .map((c) => ({ kind: 'campaign', root, campaign: c.campaign, points: c.points }));
      case 'channels':
        return d.channels.map((channel) => ({ kind: 'channel', root, channel }));
      case 'schedule': {
        const s = d.schedule;
        const at = (k: keyof typeof s.lines): SourceRef | undefined => (s.file ? { file: s.file, line: s.lines[k] ?? 1 } : undefined);
        return [
          {
            kind: 'setting',
            root,
            label: 'Publishing',
            value: s.paused ? 'paused' : 'on',
            at: at('paused'),
            tooltip: s.paused ? `Paused${s.pauseReason ? `: ${s.pauseReason}` : ''}` : 'Scheduled posts go out when due.',
          },
          {
            kind: 'setting',
            root,
            label: 'Horizon',
            value: `${s.horizonDays} days`,
            at: at('horizon'),
            tooltip: 'How far ahead a post may be scheduled.',
          },
          {
            kind: 'setting',
            root,
            label: 'Review window',
            value: `${s.reviewWindowHours} h`,
            at: at('review_window'),
            tooltip: 'A post going out within this window needs a fresh review (reviewed_at).',
          },
          {
            kind: 'setting',
            root,
            label: 'Burst',
            value: `${s.burst.max} per ${s.burst.windowHours} h`,
            at: at('burst'),
            tooltip: 'Most posts per channel in that many hours.',
          },
        ];
      }
      case 'examples':
        // The team's examples (kind: examples) that teach institutional-voice: ours first.
        return [...d.examples]
          .sort((x, y) => (x.side === y.side ? 0 : x.side === 'us' ? -1 : 1))
          .map((e) => ({ kind: 'example', root, side: e.side, text: e.text, definedAt: e.definedAt }));
      default:
        return [];
    }
  }

  /** The posts of a folder in their groups (status or campaign). */
  postGroups(root?: string): Node[] {
    const posts = this.posts(root);
    if (posts.length === 0) return [];
    const grouping = this.grouping;
    const groups = new Map<string, PostInfo[]>();
    for (const p of posts) {
      const key = grouping === 'status' ? (STATUS_ORDER.includes(p.status) ? p.status : 'other') : p.campaign || '';
      const list = groups.get(key) ?? [];
      list.push(p);
      groups.set(key, list);
    }
    const keys = [...groups.keys()].sort((a, b) => {
      if (grouping === 'status') return rank(a) - rank(b);
      if (!a) return 1;
      if (!b) return -1;
      return a.localeCompare(b);
    });
    return keys.map((key) => {
      const list = groups.get(key)!;
      list.sort((a, b) =>
        key === 'scheduled' ? (a.publishAt?.getTime() ?? 0) - (b.publishAt?.getTime() ?? 0) : a.title.localeCompare(b.title),
      );
      const label = grouping === 'status' ? (STATUS_LABEL[key] ?? 'Other status') : key || 'No campaign';
      return { kind: 'group', id: `${grouping}:${root ?? ''}:${key}`, key, label, posts: list, grouping };
    });
  }

  getTreeItem(node: Node): vscode.TreeItem {
    const open = (at: SourceRef | undefined, title: string): vscode.Command | undefined =>
      at ? { command: 'unscripted.openPlaybookRule', title, arguments: [at.file, at.line] } : undefined;
    switch (node.kind) {
      case 'folder': {
        const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.Expanded);
        item.id = `folder:${node.root}`;
        item.iconPath = new vscode.ThemeIcon('root-folder');
        return item;
      }
      case 'notice': {
        // The view's message (it wraps) says the shipped default applies; this row is the action.
        const item = new vscode.TreeItem('Initialize Playbook', vscode.TreeItemCollapsibleState.None);
        item.id = `notice:${node.root}`;
        item.description = 'make it yours';
        item.tooltip =
          "This folder has no playbooks/ folder, so posts are checked against the playbook that ships with Unscripted. Click to copy it into playbooks/ and make it your team's.";
        item.iconPath = new vscode.ThemeIcon('add');
        item.contextValue = 'notice-default';
        item.command = {
          command: 'unscripted.initPlaybook',
          title: 'Initialize Playbook',
          arguments: [{ folder: vscode.Uri.file(node.root) }],
        };
        return item;
      }
      case 'section': {
        const item = new vscode.TreeItem(
          node.label,
          node.section === 'posts' ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed,
        );
        item.id = `section:${node.root}:${node.section}`;
        item.contextValue = `section-${node.section}`;
        item.iconPath = new vscode.ThemeIcon(SECTION_ICON[node.section]);
        const fw = this.folders.workspaceFolders().find((h) => h.root === node.root);
        if (fw) {
          const d = this.describe(fw);
          const n =
            node.section === 'posts'
              ? this.posts(node.root).length
              : node.section === 'rules'
                ? this.sectionChildren(node).length
                : node.section === 'talking-points'
                  ? d.talkingPoints.campaigns.reduce((m, c) => m + c.points.length, 0)
                  : node.section === 'channels'
                    ? d.channels.length
                    : node.section === 'examples'
                      ? d.examples.length
                      : undefined;
          if (n !== undefined) item.description = String(n);
          if (node.section === 'schedule' && d.schedule.paused) item.description = 'paused';
        }
        return item;
      }
      case 'rule': {
        const r = node.rule;
        // Team rules without their `voice/` prefix, so the label and its counts fit the default width.
        const item = new vscode.TreeItem(r.id.replace(/^voice\//, ''), vscode.TreeItemCollapsibleState.None);
        item.id = `rule:${node.root}:${r.id}`;
        const threshold = r.options?.threshold;
        item.description = `${r.phraseCount ? `${r.phraseCount} · ` : ''}${threshold ? `≥ ${threshold.value} · ` : ''}${r.severity}`;
        item.tooltip = new vscode.MarkdownString(
          `**${escape(r.title)}** (\`${r.id}\`)\n\n${r.phraseCount} phrase${r.phraseCount === 1 ? '' : 's'}${r.autoFixCount ? ` (${r.autoFixCount} fixed automatically)` : ''} · ${r.severity}` +
            `${r.origin === 'playbook' ? ' · team rule' : ''}${r.fromDefault ? ' · from the shipped default playbook' : ''}`,
        );
        item.iconPath = new vscode.ThemeIcon(
          r.severity === 'error' ? 'error' : r.severity === 'warning' ? 'warning' : r.severity === 'off' ? 'circle-slash' : 'info',
        );
        item.contextValue = 'rule';
        item.command = open(r.definedAt, 'Open the rule') ?? {
          command: 'unscripted.openRuleDocs',
          title: 'Open Rule Documentation',
          arguments: [r.id],
        };
        return item;
      }
      case 'campaign': {
        const item = new vscode.TreeItem(node.campaign, vscode.TreeItemCollapsibleState.Collapsed);
        item.id = `campaign:${node.root}:${node.campaign}`;
        item.description = String(node.points.length);
        item.iconPath = new vscode.ThemeIcon('tag');
        return item;
      }
      case 'point': {
        const item = new vscode.TreeItem(node.text, vscode.TreeItemCollapsibleState.None);
        item.id = `point:${key(node.definedAt)}`;
        item.description = node.posts ? `in ${node.posts} post${node.posts === 1 ? '' : 's'}` : '';
        item.tooltip = `${node.text}\n\n${node.posts ? `Repeated almost word for word in ${node.posts} post${node.posts === 1 ? '' : 's'}.` : 'No post repeats it word for word.'}`;
        item.iconPath = new vscode.ThemeIcon('quote');
        item.command = open(node.definedAt, 'Open the talking point');
        return item;
      }
      case 'channel': {
        const c = node.channel;
        const item = new vscode.TreeItem(c.id, vscode.TreeItemCollapsibleState.None);
        item.id = `channel:${node.root}:${c.id}`;
        const limit = channelLimit(c);
        const name = platformName(c.platform);
        item.description = `${name}${limit ? ` · ${limit}` : ''}`;
        item.tooltip = `${name}${c.account ? ` · ${c.account}` : ''}${c.host ? ` · ${c.host}` : ''}${limit ? ` · ${limit} characters${c.limit ? " (the playbook's limit)" : ''}` : ''}${c.publishable ? '' : ' · cannot be published from Unscripted yet'}`;
        item.iconPath = new vscode.ThemeIcon(c.platform === 'outbox' ? 'inbox' : c.platform === 'feed' ? 'rss' : 'broadcast');
        item.command = c.definedAt.line > 0 ? open(c.definedAt, 'Open the channel') : undefined;
        return item;
      }
      case 'example': {
        const item = new vscode.TreeItem(node.text, vscode.TreeItemCollapsibleState.None);
        item.id = `example:${key(node.definedAt)}`;
        item.description = node.side === 'us' ? 'us' : 'not us';
        item.tooltip = `${node.side === 'us' ? 'Sounds like us' : 'Does not sound like us'}: ${node.text}`;
        item.iconPath = new vscode.ThemeIcon(node.side === 'us' ? 'thumbsup' : 'thumbsdown');
        item.command = open(node.definedAt, 'Open the example');
        return item;
      }
      case 'setting': {
        const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.None);
        item.id = `setting:${node.root}:${node.label}`;
        item.description = node.value;
        item.tooltip = node.tooltip;
        item.iconPath = new vscode.ThemeIcon(
          node.label === 'Publishing' ? (node.value === 'paused' ? 'debug-pause' : 'play') : 'settings-gear',
        );
        item.command = open(node.at, `Open the schedule`);
        return item;
      }
    }
    if (node.kind === 'group') {
      const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.Expanded);
      item.id = node.id;
      const problems = node.posts.reduce((n, p) => n + p.errors + p.warnings, 0);
      // Short enough for the default width; the counts in words are in the tooltip.
      item.description = `${node.posts.length}${problems ? ` · ${problems} ⚠` : ''}`;
      item.tooltip = `${node.posts.length} post${node.posts.length === 1 ? '' : 's'}${problems ? `, ${problems} finding${problems === 1 ? '' : 's'}` : ''}`;
      item.contextValue = `group-${node.grouping}`;
      item.iconPath = node.grouping === 'status' ? new vscode.ThemeIcon(STATUS_ICON[node.key] ?? 'question') : new vscode.ThemeIcon('tag');
      return item;
    }
    const p = node.post;
    const item = new vscode.TreeItem(p.title, vscode.TreeItemCollapsibleState.None);
    item.id = `${node.grouping}:${p.file}`;
    item.resourceUri = vscode.Uri.file(p.file);
    const bits: string[] = [];
    if (p.status === 'scheduled' && p.publishAt) bits.push(timeToGo(p.publishAt, this.now()));
    if (node.grouping === 'campaign') bits.push(p.status);
    const counts = findingCounts(p);
    // Compact, so the description fits beside a long title; the words are in the tooltip.
    const short = [p.errors ? `✖ ${p.errors}` : '', p.warnings ? `⚠ ${p.warnings}` : ''].filter(Boolean).join(' ');
    if (short) bits.push(short);
    item.description = bits.join(' · ');
    item.tooltip = new vscode.MarkdownString(
      `**${escape(p.title)}**\n\n${escape(vscode.workspace.asRelativePath(p.file))}\n\nStatus: ${escape(p.status)}` +
        (p.campaign ? ` · Campaign: ${escape(p.campaign)}` : '') +
        (p.publishAt ? `\n\nPublish at ${p.publishAt.toISOString()}` : '') +
        `\n\n${counts || 'No findings'}`,
    );
    item.iconPath = new vscode.ThemeIcon(
      p.errors ? 'error' : p.warnings ? 'warning' : 'pass',
      new vscode.ThemeColor(p.errors ? 'list.errorForeground' : p.warnings ? 'list.warningForeground' : 'testing.iconPassed'),
    );
    item.contextValue = `post-${p.status}`;
    item.command = { command: 'vscode.open', title: 'Open Post', arguments: [vscode.Uri.file(p.file)] };
    return item;
  }

  dispose(): void {
    if (this.refreshTimer) clearTimeout(this.refreshTimer);
    for (const d of this.disposables) d.dispose();
  }
}

const SECTION_ICON: Record<Section, string> = {
  posts: 'files',
  rules: 'megaphone',
  'talking-points': 'comment-discussion',
  channels: 'broadcast',
  schedule: 'calendar',
  examples: 'book',
};

/** Built-in voice rules that have no phrase list but read the prose (shown with the phrase rules). */
const VOICE_WITHOUT_PHRASES = new Set(['talking-point', 'context-free', 'institutional-voice']);

function rank(status: string): number {
  const i = STATUS_ORDER.indexOf(status);
  return i < 0 ? STATUS_ORDER.length : i;
}

function toInfo(
  file: string,
  meta: { title?: string; status?: string; campaign?: string; publishAt?: Date },
  findings: { severity: string; ruleId: string; definedAt?: SourceRef }[],
): PostInfo {
  return {
    file,
    title: meta.title || path.basename(file, path.extname(file)),
    status: meta.status || 'draft',
    campaign: meta.campaign,
    publishAt: meta.publishAt,
    errors: findings.filter((f) => f.severity === 'error').length,
    warnings: findings.filter((f) => f.severity === 'warning').length,
    infos: findings.filter((f) => f.severity === 'info').length,
    talkingPoints: findings.filter((f) => f.ruleId === 'talking-point' && f.definedAt).map((f) => key(f.definedAt!)),
  };
}
