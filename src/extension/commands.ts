/**
 * Commands of the "Unscripted" category: Lint Workspace, New Post, Initialize Playbook.
 * Each takes optional arguments so it can run without prompts (tests, keybindings, tasks).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { platformName } from '../core/platforms';
import { newPostText } from '../core/scaffold';
import type { LintResult } from '../core/workspace';
import { initWorkspace } from '../app/init';
import { slug } from '../core/text';
import { FolderWorkspaces, FolderWorkspace } from './folder-workspaces';
import { campaignChoices } from './campaign-choices';
import { Linter } from './linter';

export interface LintWorkspaceSummary {
  files: number;
  findings: number;
  errors: number;
  cancelled: boolean;
  ms: number;
}

/** Lint every post of every workspace folder, with progress; results go to the Problems panel. */
export async function lintWorkspace(
  folders: FolderWorkspaces,
  linter: Linter,
  output: vscode.OutputChannel,
): Promise<LintWorkspaceSummary> {
  const t0 = performance.now();
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'Unscripted: linting posts', cancellable: true },
    async (progress, token) => {
      const summary: LintWorkspaceSummary = { files: 0, findings: 0, errors: 0, cancelled: false, ms: 0 };
      const jobs: { fw: FolderWorkspace; file: string }[] = [];
      for (const fw of folders.workspaceFolders()) {
        fw.ws.ensureIndexed();
        fw.indexed = true;
        for (const file of fw.ws.listPosts()) jobs.push({ fw, file });
      }
      const step = jobs.length ? 100 / jobs.length : 100;
      for (let i = 0; i < jobs.length; i++) {
        if (token.isCancellationRequested) {
          summary.cancelled = true;
          break;
        }
        const { fw, file } = jobs[i];
        const open = vscode.workspace.textDocuments.find(
          (d) => d.uri.scheme === 'file' && d.uri.fsPath === file && (d.isDirty || linter.isShown(d)),
        );
        let result: LintResult;
        if (open) {
          result = linter.lintNow(open)?.result ?? { file, findings: [] };
        } else {
          result = fw.ws.lintFile(file);
          linter.publishResult(result);
        }
        summary.files++;
        summary.findings += result.findings.length;
        summary.errors += result.findings.filter((f) => f.severity === 'error').length;
        progress.report({ increment: step, message: `${i + 1}/${jobs.length} ${path.basename(file)}` });
        // Stay responsive: yield to the event loop every few files.
        if (i % 25 === 24) await new Promise((r) => setImmediate(r));
      }
      summary.ms = performance.now() - t0;
      output.appendLine(
        `Lint Workspace: ${summary.files} posts, ${summary.findings} findings (${summary.errors} errors) in ${summary.ms.toFixed(0)} ms${summary.cancelled ? ' (cancelled)' : ''}`,
      );
      if (summary.findings > 0 && !summary.cancelled) void vscode.commands.executeCommand('workbench.actions.view.problems');
      return summary;
    },
  );
}

export interface NewPostArgs {
  title?: string;
  channels?: string[];
  campaign?: string;
  folder?: vscode.Uri;
}

function pickFolder(folders: FolderWorkspaces, folder?: vscode.Uri): FolderWorkspace | undefined {
  if (folder) {
    const f = vscode.workspace.getWorkspaceFolder(folder);
    if (f) return folders.forFolder(f);
  }
  const active = vscode.window.activeTextEditor?.document.uri;
  if (active) {
    const f = vscode.workspace.getWorkspaceFolder(active);
    if (f) return folders.forFolder(f);
  }
  return folders.workspaceFolders()[0];
}

