/**
 * The status bar item of the current post: its finding count and its length on each of its
 * channels as the platform counts it (`Bluesky 212/300`), red when a part is over the limit.
 */
import * as vscode from 'vscode';
import type { Playbook } from '../core/playbook';
import type { ParsedPost } from '../core/post';
import { platformLimit, renderParts } from '../core/render';
import type { Platform } from '../core/types';
import { Linter } from './linter';

export const PLATFORM_NAMES: Record<Platform, string> = {
  outbox: 'Outbox',
  feed: 'Feed',
  bluesky: 'Bluesky',
  mastodon: 'Mastodon',
  x: 'X',
  linkedin: 'LinkedIn',
  webhook: 'Webhook',
};

export interface ChannelLength {
  channel: string;
  platform: Platform;
  label: string;
  /** Longest thread part. */
  length: number;
  limit?: number;
  parts: { index: number; length: number }[];
  over: boolean;
}

/** Length of each of the post's channels, longest part first (channels without a limit are left out). */
export function channelLengths(post: ParsedPost, playbook: Playbook): ChannelLength[] {
  const out: ChannelLength[] = [];
  const channels = post.meta.channels.map((id) => playbook.channels.get(id)).filter((c) => c !== undefined);
  const platformCount = new Map<Platform, number>();
  for (const c of channels) platformCount.set(c.platform, (platformCount.get(c.platform) ?? 0) + 1);
  for (const c of channels) {
    const limit = c.limit ?? platformLimit(c.platform);
    if (limit === undefined) continue;
    const parts = renderParts(post, c.platform, limit);
    const length = parts.reduce((m, p) => Math.max(m, p.length), 0);
    const name = PLATFORM_NAMES[c.platform] ?? c.platform;
    out.push({
      channel: c.id,
      platform: c.platform,
      label: (platformCount.get(c.platform) ?? 0) > 1 ? `${name} (${c.id})` : name,
      length,
      limit,
      parts: parts.map((p) => ({ index: p.index, length: p.length })),
      over: parts.some((p) => p.length > limit),
    });
  }
  return out;
}

export class StatusBar implements vscode.Disposable {
  readonly item = vscode.window.createStatusBarItem('unscripted.status', vscode.StatusBarAlignment.Left, 50);
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly linter: Linter) {
    this.item.name = 'Unscripted';
    this.disposables.push(
      this.item,
      vscode.window.onDidChangeActiveTextEditor(() => this.update()),
      linter.onDidLint((uris) => {
        const active = vscode.window.activeTextEditor?.document.uri.toString();
        if (active && uris.some((u) => u.toString() === active)) this.update();
      }),
      vscode.workspace.onDidChangeConfiguration((e) => e.affectsConfiguration('unscripted.statusBar') && this.update()),
    );
    this.update();
  }

  update(): void {
    const editor = vscode.window.activeTextEditor;
    const enabled = vscode.workspace.getConfiguration('unscripted').get<boolean>('statusBar.enable', true);
    const doc = editor?.document;
    const state = doc ? this.linter.state(doc.uri) : undefined;
    void vscode.commands.executeCommand('setContext', 'unscripted.isPost', !!state);
    if (!enabled || !doc || !state || !state.result.post) {
      this.item.hide();
      return;
    }
    const host = this.linter.hosts.forUri(doc.uri);
    if (!host) {
      this.item.hide();
      return;
    }
    const findings = state.result.findings;
    const errors = findings.filter((f) => f.severity === 'error').length;
    const warnings = findings.length - errors;
    const lengths = channelLengths(state.result.post, host.ws.playbook);
    const over = lengths.some((l) => l.over);
    const count = findings.length === 0 ? '$(check) 0' : `$(${errors ? 'error' : 'warning'}) ${findings.length}`;
    const lens = lengths.map((l) => `${l.label} ${l.length}/${l.limit}`).join(' · ');
    this.item.text = lens ? `${count}  ${lens}` : count;
    this.item.backgroundColor = over ? new vscode.ThemeColor('statusBarItem.errorBackground') : undefined;
    const tip = new vscode.MarkdownString();
    tip.appendMarkdown(`**Unscripted**: ${errors} error(s), ${warnings} other finding(s)\n\n`);
    for (const l of lengths) {
      const parts = l.parts.length > 1 ? ` — parts: ${l.parts.map((p) => `${p.index + 1}: ${p.length}`).join(', ')}` : '';
      tip.appendMarkdown(`- ${l.label}: ${l.length}/${l.limit}${l.over ? ' **over the limit**' : ''}${parts}\n`);
    }
    this.item.tooltip = tip;
    this.item.command = { command: 'workbench.actions.view.problems', title: 'Show Problems' };
    this.item.accessibilityInformation = {
      label: `Unscripted: ${findings.length} findings${lengths.map((l) => `, ${l.label} ${l.length} of ${l.limit}`).join('')}${over ? ', over the limit' : ''}`,
    };
    this.item.show();
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
