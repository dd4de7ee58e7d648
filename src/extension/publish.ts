/**
 * Publishing from the editor: `Unscripted: Publish Post` (unscripted.publish) on the current post
 * or a post in the Playbook view, and pausing/resuming publishing (edits to the playbook's
 * schedule file, shown in the status bar by pause-status.ts). This module and what it pulls in
 * (the publishers, @atproto/api) is its own chunk, dist/publish.js, loaded on the first publishing
 * command: extension.ts registers the commands and calls createPublishCommands() then. Same core
 * and plan text (src/app/plan-text.ts) as `unscripted publish`: dry-run preview,
 * confirm, progress, links; tokens from SecretStorage keyed by platform/host/account (asked for
 * once, never written to a file). Disabled in untrusted (Restricted Mode) workspaces.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { LintResult, Workspace } from '../core/workspace';
import type { Finding } from '../core/types';
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
import { planText, publishReportText } from '../app/plan-text';
import { parsePost } from '../core/post';
import { confirmDialog, nothingToSend, SHOW_PROBLEMS } from './publish-dialog';

/** What the publishing commands get from the editor side (extension.ts). */
export interface PublishApi {
  output: vscode.OutputChannel;
  /** The core workspace a file belongs to. */
  workspaceFor(uri: vscode.Uri): Workspace | undefined;
  /** Lint a document now (current buffer) and return its findings. */
  lint(doc: vscode.TextDocument): LintResult | undefined;
  /** Refresh the Playbook view (after a post's front matter changed). */
  refreshTree(): void;
  /** The status bar item, for messages such as "publishing paused". */
  statusBar: vscode.StatusBarItem;
  /** The workspace of the active editor (else the first folder). */
  activeWorkspace(): Workspace | undefined;
  /**
   * Reload a workspace's playbook after publishing edited it (pause, resume): the editor's one
   * reload path, which takes unsaved playbook buffers, shows playbook errors, re-lints the open
   * posts and updates the paused item.
   */
  reloadPlaybook(ws: Workspace): void;
}

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

/** What every publishing command works with. */
interface Ctx {
  api: PublishApi;
  secrets: SecretStorageSource;
}

export function createPublishCommands(context: vscode.ExtensionContext, api: PublishApi): PublishCommands {
  const ctx: Ctx = { api, secrets: new SecretStorageSource(context.secrets) };
  return {
    publish: (arg, opts = {}) => publishCommand(ctx, arg, opts),
    pause: (reason) => pauseCommand(ctx, reason),
    resume: (opts = {}) => resumeCommand(ctx, opts),
    forgetToken: () => forgetTokenCommand(ctx),
  };
}

type PublishOpts = { yes?: boolean; forceLint?: boolean };

/** The post to publish, saved, and its workspace; undefined (after saying why) when there is none. */
async function savedPost(
  ctx: Ctx,
  arg: unknown,
  opts: PublishOpts,
): Promise<{ ws: Workspace; doc: vscode.TextDocument; file: string; rel: string } | undefined> {
  const uri = targetUri(arg);
  if (!uri || uri.scheme !== 'file') {
    void vscode.window.showInformationMessage('Open a saved post to publish it.');
    return undefined;
  }
  const ws = ctx.api.workspaceFor(uri);
  if (!ws) {
    void vscode.window.showErrorMessage('This file is not in a workspace Unscripted can publish from.');
    return undefined;
  }
  let doc = await vscode.workspace.openTextDocument(uri);
  if (doc.isDirty) {
    const save = opts.yes
      ? 'Save'
      : await vscode.window.showWarningMessage(
          'The post has unsaved changes. Publishing sends the saved file and records the result in it.',
          { modal: true },
          'Save',
        );
    if (save !== 'Save' || !(await doc.save())) return undefined;
    doc = await vscode.workspace.openTextDocument(uri);
  }
  const file = uri.fsPath;
  return { ws, doc, file, rel: path.relative(ws.root, file) || path.basename(file) };
}

