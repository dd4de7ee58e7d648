/**
 * The "Publishing paused" status bar item. Part of the main bundle (it reads only the playbook's
 * schedule), so it shows at activation without loading the publishing chunk; clicking it asks
 * before resuming.
 */
import * as vscode from 'vscode';
import type { Workspace } from '../core/workspace';

export class PauseStatus implements vscode.Disposable {
  readonly item = vscode.window.createStatusBarItem('unscripted.paused', vscode.StatusBarAlignment.Left, 49);
  private readonly disposables: vscode.Disposable[] = [this.item];

  /**
   * `onDidReloadPlaybook`: the linter's one playbook-reload path (typing in, saving or editing on
   * disk the schedule file, and pause/resume from the publishing commands all go through it).
   */
  constructor(
    private readonly workspaceFor: (uri: vscode.Uri) => Workspace | undefined,
    onDidReloadPlaybook: vscode.Event<unknown>,
  ) {
    this.item.name = 'Unscripted publishing paused';
    this.disposables.push(
      vscode.window.onDidChangeActiveTextEditor(() => this.update()),
      onDidReloadPlaybook(() => this.update()),
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.update()),
    );
    // The first update comes from extension.ts right after activation (it loads the playbook).
  }

  /** The workspace of the active editor, else of the first folder. */
  activeWorkspace(): Workspace | undefined {
    const uri = vscode.window.activeTextEditor?.document.uri ?? vscode.workspace.workspaceFolders?.[0]?.uri;
    return uri ? this.workspaceFor(uri) : undefined;
  }

  update(): void {
    const s = this.activeWorkspace()?.playbook.schedule;
    if (s?.paused) {
      this.item.text = '$(debug-pause) Publishing paused';
      this.item.tooltip = `Publishing is paused${s.pauseReason ? `: ${s.pauseReason}` : ''}. Scheduled posts are held. Click to resume (you will be asked first).`;
      this.item.command = { command: 'unscripted.resumePublishing', title: 'Resume Publishing', arguments: [{ confirm: true }] };
      this.item.backgroundColor = new vscode.ThemeColor('statusBarItem.warningBackground');
      this.item.show();
    } else {
      this.item.hide();
    }
    void vscode.commands.executeCommand('setContext', 'unscripted.publishingPaused', !!s?.paused);
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
