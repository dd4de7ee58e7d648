/**
 * Unscripted for VS Code: a thin adapter over the core engine (src/core). Activation registers
 * listeners and providers and lints the posts already open; nothing reads the whole workspace
 * until a post has been linted once.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { PublishApi, PublishCommands } from './publish';
import { FolderWorkspaces } from './folder-workspaces';
import { Linter, setDocsRoot } from './linter';
import { FIX_ALL_KIND, UnscriptedCodeActions, UnscriptedHover, applySuggestion, openPlaybookRule } from './actions';
import { PauseStatus } from './pause-status';
import { PublishedLens } from './published-lens';
import { openRuleDocs } from './docs';
import { StatusBar } from './status';
import { PlaybookTree } from './tree';
import { PreviewPanels } from './preview';
import { initPlaybook, lintWorkspace, newPost, NewPostArgs } from './commands';
import { registerTasks } from './tasks';

const POSTS: vscode.DocumentSelector = [
  { language: 'markdown', scheme: 'file' },
  { language: 'markdown', scheme: 'untitled' },
];

/** Returned from activate(): the publish API plus handles the extension-host tests read. */
export interface UnscriptedApi extends PublishApi {
  /** Time spent in activate(). */
  activationMs: number;
  /** Time to load (evaluate) the bundle before activate() ran. */
  loadMs: number;
  linter: Linter;
  tree: PlaybookTree;
  treeView: vscode.TreeView<unknown>;
  status: StatusBar;
  preview: PreviewPanels;
  folders: FolderWorkspaces;
  /** The publishing chunk (dist/publish.js, with @atproto/api) has been loaded. */
  publishLoaded(): boolean;
}

/** Set by the bundle's banner (scripts/build-extension.mjs): when dist/extension.js started loading. */
declare const __unscriptedLoadStart: number | undefined;

/**
 * The publishing commands live in their own chunk (dist/publish.js: the publishers and
 * @atproto/api, about half the code), required on the first publishing command so activation does
 * not pay for it.
 */
function loadPublish(): typeof import('./publish') {
  return require('./publish') as typeof import('./publish');
}

