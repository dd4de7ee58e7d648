/**
 * Publishing from the editor: `Unscripted: Publish Post` (unscripted.publish) on the current post
 * or a post in the Playbook view, and pausing/resuming publishing (edits to the playbook's
 * schedule file, shown in the status bar by pause-status.ts). This module and what it pulls in
 * (the publishers, @atproto/api) is its own chunk, dist/publish.js, loaded on the first publishing
 * command: extension.ts registers the commands and calls createPublishCommands() then. Same core as `unscripted publish`: dry-run preview,
 * confirm, progress, links; tokens from SecretStorage keyed by platform/host/account (asked for
 * once, never written to a file). Disabled in untrusted (Restricted Mode) workspaces.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Workspace } from '../core/workspace';
import {
  EnvSecretSource,
  publishPost,
  resolveChannel,
  secretKeyFor,
  secretLabel,
  secretStorageKey,
  setPaused,
  type ChannelPlan,
  type PublishReport,
  type SecretKey,
  type SecretSource,
} from '../core/publish';
import type { PublishApi } from './extension';
import { confirmDialog, nothingToSend, SHOW_PROBLEMS } from './publish-dialog';

/** Tokens from VS Code's SecretStorage; the environment (for a developer's shell) as a fallback. */
export class SecretStorageSource implements SecretSource {
  constructor(
    private readonly storage: vscode.SecretStorage,
    private readonly env: SecretSource = new EnvSecretSource(process.env),
  ) {}
  async get(key: SecretKey): Promise<string | undefined> {
    return (await this.storage.get(secretStorageKey(key))) ?? (await this.env.get(key));
  }
  describe(key: SecretKey): string {
    return `the token stored for ${key.platform} ${key.account ? `${key.account} on ` : ''}${key.host} (Unscripted: Forget Publishing Token to replace it)`;
  }
  async store(key: SecretKey, value: string): Promise<void> {
    await this.storage.store(secretStorageKey(key), value);
  }
  async delete(key: SecretKey): Promise<void> {
    await this.storage.delete(secretStorageKey(key));
  }
}

function previewText(plan: ChannelPlan[]): string {
  const out: string[] = [];
  for (const p of plan) {
    if (p.state === 'blocked') {
      out.push(`✖ ${p.channel}: ${p.note}`);
      continue;
    }
    if (p.state === 'done' || p.state === 'changed') {
      out.push(`· ${p.channel}: ${p.note}`);
      continue;
    }
    out.push(`▶ ${p.channel} (${p.platform}), ${p.parts.length} part${p.parts.length === 1 ? '' : 's'}${p.state === 'resume' ? ` — ${p.note}` : ''}`);
    for (const part of p.parts) {
      const sent = p.state === 'resume' && part.index < p.sentParts ? ' (already sent)' : '';
      out.push(`  [${part.index + 1}/${p.parts.length}, ${part.length}${part.limit ? `/${part.limit}` : ''}${sent}] ${part.text}`);
    }
  }
  return out.join('\n');
}

function targetUri(arg: unknown): vscode.Uri | undefined {
  if (arg instanceof vscode.Uri) return arg;
  if (arg && typeof arg === 'object') {
    const a = arg as { post?: { file?: string }; file?: string; resourceUri?: vscode.Uri };
    if (a.resourceUri instanceof vscode.Uri) return a.resourceUri;
    const file = a.post?.file ?? a.file;
    if (typeof file === 'string') return vscode.Uri.file(file);
  }
  return vscode.window.activeTextEditor?.document.uri;
}

function requireTrust(): boolean {
  if (vscode.workspace.isTrusted) return true;
  void vscode.window.showWarningMessage('Publishing is disabled in Restricted Mode. Trust this workspace to publish.');
  return false;
}

export interface PublishCommandResult {
  report?: PublishReport;
  cancelled?: boolean;
}

export interface PublishCommands {
  publish(arg?: unknown, opts?: { yes?: boolean; forceLint?: boolean }): Promise<PublishCommandResult>;
  pause(reason?: string): Promise<boolean>;
  resume(opts?: { confirm?: boolean }): Promise<boolean>;
  forgetToken(): Promise<void>;
}