/** The confirmation dialog; returns whether to go on and with which lint override. */
async function confirmPublish(
  preview: PublishReport,
  o: { doc: vscode.TextDocument; rel: string; findings: () => Finding[]; opts: PublishOpts },
): Promise<{ go: boolean; forceLint: boolean }> {
  const errors = preview.lintErrors ?? [];
  const forceLint = !!o.opts.forceLint;
  if (o.opts.yes) {
    if (errors.length && !forceLint) {
      void vscode.window.showErrorMessage(`Not published: ${errors.length} lint error(s)`);
      return { go: false, forceLint };
    }
    return { go: true, forceLint };
  }
  const dialog = confirmDialog({
    title: parsePost(o.doc.uri.fsPath, o.doc.getText()).meta.title ?? o.rel,
    plan: preview.plan,
    findings: o.findings(),
    lintErrors: errors,
    status: preview.status,
    preview: planText(preview.plan, o.rel),
  });
  const choice = await vscode.window.showWarningMessage(dialog.message, { modal: true, detail: dialog.detail }, ...dialog.buttons);
  if (choice === SHOW_PROBLEMS) void vscode.commands.executeCommand('workbench.actions.view.problems');
  return { go: choice === dialog.publish, forceLint: dialog.forceLint };
}

/** Ask for the tokens the channels to send lack, before anything goes out. False when the writer cancels. */
async function askForTokens(ctx: Ctx, ws: Workspace, toSend: ChannelPlan[]): Promise<boolean> {
  for (const p of toSend) {
    const channel = resolveChannel(p.channel, ws.playbook);
    const key = channel && secretKeyFor(channel);
    if (!key || (await ctx.secrets.get(key))) continue;
    const value = await vscode.window.showInputBox({
      title: `Unscripted: ${secretLabel(key)}`,
      prompt: `Stored in VS Code's secret storage for ${key.platform} / ${key.host} / ${key.account || '-'}; never written to the repository.`,
      password: true,
      ignoreFocusOut: true,
    });
    if (!value) return false;
    await ctx.secrets.store(key, value.trim());
  }
  return true;
}

/** The outcome: each channel in the output, failures as an error, links to what went out. */
function showReport(ctx: Ctx, report: PublishReport, rel: string, quiet: boolean): void {
  const { output } = ctx.api;
  // The same report lines as `unscripted publish` (app/plan-text.ts).
  if (report.results.length) output.append(publishReportText(report, rel));
  if (report.refused) {
    void vscode.window.showErrorMessage(`Not published: ${report.refused}`);
    return;
  }
  const links = report.results.filter((r) => r.outcome === 'published' && r.url?.startsWith('http'));
  const failed = report.results.filter((r) => r.outcome === 'failed' || r.outcome === 'unknown');
  const summary = report.results.map((r) => `${r.channel}: ${r.outcome}`).join(', ');
  if (failed.length) {
    void vscode.window
      .showErrorMessage(`${rel}: ${failed.map((r) => `${r.channel} — ${r.message}`).join(' | ')}`, 'Show Output')
      .then((c) => c && output.show());
  } else if (!quiet) {
    void vscode.window.showInformationMessage(`Published ${rel} (${summary})`, ...links.map((l) => `Open ${l.channel}`)).then((c) => {
      const l = links.find((x) => c === `Open ${x.channel}`);
      if (l?.url) void vscode.env.openExternal(vscode.Uri.parse(l.url));
    });
  }
}

