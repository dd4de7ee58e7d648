/**
 * Preview Post: a webview showing how the post renders on each of its channels, thread parts
 * numbered, the length of each part as the platform counts it, and in a part over the limit the
 * point where the platform cuts it. It follows the active editor from post to post. No scripts; a
 * strict CSP.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { parsePost } from '../core/post';
import { FolderWorkspaces } from './folder-workspaces';
import { previewHtml, previewModel } from './post-preview';

export class PreviewPanels implements vscode.Disposable {
  private readonly panels = new Map<string, vscode.WebviewPanel>();
  private readonly disposables: vscode.Disposable[] = [];
  private timer?: NodeJS.Timeout;
  /** Last HTML per document, for tests. */
  readonly lastHtml = new Map<string, string>();

  constructor(private readonly folders: FolderWorkspaces) {
    this.disposables.push(
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (!this.panels.has(e.document.uri.toString())) return;
        if (this.timer) clearTimeout(this.timer);
        this.timer = setTimeout(() => this.render(e.document), 150);
      }),
      vscode.window.onDidChangeActiveTextEditor((ed) => ed && this.follow(ed.document)),
    );
  }

  /** The preview follows the writer: switching to another post shows that post in the open preview. */
  private follow(doc: vscode.TextDocument): void {
    const key = doc.uri.toString();
    if (this.panels.size === 0 || this.panels.has(key) || !this.folders.isPost(doc)) return;
    const [oldKey, panel] = [...this.panels].pop()!;
    this.panels.delete(oldKey);
    this.lastHtml.delete(oldKey);
    this.panels.set(key, panel);
    this.render(doc);
  }

  show(doc: vscode.TextDocument): vscode.WebviewPanel {
    const key = doc.uri.toString();
    let panel = this.panels.get(key);
    if (panel) {
      panel.reveal(vscode.ViewColumn.Beside, true);
    } else {
      panel = vscode.window.createWebviewPanel(
        'unscripted.preview',
        `Preview ${path.basename(doc.uri.path)}`,
        { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
        {
          enableScripts: false,
          enableCommandUris: false,
          localResourceRoots: [],
        },
      );
      this.panels.set(key, panel);
      const created = panel;
      panel.onDidDispose(() => {
        for (const [k, p] of this.panels) {
          if (p !== created) continue;
          this.panels.delete(k);
          this.lastHtml.delete(k);
        }
      });
    }
    this.render(doc);
    return panel;
  }

  private render(doc: vscode.TextDocument): void {
    const panel = this.panels.get(doc.uri.toString());
    const fw = this.folders.forUri(doc.uri);
    if (!panel || !fw) return;
    const post = parsePost(doc.uri.fsPath, doc.getText());
    const html = previewHtml(previewModel(post, fw.ws.playbook), panel.webview.cspSource);
    this.lastHtml.set(doc.uri.toString(), html);
    panel.webview.html = html;
    panel.title = `Preview: ${post.meta.title || path.basename(doc.uri.path)}`;
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    for (const p of this.panels.values()) p.dispose();
    for (const d of this.disposables) d.dispose();
  }
}
