/**
 * One core `Workspace` per VS Code workspace folder (and one per loose folder for posts opened
 * outside any workspace folder). Knows which documents are posts and which are playbook files,
 * and reloads the playbook live from editor buffers, so an unsaved playbook edit applies at once.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { Workspace } from '../core/workspace';
import { loadPlaybookSync } from '../core/engine';

export interface FolderWorkspace {
  /** Folder the core workspace is rooted at. */
  root: string;
  folder?: vscode.WorkspaceFolder;
  ws: Workspace;
  /** The workspace has its own playbook folder (rather than the shipped default). */
  hasOwnPlaybook: boolean;
  /** The cross-post index has read every post of the folder. */
  indexed: boolean;
}

export function playbookDirSetting(scope?: vscode.ConfigurationScope): string | undefined {
  const v = vscode.workspace
    .getConfiguration('unscripted', scope ?? null)
    .get<string>('playbookDir', '')
    .trim();
  return v || undefined;
}

export class FolderWorkspaces implements vscode.Disposable {
  private readonly byRoot = new Map<string, FolderWorkspace>();

  /** The FolderWorkspace of a file, created on first use. */
  forUri(uri: vscode.Uri): FolderWorkspace | undefined {
    if (uri.scheme !== 'file' && uri.scheme !== 'untitled') return undefined;
    const folder = vscode.workspace.getWorkspaceFolder(uri);
    if (folder && folder.uri.scheme === 'file') return this.forFolder(folder);
    if (uri.scheme !== 'file') {
      const first = vscode.workspace.workspaceFolders?.find((f) => f.uri.scheme === 'file');
      return first ? this.forFolder(first) : undefined;
    }
    // A file outside the workspace: the nearest folder above it with a playbook, else its own folder.
    let dir = path.dirname(uri.fsPath);
    let root = dir;
    for (let i = 0; i < 6; i++) {
      if (fs.existsSync(path.join(dir, 'playbooks'))) {
        root = dir;
        break;
      }
      const parent = path.dirname(dir);
      if (parent === dir) break;
      dir = parent;
    }
    return this.forRoot(root);
  }

  forFolder(folder: vscode.WorkspaceFolder): FolderWorkspace {
    return this.forRoot(folder.uri.fsPath, folder);
  }

  private forRoot(root: string, folder?: vscode.WorkspaceFolder): FolderWorkspace {
    let fw = this.byRoot.get(root);
    if (!fw) {
      const playbookDir = playbookDirSetting(folder?.uri);
      const ws = Workspace.open(root, { playbookDir });
      fw = { root, folder, ws, hasOwnPlaybook: !ws.playbook.isDefault, indexed: false };
      this.byRoot.set(root, fw);
    }
    return fw;
  }

  all(): FolderWorkspace[] {
    return [...this.byRoot.values()];
  }

  /** The FolderWorkspace of every workspace folder (creating them). */
  workspaceFolders(): FolderWorkspace[] {
    return (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => this.forFolder(f));
  }

  /** Forget folders (settings changed, folders removed): they are recreated on next use. */
  reset(): void {
    this.byRoot.clear();
  }

  /** Is the document a file of some folder's playbook? */
  playbookFolderOf(doc: vscode.TextDocument): FolderWorkspace | undefined {
    if (doc.uri.scheme !== 'file' || !/\.md$/i.test(doc.uri.fsPath)) return undefined;
    const fw = this.forUri(doc.uri);
    if (!fw) return undefined;
    const dir = path.resolve(fw.ws.playbook.dir);
    return path.dirname(doc.uri.fsPath) === dir && !fw.ws.playbook.isDefault ? fw : undefined;
  }

  /** Is the document a post (and not a playbook file)? */
  isPost(doc: vscode.TextDocument): boolean {
    if (doc.languageId !== 'markdown') return false;
    if (doc.uri.scheme !== 'file' && doc.uri.scheme !== 'untitled') return false;
    const fw = this.forUri(doc.uri);
    if (!fw) return false;
    if (doc.uri.scheme === 'file') {
      const file = doc.uri.fsPath;
      if (this.playbookFolderOf(doc)) return false;
      const globs = vscode.workspace.getConfiguration('unscripted', doc.uri).get<string[]>('posts', ['posts/**/*.md']);
      for (const g of globs) {
        if (vscode.languages.match({ pattern: new vscode.RelativePattern(fw.root, g) }, doc) > 0) return true;
      }
      // Sample posts beside a workspace playbook.
      const samples = path.join(path.resolve(fw.ws.playbook.dir), 'posts') + path.sep;
      if (!fw.ws.playbook.isDefault && file.startsWith(samples)) return true;
    }
    return hasChannelsFrontMatter(doc.getText(new vscode.Range(0, 0, 60, 0)));
  }

  /** Reload a folder's playbook, taking the text of open (possibly unsaved) playbook documents. */
  reloadPlaybook(fw: FolderWorkspace): void {
    const dir = path.resolve(fw.ws.playbook.isDefault ? path.join(fw.root, 'playbooks') : fw.ws.playbook.dir);
    const overlay = new Map<string, string>();
    for (const d of vscode.workspace.textDocuments) {
      if (d.uri.scheme === 'file' && d.isDirty && path.dirname(d.uri.fsPath) === dir && /\.md$/i.test(d.uri.fsPath))
        overlay.set(d.uri.fsPath, d.getText());
    }
    fw.ws.playbook = loadPlaybookSync({ workspaceRoot: fw.root, playbookDir: playbookDirSetting(fw.folder?.uri), overlay });
    fw.hasOwnPlaybook = !fw.ws.playbook.isDefault;
  }

  dispose(): void {
    this.byRoot.clear();
  }
}

const CHANNELS_KEY = /^channels\s*:/m;

function hasChannelsFrontMatter(head: string): boolean {
  if (!/^---\r?\n/.test(head)) return false;
  const end = head.indexOf('\n---', 3);
  const fm = end < 0 ? head : head.slice(0, end);
  return CHANNELS_KEY.test(fm);
}
