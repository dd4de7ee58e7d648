/**
 * The status bar item of the current post: the length of the thread part under the cursor on
 * each of its channels, as the platform counts it (`Bluesky 212/300`), red when that part is over
 * the limit. Nothing else: VS Code's own status bar already counts the problems.
 */
import * as vscode from 'vscode';
import type { Playbook } from '../core/playbook';
import { channelLengths, type ChannelLength } from './channel-lengths';
import { Linter } from './linter';

export class StatusBar implements vscode.Disposable {
  readonly item = vscode.window.createStatusBarItem('unscripted.status', vscode.StatusBarAlignment.Left, 50);
  private readonly disposables: vscode.Disposable[] = [];
  private cache?: { uri: string; version: number; playbook: Playbook; lengths: ChannelLength[] };

  constructor(private readonly linter: Linter) {
    this.item.name = 'Unscripted';
    this.disposables.push(
      this.item,
      vscode.window.onDidChangeActiveTextEditor(() => this.update()),
      vscode.window.onDidChangeTextEditorSelection((e) => e.textEditor === vscode.window.activeTextEditor && this.update()),
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
    const fw = doc && this.linter.folders.forUri(doc.uri);
    if (!enabled || !doc || !state || !state.result.post || !fw) {
      this.item.hide();
      return;
    }
    const key = doc.uri.toString();
    if (!this.cache || this.cache.uri !== key || this.cache.version !== state.version || this.cache.playbook !== fw.ws.playbook) {
      this.cache = {
        uri: key,
        version: state.version,
        playbook: fw.ws.playbook,
        lengths: channelLengths(state.result.post, fw.ws.playbook),
      };
    }
    const lengths = this.cache.lengths;
    if (lengths.length === 0) {
      this.item.hide();
      return;
    }
    // The part under the cursor (the last part whose text starts before it).
    const parts = state.result.post.parts;
    const offset = doc.offsetAt(editor.selection.active);
    let index = 0;
    for (const p of parts) if (p.offset <= offset) index = p.index;
    const many = parts.length > 1;
    const at = lengths.map((l) => ({ l, length: l.parts.find((p) => p.index === index)?.length ?? 0 }));
    const over = at.some((x) => x.l.limit !== undefined && x.length > x.l.limit);
    const lens = at.map((x) => `${x.l.label} ${x.length}/${x.l.limit}`).join(' · ');
    this.item.text = `${over ? '$(error) ' : ''}${many ? `Part ${index + 1}/${parts.length}: ` : ''}${lens}`;
    this.item.backgroundColor = over ? new vscode.ThemeColor('statusBarItem.errorBackground') : undefined;
    const tip = new vscode.MarkdownString();
    tip.appendMarkdown(`**Unscripted**: length ${many ? `of part ${index + 1} of ${parts.length} ` : ''}as each platform counts it\n\n`);
    for (const l of lengths) {
      const all = l.parts.length > 1 ? ` — parts: ${l.parts.map((p) => `${p.index + 1}: ${p.length}`).join(', ')}` : '';
      const cur = l.parts.find((p) => p.index === index)?.length ?? 0;
      tip.appendMarkdown(`- ${l.label}: ${cur}/${l.limit}${l.limit !== undefined && cur > l.limit ? ' **over the limit**' : ''}${all}\n`);
    }
    this.item.tooltip = tip;
    this.item.command = { command: 'unscripted.preview', title: 'Preview Post', arguments: [doc.uri] };
    this.item.accessibilityInformation = {
      label: `Unscripted${many ? `, part ${index + 1} of ${parts.length}` : ''}${at.map((x) => `, ${x.l.label} ${x.length} of ${x.l.limit}`).join('')}${over ? ', over the limit' : ''}`,
    };
    this.item.show();
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
