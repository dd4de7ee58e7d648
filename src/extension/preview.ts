/**
 * Preview Post: a webview showing how the post renders on each of its channels, thread parts
 * numbered, the length of each part as the platform counts it. No scripts; a strict CSP.
 */
import * as crypto from 'node:crypto';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Channel, Playbook } from '../core/playbook';
import { parsePost, ParsedPost } from '../core/post';
import { platformLimit, renderParts } from '../core/render';
import { Hosts } from './hosts';
import { PLATFORM_NAMES } from './status';

export interface PreviewModel {
  title: string;
  channels: {
    id: string;
    label: string;
    known: boolean;
    parts: { index: number; text: string; length: number; limit?: number; over: boolean }[];
  }[];
}

export function previewModel(post: ParsedPost, playbook: Playbook): PreviewModel {
  const ids = post.meta.channels.length ? post.meta.channels : [];
  return {
    title: post.meta.title || path.basename(post.file),
    channels: ids.map((id) => {
      const c: Channel | undefined = playbook.channels.get(id);
      const platform = c?.platform ?? 'outbox';
      const limit = c?.limit ?? platformLimit(platform);
      return {
        id,
        label: c ? `${PLATFORM_NAMES[platform]}${c.account ? ` · ${c.account}` : ''}` : 'unknown channel',
        known: !!c,
        parts: renderParts(post, platform, limit).map((p) => ({
          index: p.index,
          text: p.text,
          length: p.length,
          limit: p.limit,
          over: p.limit !== undefined && p.length > p.limit,
        })),
      };
    }),
  };
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export function previewHtml(model: PreviewModel, cspSource: string): string {
  const nonce = crypto.randomBytes(16).toString('base64');
  const csp = `default-src 'none'; img-src ${cspSource} data:; style-src 'nonce-${nonce}'; script-src 'none'; font-src ${cspSource}; frame-src 'none'; form-action 'none'; base-uri 'none'`;
  const sections = model.channels.length
    ? model.channels
        .map((c) => {
          const n = c.parts.length;
          const parts = c.parts
            .map(
              (p) => `<article class="part${p.over ? ' over' : ''}" data-part="${p.index + 1}">
  <header><span class="num">${n > 1 ? `${p.index + 1}/${n}` : 'Post'}</span><span class="count">${p.length}${p.limit !== undefined ? `/${p.limit}` : ''}${p.over ? ' — over the limit' : ''}</span></header>
  <div class="text">${esc(p.text)}</div>
</article>`,
            )
            .join('\n');
          return `<section class="channel" data-channel="${esc(c.id)}">
<h2>${esc(c.id)} <small>${esc(c.label)}</small></h2>
${parts}
</section>`;
        })
        .join('\n')
    : '<p class="empty">This post names no channels (front matter <code>channels:</code>).</p>';
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(model.title)}</title>
<style nonce="${nonce}">
body { font-family: var(--vscode-font-family); color: var(--vscode-foreground); padding: 0 16px 16px; }
h1 { font-size: 1.3em; }
h2 { font-size: 1.05em; margin-top: 1.4em; }
h2 small { color: var(--vscode-descriptionForeground); font-weight: normal; margin-left: .4em; }
.part { border: 1px solid var(--vscode-panel-border, #8884); border-radius: 8px; padding: 8px 12px; margin: 8px 0; max-width: 36em; }
.part header { display: flex; justify-content: space-between; color: var(--vscode-descriptionForeground); font-size: .9em; margin-bottom: 4px; }
.part.over { border-color: var(--vscode-errorForeground); }
.part.over .count { color: var(--vscode-errorForeground); font-weight: bold; }
.text { white-space: pre-wrap; overflow-wrap: anywhere; }
</style>
</head>
<body>
<h1>${esc(model.title)}</h1>
${sections}
</body>
</html>`;
}

export class PreviewPanels implements vscode.Disposable {
  private readonly panels = new Map<string, vscode.WebviewPanel>();
  private readonly disposables: vscode.Disposable[] = [];
  private timer?: NodeJS.Timeout;
  /** Last HTML per document, for tests. */
  readonly lastHtml = new Map<string, string>();

  constructor(private readonly hosts: Hosts) {
    this.disposables.push(
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (!this.panels.has(e.document.uri.toString())) return;
        if (this.timer) clearTimeout(this.timer);
        this.timer = setTimeout(() => this.render(e.document), 150);
      }),
    );
  }

  show(doc: vscode.TextDocument): vscode.WebviewPanel {
    const key = doc.uri.toString();
    let panel = this.panels.get(key);
    if (panel) {
      panel.reveal(vscode.ViewColumn.Beside, true);
    } else {
      panel = vscode.window.createWebviewPanel('unscripted.preview', `Preview ${path.basename(doc.uri.path)}`, { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, {
        enableScripts: false,
        enableCommandUris: false,
        localResourceRoots: [],
      });
      this.panels.set(key, panel);
      panel.onDidDispose(() => {
        this.panels.delete(key);
        this.lastHtml.delete(key);
      });
    }
    this.render(doc);
    return panel;
  }

  private render(doc: vscode.TextDocument): void {
    const panel = this.panels.get(doc.uri.toString());
    const host = this.hosts.forUri(doc.uri);
    if (!panel || !host) return;
    const post = parsePost(doc.uri.fsPath, doc.getText());
    const html = previewHtml(previewModel(post, host.ws.playbook), panel.webview.cspSource);
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