/** Publish Post: preview (dry run), confirm, ask for missing tokens, send with progress, report. */
async function publishCommand(ctx: Ctx, arg: unknown, opts: PublishOpts): Promise<PublishCommandResult> {
  if (!requireTrust()) return { cancelled: true };
  const target = await savedPost(ctx, arg, opts);
  if (!target) return { cancelled: true };
  const { ws, doc, file, rel } = target;
  const { api } = ctx;
  const lint = () => api.lint(doc)?.findings ?? ws.lintText(file, doc.getText()).findings;
  const base = {
    root: ws.root,
    file,
    playbook: ws.playbook,
    secrets: ctx.secrets,
    lint: () => lint(),
    onProgress: (m: string) => api.output.appendLine(m),
  };

  const preview = await publishPost({ ...base, dryRun: true, forceLint: true });
  api.output.appendLine(`Publish preview for ${rel}:\n${planText(preview.plan, rel)}`);
  if (preview.refused) {
    void vscode.window.showErrorMessage(`Not published: ${preview.refused}`);
    return { report: preview };
  }
  const toSend = preview.plan.filter((p) => p.state === 'send' || p.state === 'resume');
  if (toSend.length === 0) {
    void vscode.window.showInformationMessage(nothingToSend(rel, preview.plan), 'Show Output').then((c) => c && api.output.show(true));
    return { report: preview };
  }
  const confirmed = await confirmPublish(preview, { doc, rel, findings: lint, opts });
  if (!confirmed.go) return { cancelled: true };
  if (!(await askForTokens(ctx, ws, toSend))) return { cancelled: true };

  const report = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Publishing ${rel}`, cancellable: false },
    (progress) =>
      publishPost({
        ...base,
        forceLint: confirmed.forceLint,
        onProgress: (m) => {
          api.output.appendLine(m);
          progress.report({ message: m });
        },
      }),
  );
  api.refreshTree();
  showReport(ctx, report, rel, !!opts.yes);
  return { report };
}

/** Pause or resume: edit the playbook's schedule file, then reload the playbook the editor's one way. */
async function setPausedAndReload(ctx: Ctx, ws: Workspace, paused: boolean, reason?: string): Promise<string | undefined> {
  try {
    const res = await setPaused(ws.playbook, paused, reason);
    ctx.api.reloadPlaybook(ws);
    return path.relative(ws.root, res.file);
  } catch (e) {
    void vscode.window.showErrorMessage(`Could not ${paused ? 'pause' : 'resume'}: ${(e as Error).message}`);
    return undefined;
  }
}

async function pauseCommand(ctx: Ctx, reasonArg?: string): Promise<boolean> {
  if (!requireTrust()) return false;
  const ws = ctx.api.activeWorkspace();
  if (!ws) return false;
  const reason =
    typeof reasonArg === 'string'
      ? reasonArg
      : await vscode.window.showInputBox({
          title: 'Pause publishing',
          prompt: 'Why? (saved as pause_reason in the playbook; scheduled posts are held until resumed)',
          ignoreFocusOut: true,
        });
  if (!reason?.trim()) return false;
  const edited = await setPausedAndReload(ctx, ws, true, reason);
  if (edited === undefined) return false;
  void vscode.window.showWarningMessage(`Publishing paused: ${reason}. Edited ${edited} — commit it so CI holds scheduled posts too.`);
  return true;
}

async function resumeCommand(ctx: Ctx, o: { confirm?: boolean }): Promise<boolean> {
  if (!requireTrust()) return false;
  const ws = ctx.api.activeWorkspace();
  if (!ws) return false;
  if (o.confirm) {
    const reason = ws.playbook.schedule.pauseReason;
    const ok = await vscode.window.showWarningMessage(
      'Resume publishing?',
      {
        modal: true,
        detail: `Publishing was paused${reason ? `: ${reason}` : ''}. Resuming lets scheduled posts go out once the playbook change is committed.`,
      },
      'Resume Publishing',
    );
    if (ok !== 'Resume Publishing') return false;
  }
  const edited = await setPausedAndReload(ctx, ws, false);
  if (edited === undefined) return false;
  void vscode.window.showInformationMessage(`Publishing resumed. Edited ${edited} — commit it to let scheduled posts go out.`);
  return true;
}

async function forgetTokenCommand(ctx: Ctx): Promise<void> {
  const ws = ctx.api.activeWorkspace();
  if (!ws) return;
  const items = [...ws.playbook.channels.values()]
    .map((c) => ({ c, key: secretKeyFor(c) }))
    .filter((x): x is { c: typeof x.c; key: SecretKey } => !!x.key)
    .map((x) => ({ label: x.c.id, description: `${x.key.platform} · ${x.key.host} · ${x.key.account || '-'}`, key: x.key }));
  const pick = await vscode.window.showQuickPick(items, { title: 'Forget the stored token of a channel' });
  if (!pick) return;
  await ctx.secrets.delete(pick.key);
  void vscode.window.showInformationMessage(`Forgot the token for ${pick.label}; you will be asked for it on the next publish.`);
}