export function activate(context: vscode.ExtensionContext): UnscriptedApi {
  const t0 = performance.now();
  const output = vscode.window.createOutputChannel('Unscripted');
  setDocsRoot(context.asAbsolutePath(path.join('dist', 'rules')));
  const folders = new FolderWorkspaces();
  const linter = new Linter(folders, output);
  const status = new StatusBar(linter);
  const tree = new PlaybookTree(folders, linter);
  const treeView = vscode.window.createTreeView('unscripted.playbook', { treeDataProvider: tree, showCollapseAll: true });
  tree.view = treeView;
  const preview = new PreviewPanels(folders);
  context.subscriptions.push(output, folders, linter, status, tree, treeView, preview);

  context.subscriptions.push(
    vscode.languages.registerCodeActionsProvider(POSTS, new UnscriptedCodeActions(linter), UnscriptedCodeActions.metadata),
    vscode.languages.registerHoverProvider(POSTS, new UnscriptedHover(linter)),
    vscode.commands.registerCommand('unscripted.lintWorkspace', () => lintWorkspace(folders, linter, output)),
    vscode.commands.registerCommand('unscripted.newPost', (args?: NewPostArgs) => newPost(folders, isArgs(args) ? args : {})),
    vscode.commands.registerCommand('unscripted.initPlaybook', async (args?: { folder?: vscode.Uri; open?: boolean }) => {
      const created = await initPlaybook(folders, linter, isArgs(args) ? args : {});
      tree.refresh();
      return created;
    }),
    vscode.commands.registerCommand('unscripted.preview', (arg?: vscode.Uri | { post?: { file: string } }) => previewCommand(preview, arg)),
    vscode.commands.registerCommand('unscripted.openPlaybookRule', (file: string, line: number) => openPlaybookRule(file, line)),
    vscode.commands.registerCommand(
      'unscripted.applySuggestion',
      (uri: string, version: number, offset: number, endOffset: number, text: string) =>
        applySuggestion(uri, version, offset, endOffset, text),
    ),
    vscode.commands.registerCommand('unscripted.openRuleDocs', (ruleId?: string) => openRuleDocs(context, linter, ruleId)),
    vscode.languages.registerCodeLensProvider(POSTS, new PublishedLens(linter)),
    vscode.commands.registerCommand('unscripted.refreshPlaybookView', () => tree.refresh()),
    vscode.commands.registerCommand('unscripted.groupByStatus', () => tree.setGrouping('status')),
    vscode.commands.registerCommand('unscripted.groupByCampaign', () => tree.setGrouping('campaign')),
    vscode.workspace.onDidChangeWorkspaceFolders(() => {
      folders.reset();
      tree.refresh();
    }),
  );

  const pause = new PauseStatus((uri) => folders.forUri(uri)?.ws, linter.onDidReloadPlaybook);
  context.subscriptions.push(pause);
  let publishing: PublishCommands | undefined;
  const api: UnscriptedApi = {
    output,
    workspaceFor: (uri) => folders.forUri(uri)?.ws,
    lint: (doc) => linter.lintNow(doc)?.result,
    refreshTree: () => tree.refresh(),
    statusBar: status.item,
    activeWorkspace: () => pause.activeWorkspace(),
    reloadPlaybook: (ws) => {
      const fw = folders.all().find((f) => f.ws === ws);
      if (fw) linter.lintPlaybook(fw, true);
    },
    activationMs: 0,
    loadMs: 0,
    linter,
    tree,
    treeView,
    status,
    preview,
    folders,
    publishLoaded: () => publishing !== undefined,
  };

  // The `unscripted` task type (runs the CLI with the $unscripted problem matcher).
  registerTasks(context);

  /** The publishing chunk, loaded on first use. */
  const publish = (): PublishCommands => {
    if (!publishing) {
      const t = performance.now();
      publishing = loadPublish().createPublishCommands(context, api);
      output.appendLine(`Publishing loaded in ${(performance.now() - t).toFixed(1)} ms`);
    }
    return publishing;
  };
  context.subscriptions.push(
    vscode.commands.registerCommand('unscripted.publish', (arg?: unknown, opts?: { yes?: boolean; forceLint?: boolean }) =>
      publish().publish(arg, opts ?? {}),
    ),
    vscode.commands.registerCommand('unscripted.pausePublishing', (reason?: string) => publish().pause(reason)),
    vscode.commands.registerCommand('unscripted.resumePublishing', (o?: { confirm?: boolean }) => publish().resume(isArgs(o) ? o : {})),
    vscode.commands.registerCommand('unscripted.forgetPublishingToken', () => publish().forgetToken()),
  );

  void vscode.commands.executeCommand('setContext', 'unscripted.activated', true);
  // Right after activation, not inside it: loading the playbook (and the voice model) is the cost
  // of the first lint, the view's context and the paused item; activate() returns at once.
  setImmediate(() => {
    linter.relintOpen();
    void tree.updateContext();
    pause.update();
  });
  const t1 = performance.now();
  api.activationMs = t1 - t0;
  api.loadMs = typeof __unscriptedLoadStart === 'number' && __unscriptedLoadStart > 0 ? t0 - __unscriptedLoadStart : 0;
  output.appendLine(`Unscripted activated in ${api.activationMs.toFixed(1)} ms (bundle loaded in ${api.loadMs.toFixed(1)} ms)`);
  return api;
}

function isArgs<T extends object>(a: unknown): a is T {
  return !!a && typeof a === 'object' && !(a instanceof vscode.Uri);
}

async function previewCommand(
  preview: PreviewPanels,
  arg?: vscode.Uri | { post?: { file: string } },
): Promise<vscode.WebviewPanel | undefined> {
  let uri: vscode.Uri | undefined;
  if (arg instanceof vscode.Uri) uri = arg;
  else if (arg && typeof arg === 'object' && arg.post?.file) uri = vscode.Uri.file(arg.post.file);
  else uri = vscode.window.activeTextEditor?.document.uri;
  if (!uri) {
    void vscode.window.showInformationMessage('Open a post to preview it.');
    return undefined;
  }
  const doc = await vscode.workspace.openTextDocument(uri);
  return preview.show(doc);
}

export function deactivate(): void {
  // Everything is in context.subscriptions.
}

// FIX_ALL_KIND is re-exported for the tests and for users' `editor.codeActionsOnSave`.
export { FIX_ALL_KIND };