/** New Post: asks for a title, channels and campaign (from the playbook) and writes posts/<date>-<slug>.md. */
export async function newPost(folders: FolderWorkspaces, args: NewPostArgs = {}): Promise<vscode.Uri | undefined> {
  const fw = pickFolder(folders, args.folder);
  if (!fw) {
    void vscode.window.showWarningMessage('Open a folder first: posts live in its posts/ folder.');
    return undefined;
  }
  const pb = fw.ws.playbook;
  const title =
    args.title ??
    (await vscode.window.showInputBox({
      title: 'New Post (1/3)',
      prompt: 'Title of the post (for you and the Playbook view; not published)',
      validateInput: (v) => (v.trim() ? undefined : 'A title helps you find the post later'),
    }));
  if (!title?.trim()) return undefined;
  let channels = args.channels;
  if (!channels) {
    // The platform only where the id does not already say it ("outbox", not "outbox outbox").
    const items = [...pb.channels.values()].map((c) => ({
      label: c.id,
      description: [c.platform !== c.id ? platformName(c.platform) : '', c.account ?? ''].filter(Boolean).join(' · ') || undefined,
      picked: c.id === 'outbox',
    }));
    const picked = await vscode.window.showQuickPick(items, {
      title: 'New Post (2/3): channels',
      canPickMany: true,
      placeHolder: 'Where will it go?',
    });
    if (!picked) return undefined;
    channels = picked.map((p) => p.label);
  }
  let campaign = args.campaign;
  const campaigns = campaignChoices(pb);
  if (campaign === undefined && campaigns.length > 0 && !args.title) {
    const none = { label: '(no campaign)' };
    const picked = await vscode.window.showQuickPick([none, ...campaigns.map((c) => ({ label: c }))], {
      title: 'New Post (3/3): campaign',
    });
    if (!picked) return undefined;
    campaign = picked === none ? undefined : picked.label;
  }
  const date = new Date().toISOString().slice(0, 10);
  const dir = path.join(fw.root, 'posts');
  fs.mkdirSync(dir, { recursive: true });
  const base = `${date}-${slug(title) || 'post'}`;
  let file = path.join(dir, `${base}.md`);
  for (let n = 2; fs.existsSync(file); n++) file = path.join(dir, `${base}-${n}.md`);
  fs.writeFileSync(file, newPostText({ title, channels, campaign }));
  const uri = vscode.Uri.file(file);
  const doc = await vscode.workspace.openTextDocument(uri);
  // A tab of its own (not the italic preview tab the next file opened would replace).
  const editor = await vscode.window.showTextDocument(doc, { preview: false });
  const end = doc.lineAt(doc.lineCount - 1).range.end;
  editor.selection = new vscode.Selection(end, end);
  return uri;
}

/**
 * Initialize Playbook: the same as `unscripted init` (src/app/init.ts): the default playbook into
 * playbooks/, a sample post into posts/ when it has none. Files that differ are replaced (each
 * kept as FILE.bak) only when the writer says so (or `force`).
 */
export async function initPlaybook(
  folders: FolderWorkspaces,
  linter: Linter,
  args: { folder?: vscode.Uri; open?: boolean; force?: boolean } = {},
): Promise<string[]> {
  const fw = pickFolder(folders, args.folder);
  if (!fw) {
    void vscode.window.showWarningMessage('Open a folder first: the playbook lives in its playbooks/ folder.');
    return [];
  }
  const rel = (files: string[]) => files.map((f) => vscode.workspace.asRelativePath(f)).join(', ');
  let outcome = initWorkspace(fw.root, { force: args.force });
  if (outcome.kind === 'differ') {
    const replace = 'Replace (keep .bak copies)';
    const choice = await vscode.window.showWarningMessage(
      'Some files differ from what Initialize Playbook would write.',
      { modal: true, detail: `${rel(outcome.files)}\n\nReplace them? Each old one is kept as FILE.bak.` },
      replace,
    );
    if (choice !== replace) return [];
    outcome = initWorkspace(fw.root, { force: true });
  }
  if (outcome.kind === 'links') {
    void vscode.window.showErrorMessage(`Not writing through symbolic links (replace them with files first): ${rel(outcome.files)}`);
    return [];
  }
  if (outcome.kind === 'differ') return [];
  const created = [...outcome.created, ...outcome.replaced];
  folders.reset();
  linter.relintOpen();
  if (created.length === 0) {
    void vscode.window.showInformationMessage('The playbook is already there: nothing to create.');
  } else {
    void vscode.window.showInformationMessage(`Created ${rel(created)}.`);
    if (args.open !== false) {
      const voice = created.find((f) => path.basename(f) === 'voice.md') ?? created[0];
      await vscode.window.showTextDocument(vscode.Uri.file(voice), { preview: false });
    }
  }
  return created;
}