export function createPublishCommands(context: vscode.ExtensionContext, api: PublishApi): PublishCommands {
  const secrets = new SecretStorageSource(context.secrets);
  const activeWorkspace = (): Workspace | undefined => api.activeWorkspace();
  const updatePause = () => api.updatePause();

  async function publishCommand(arg?: unknown, opts: { yes?: boolean; forceLint?: boolean } = {}): Promise<PublishCommandResult> {
    if (!requireTrust()) return { cancelled: true };
    const uri = targetUri(arg);
    if (!uri || uri.scheme !== 'file') {
      void vscode.window.showInformationMessage('Open a saved post to publish it.');
      return { cancelled: true };
    }
    const ws = api.workspaceFor(uri);
    if (!ws) {
      void vscode.window.showErrorMessage('This file is not in a workspace Unscripted can publish from.');
      return { cancelled: true };
    }
    let doc = await vscode.workspace.openTextDocument(uri);
    if (doc.isDirty) {
      const save = opts.yes ? 'Save' : await vscode.window.showWarningMessage('The post has unsaved changes. Publishing sends the saved file and records the result in it.', { modal: true }, 'Save');
      if (save !== 'Save' || !(await doc.save())) return { cancelled: true };
      doc = await vscode.workspace.openTextDocument(uri);
    }
    const file = uri.fsPath;
    const rel = path.relative(ws.root, file) || path.basename(file);
    const lint = () => api.lint(doc)?.findings ?? ws.lintText(file, doc.getText()).findings;
    const base = { root: ws.root, file, playbook: ws.playbook, secrets, lint: () => lint(), onProgress: (m: string) => api.output.appendLine(m) };

    const preview = await publishPost({ ...base, dryRun: true, forceLint: true });
    api.output.appendLine(`Publish preview for ${rel}:\n${previewText(preview.plan)}`);
    if (preview.refused) {
      void vscode.window.showErrorMessage(`Not published: ${preview.refused}`);
      return { report: preview };
    }
    const toSend = preview.plan.filter((p) => p.state === 'send' || p.state === 'resume');
    if (toSend.length === 0) {
      api.output.appendLine(previewText(preview.plan));
      void vscode.window.showInformationMessage(nothingToSend(rel, preview.plan), 'Show Output').then((c) => c && api.output.show(true));
      return { report: preview };
    }
    const errors = preview.lintErrors ?? [];
    let forceLint = !!opts.forceLint;
    if (!opts.yes) {
      const dialog = confirmDialog({
        title: doc.getText().match(/^title:\s*(.+)$/m)?.[1] ?? rel,
        plan: preview.plan,
        findings: lint(),
        lintErrors: errors,
        status: preview.status,
        preview: previewText(preview.plan),
      });
      const choice = await vscode.window.showWarningMessage(dialog.message, { modal: true, detail: dialog.detail }, ...dialog.buttons);
      if (choice === SHOW_PROBLEMS) void vscode.commands.executeCommand('workbench.actions.view.problems');
      if (choice !== dialog.publish) return { cancelled: true };
      forceLint = dialog.forceLint;
    } else if (errors.length && !forceLint) {
      void vscode.window.showErrorMessage(`Not published: ${errors.length} lint error(s)`);
      return { cancelled: true };
    }

    // Ask for missing credentials before anything goes out.
    for (const p of toSend) {
      const channel = resolveChannel(p.channel, ws.playbook);
      const key = channel && secretKeyFor(channel);
      if (!key || (await secrets.get(key))) continue;
      const value = await vscode.window.showInputBox({
        title: `Unscripted: ${secretLabel(key)}`,
        prompt: `Stored in VS Code's secret storage for ${key.platform} / ${key.host} / ${key.account || '-'}; never written to the repository.`,
        password: true,
        ignoreFocusOut: true,
      });
      if (!value) return { cancelled: true };
      await secrets.store(key, value.trim());
    }

    const report = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Publishing ${rel}`, cancellable: false },
      (progress) =>
        publishPost({
          ...base,
          forceLint,
          onProgress: (m) => {
            api.output.appendLine(m);
            progress.report({ message: m });
          },
        }),
    );
    api.refreshTree();
    for (const r of report.results) api.output.appendLine(`${r.channel}: ${r.outcome}${r.url ? ` ${r.url}` : ''}${r.message ? ` — ${r.message}` : ''}`);
    if (report.refused) {
      void vscode.window.showErrorMessage(`Not published: ${report.refused}`);
      return { report };
    }
    const links = report.results.filter((r) => r.outcome === 'published' && r.url?.startsWith('http'));
    const failed = report.results.filter((r) => r.outcome === 'failed' || r.outcome === 'unknown');
    const summary = report.results.map((r) => `${r.channel}: ${r.outcome}`).join(', ');
    if (failed.length) {
      void vscode.window.showErrorMessage(`${rel}: ${failed.map((r) => `${r.channel} — ${r.message}`).join(' | ')}`, 'Show Output').then((c) => c && api.output.show());
    } else if (!opts.yes) {
      void vscode.window.showInformationMessage(`Published ${rel} (${summary})`, ...links.map((l) => `Open ${l.channel}`)).then((c) => {
        const l = links.find((x) => c === `Open ${x.channel}`);
        if (l?.url) void vscode.env.openExternal(vscode.Uri.parse(l.url));
      });
    }
    return { report };
  }

  async function pauseCommand(reasonArg?: string): Promise<boolean> {
    if (!requireTrust()) return false;
    const ws = activeWorkspace();
    if (!ws) return false;
    const reason =
      typeof reasonArg === 'string'
        ? reasonArg
        : await vscode.window.showInputBox({ title: 'Pause publishing', prompt: 'Why? (saved as pause_reason in the playbook; scheduled posts are held until resumed)', ignoreFocusOut: true });
    if (!reason?.trim()) return false;
    try {
      const res = await setPaused(ws.playbook, true, reason);
      await ws.reloadPlaybook();
      updatePause();
      void vscode.window.showWarningMessage(`Publishing paused: ${reason}. Edited ${path.relative(ws.root, res.file)} — commit it so CI holds scheduled posts too.`);
      return true;
    } catch (e) {
      void vscode.window.showErrorMessage(`Could not pause: ${(e as Error).message}`);
      return false;
    }
  }

  async function resumeCommand(o: { confirm?: boolean } = {}): Promise<boolean> {
    if (!requireTrust()) return false;
    const ws = activeWorkspace();
    if (!ws) return false;
    if (o.confirm) {
      const reason = ws.playbook.schedule.pauseReason;
      const ok = await vscode.window.showWarningMessage(
        'Resume publishing?',
        { modal: true, detail: `Publishing was paused${reason ? `: ${reason}` : ''}. Resuming lets scheduled posts go out once the playbook change is committed.` },
        'Resume Publishing',
      );
      if (ok !== 'Resume Publishing') return false;
    }
    try {
      const res = await setPaused(ws.playbook, false);
      await ws.reloadPlaybook();
      updatePause();
      void vscode.window.showInformationMessage(`Publishing resumed. Edited ${path.relative(ws.root, res.file)} — commit it to let scheduled posts go out.`);
      return true;
    } catch (e) {
      void vscode.window.showErrorMessage(`Could not resume: ${(e as Error).message}`);
      return false;
    }
  }

  async function forgetToken(): Promise<void> {
    const ws = activeWorkspace();
    if (!ws) return;
    const items = [...ws.playbook.channels.values()]
      .map((c) => ({ c, key: secretKeyFor(c) }))
      .filter((x): x is { c: typeof x.c; key: SecretKey } => !!x.key)
      .map((x) => ({ label: x.c.id, description: `${x.key.platform} · ${x.key.host} · ${x.key.account || '-'}`, key: x.key }));
    const pick = await vscode.window.showQuickPick(items, { title: 'Forget the stored token of a channel' });
    if (!pick) return;
    await secrets.delete(pick.key);
    void vscode.window.showInformationMessage(`Forgot the token for ${pick.label}; you will be asked for it on the next publish.`);
  }

  return { publish: publishCommand, pause: pauseCommand, resume: resumeCommand, forgetToken };
}
