/**
 * The Preview Post webview's content, with no `vscode` import so unit tests reach it: the post as
 * each of its channels shows it (thread parts, their length as the platform counts, the cut point
 * of a part over the limit) and that model as HTML under a strict CSP (no scripts).
 */
import * as crypto from 'node:crypto';
import * as path from 'node:path';
import type { Channel, Playbook } from '../core/playbook';
import type { ParsedPost } from '../core/post';
import { escapeHtml as esc } from '../core/escape';
import { countLength } from '../core/platforms';
import { renderChannel } from '../core/render';
import type { Platform } from '../core/types';

export interface PreviewModel {
  title: string;
  channels: {
    id: string;
    label: string;
    known: boolean;
    /** `cut`: how much of `text` (UTF-16 units) fits the limit, for a part over it. */
    parts: { index: number; text: string; length: number; limit?: number; over: boolean; cut?: number }[];
  }[];
}

export function previewModel(post: ParsedPost, playbook: Playbook): PreviewModel {
  const ids = post.meta.channels.length ? post.meta.channels : [];
  return {
    title: post.meta.title || path.basename(post.file),
    channels: ids.map((id) => {
      const c: Channel | undefined = playbook.channels.get(id);
      const r = renderChannel(post, c ?? { id, platform: 'outbox' });
      return {
        id,
        label: c ? `${r.name}${c.account ? ` · ${c.account}` : ''}` : 'unknown channel',
        known: !!c,
        parts: r.parts.map((p) => {
          const over = p.limit !== undefined && p.length > p.limit;
          return {
            index: p.index,
            text: p.text,
            length: p.length,
            limit: p.limit,
            over,
            ...(over ? { cut: cutPoint(p.text, r.platform, p.limit!) } : {}),
          };
        }),
      };
    }),
  };
}

/** The longest prefix of `text` that fits `limit` as the platform counts (binary search over code points). */
export function cutPoint(text: string, platform: Platform, limit: number): number {
  const cps = [...text];
  let lo = 0;
  let hi = cps.length;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (countLength(cps.slice(0, mid).join(''), platform) <= limit) lo = mid;
    else hi = mid - 1;
  }
  return cps.slice(0, lo).join('').length;
}

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
  <div class="text">${p.cut === undefined ? esc(p.text) : `${esc(p.text.slice(0, p.cut))}<span class="cut" title="The platform's limit: the rest does not fit">✂</span><span class="excess">${esc(p.text.slice(p.cut))}</span>`}</div>
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
.cut { color: var(--vscode-errorForeground); font-weight: bold; padding: 0 2px; }
.excess { background: var(--vscode-inputValidation-errorBackground, #f004); text-decoration: line-through; text-decoration-color: var(--vscode-errorForeground); }
</style>
</head>
<body>
<h1>${esc(model.title)}</h1>
${sections}
</body>
</html>`;
}
