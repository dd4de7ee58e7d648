/**
 * The "Playbook" view: the workspace's posts grouped by status (draft, ready, scheduled with the
 * time to go, published) or by campaign, each with its finding counts; clicking opens the post.
 * Empty (so the view shows its welcome content) when the workspace has no playbook.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Playbook } from '../core/playbook';
import { readPostText } from '../core/workspace';
import { Host, Hosts } from './hosts';
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
}

export type Node =
  | { kind: 'group'; id: string; label: string; posts: PostInfo[]; grouping: Grouping }
  | { kind: 'post'; post: PostInfo; grouping: Grouping };

const STATUS_ORDER = ['draft', 'ready', 'scheduled', 'published'];
const STATUS_LABEL: Record<string, string> = { draft: 'Draft', ready: 'Ready', scheduled: 'Scheduled', published: 'Published' };
const STATUS_ICON: Record<string, string> = { draft: 'edit', ready: 'pass', scheduled: 'clock', published: 'globe' };

/** "in 3 d 4 h", "in 25 min", "overdue by 2 h". */
export function timeToGo(at: Date, now: Date): string {
  const ms = at.getTime() - now.getTime();
  const abs = Math.abs(ms);
  const min = Math.round(abs / 60_000);
  const h = Math.floor(min / 60);
  const d = Math.floor(h / 24);
  const text = d >= 1 ? `${d} d${h % 24 ? ` ${h % 24} h` : ''}` : h >= 1 ? `${h} h${min % 60 ? ` ${min % 60} min` : ''}` : `${min} min`;
  return ms >= 0 ? `in ${text}` : `overdue by ${text}`;
}

interface Cached {
  mtimeMs: number;
  playbook: Playbook;
  info: PostInfo;
}

export class PlaybookTree implements vscode.TreeDataProvider<Node>, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<Node | undefined>();
  readonly onDidChangeTreeData = this.emitter.event;
  private readonly cache = new Map<string, Cached>();
  private readonly disposables: vscode.Disposable[] = [this.emitter];
  private refreshTimer?: NodeJS.Timeout;
  grouping: Grouping = 'status';
  /** Clock for "time to go" (tests pin it). */
  now: () => Date = () => new Date();

  constructor(
    private readonly hosts: Hosts,
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
    void this.updateContext();
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

  async updateContext(): Promise<void> {
    const has = this.hosts.folders().some((h) => h.hasOwnPlaybook);
    await vscode.commands.executeCommand('setContext', 'unscripted.hasPlaybook', has);
    await vscode.commands.executeCommand('setContext', 'unscripted.grouping', this.grouping);
  }

  /** Posts of every workspace folder that has its own playbook. */
  posts(): PostInfo[] {
    const out: PostInfo[] = [];
    for (const host of this.hosts.folders()) {
      if (!host.hasOwnPlaybook) continue;
      for (const file of host.ws.listPosts()) {
        const info = this.info(host, file);
        if (info) out.push(info);
      }
    }
    return out;
  }

  private info(host: Host, file: string): PostInfo | undefined {
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
      if (!open && c && c.mtimeMs === mtimeMs && c.playbook === host.ws.playbook) return c.info;
      const text = open ? open.getText() : readPostText(file, host.ws.root);
      if (typeof text !== 'string') return undefined;
      const r = host.ws.lintText(file, text);
      findings = r.findings;
      post = r.post;
      if (!post) return undefined;
      const info = toInfo(file, post.meta, findings);
      if (!open) this.cache.set(file, { mtimeMs, playbook: host.ws.playbook, info });
      return info;
    }
    return toInfo(file, post.meta, findings);
  }

  getChildren(node?: Node): Node[] {
    if (node?.kind === 'post') return [];
    if (node?.kind === 'group') return node.posts.map((post) => ({ kind: 'post', post, grouping: node.grouping }));
    const posts = this.posts();
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
      const label = grouping === 'status' ? STATUS_LABEL[key] ?? 'Other status' : key || 'No campaign';
      return { kind: 'group', id: `${grouping}:${key}`, label, posts: list, grouping };
    });
  }

  getTreeItem(node: Node): vscode.TreeItem {
    if (node.kind === 'group') {
      const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.Expanded);
      item.id = node.id;
      const problems = node.posts.reduce((n, p) => n + p.errors + p.warnings, 0);
      item.description = `${node.posts.length}${problems ? ` · ${problems} finding${problems === 1 ? '' : 's'}` : ''}`;
      item.contextValue = `group-${node.grouping}`;
      item.iconPath =
        node.grouping === 'status' ? new vscode.ThemeIcon(STATUS_ICON[node.id.slice('status:'.length)] ?? 'question') : new vscode.ThemeIcon('tag');
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
    if (counts) bits.push(counts);
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

function rank(status: string): number {
  const i = STATUS_ORDER.indexOf(status);
  return i < 0 ? STATUS_ORDER.length : i;
}

function toInfo(file: string, meta: { title?: string; status?: string; campaign?: string; publishAt?: Date }, findings: { severity: string }[]): PostInfo {
  return {
    file,
    title: meta.title || path.basename(file, path.extname(file)),
    status: meta.status || 'draft',
    campaign: meta.campaign,
    publishAt: meta.publishAt,
    errors: findings.filter((f) => f.severity === 'error').length,
    warnings: findings.filter((f) => f.severity === 'warning').length,
    infos: findings.filter((f) => f.severity === 'info').length,
  };
}

export function findingCounts(p: PostInfo): string {
  const bits: string[] = [];
  if (p.errors) bits.push(`${p.errors} error${p.errors === 1 ? '' : 's'}`);
  if (p.warnings) bits.push(`${p.warnings} warning${p.warnings === 1 ? '' : 's'}`);
  if (p.infos) bits.push(`${p.infos} info`);
  return bits.join(', ');
}

function escape(s: string): string {
  return s.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&');
}
