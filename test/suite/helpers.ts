/**
 * Event-driven helpers for the extension-host suite: every wait is on a VS Code event
 * (diagnostics, documents, tree refresh), never on a fixed sleep. Mocha's timeout bounds them.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { UnscriptedApi } from '../../src/extension/extension';

export const EXTENSION_ID = 'unscripted.unscripted';

export function record(key: string, value: unknown): void {
  const g = globalThis as Record<string, unknown>;
  const extra = (g.__unscriptedExtra ??= {}) as Record<string, unknown>;
  extra[key] = value;
}

export function root(): string {
  const f = vscode.workspace.workspaceFolders?.[0];
  if (!f) throw new Error('the suite needs a workspace folder (test/suite/fixture-workspace)');
  return f.uri.fsPath;
}

export function fileUri(rel: string): vscode.Uri {
  return vscode.Uri.file(path.join(root(), rel));
}

export async function api(): Promise<UnscriptedApi> {
  const ext = vscode.extensions.getExtension<UnscriptedApi>(EXTENSION_ID);
  if (!ext) throw new Error(`extension ${EXTENSION_ID} is not installed in this host`);
  return ext.isActive ? ext.exports : ext.activate();
}

export function ours(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'unscripted');
}

/**
 * Resolves with the document's Unscripted diagnostics once `ok` holds for them: checked now and
 * on every onDidChangeDiagnostics for that document.
 */
export function waitForDiagnostics(
  uri: vscode.Uri,
  ok: (d: vscode.Diagnostic[]) => boolean,
  what = 'diagnostics',
): Promise<vscode.Diagnostic[]> {
  return new Promise((resolve, reject) => {
    const now = ours(uri);
    if (ok(now)) {
      resolve(now);
      return;
    }
    const timer = setTimeout(() => {
      sub.dispose();
      reject(new Error(`timed out waiting for ${what} on ${path.basename(uri.fsPath)}; have ${JSON.stringify(ours(uri).map(brief))}`));
    }, 25_000);
    const sub = vscode.languages.onDidChangeDiagnostics((e) => {
      if (!e.uris.some((u) => u.toString() === uri.toString())) return;
      const d = ours(uri);
      if (ok(d)) {
        clearTimeout(timer);
        sub.dispose();
        resolve(d);
      }
    });
  });
}

/** The next diagnostics change of the document, whatever it holds. */
export function nextDiagnostics(uri: vscode.Uri): Promise<vscode.Diagnostic[]> {
  return new Promise((resolve) => {
    const sub = vscode.languages.onDidChangeDiagnostics((e) => {
      if (e.uris.some((u) => u.toString() === uri.toString())) {
        sub.dispose();
        resolve(ours(uri));
      }
    });
  });
}

export function brief(d: vscode.Diagnostic): string {
  const code = typeof d.code === 'object' ? d.code.value : d.code;
  const r = d.range;
  return `${code}@${r.start.line}:${r.start.character}-${r.end.line}:${r.end.character} ${d.message}`;
}

export function ruleIds(ds: vscode.Diagnostic[]): string[] {
  return ds.map((d) => String(typeof d.code === 'object' ? d.code.value : d.code));
}

export async function open(rel: string): Promise<vscode.TextEditor> {
  const doc = await vscode.workspace.openTextDocument(fileUri(rel));
  return vscode.window.showTextDocument(doc, { preview: false });
}

/** Waits for a document to be closed (its model disposed). */
export function whenClosed(uri: vscode.Uri): Promise<void> {
  return new Promise((resolve) => {
    if (!vscode.workspace.textDocuments.some((d) => d.uri.toString() === uri.toString())) {
      resolve();
      return;
    }
    const sub = vscode.workspace.onDidCloseTextDocument((d) => {
      if (d.uri.toString() === uri.toString()) {
        sub.dispose();
        resolve();
      }
    });
  });
}

/** Close every editor, reverting unsaved changes to the workspace's files (no save prompts). */
export async function closeAll(): Promise<void> {
  const inWorkspace = (d: vscode.TextDocument) => d.uri.scheme === 'file' && d.uri.fsPath.startsWith(root() + path.sep);
  for (const doc of vscode.workspace.textDocuments) {
    if (!doc.isDirty || !(inWorkspace(doc) || doc.uri.scheme === 'untitled')) continue;
    for (let attempt = 0; ; attempt++) {
      try {
        await vscode.window.showTextDocument(doc, { preview: false });
        await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
        break;
      } catch (e) {
        // "another editor opened in the meantime": the workbench was busy; once more.
        if (attempt >= 2) throw e;
      }
    }
  }
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  const dirty = vscode.workspace.textDocuments.filter((d) => d.isDirty && inWorkspace(d)).map((d) => d.uri.fsPath);
  if (dirty.length) throw new Error(`documents still have unsaved changes after closing: ${dirty.join(', ')}`);
}

export async function setConfig(key: string, value: unknown): Promise<void> {
  const cfg = vscode.workspace.getConfiguration('unscripted');
  if (JSON.stringify(cfg.inspect(key)?.workspaceValue) === JSON.stringify(value)) return;
  const changed = new Promise<void>((resolve) => {
    const sub = vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration(`unscripted.${key}`)) {
        sub.dispose();
        resolve();
      }
    });
  });
  await cfg.update(key, value, vscode.ConfigurationTarget.Workspace);
  await changed;
}

/** Resolves once `ok()` holds: checked now and after each onDidChangeTreeData of the Playbook view. */
export function waitForTree(a: UnscriptedApi, ok: () => boolean, what = 'the Playbook view'): Promise<void> {
  return new Promise((resolve, reject) => {
    if (ok()) {
      resolve();
      return;
    }
    const timer = setTimeout(() => {
      sub.dispose();
      reject(new Error(`timed out waiting for ${what}`));
    }, 25_000);
    const sub = a.tree.onDidChangeTreeData(() => {
      if (ok()) {
        clearTimeout(timer);
        sub.dispose();
        resolve();
      }
    });
  });
}

/** The text of hovers, Markdown escapes removed. */
export function hoverText(hovers: vscode.Hover[]): string {
  return hovers
    .flatMap((h) => h.contents)
    .map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : ''))
    .join('\n')
    .replace(/\\([\\`*_{}[\]()#+\-.!|<>])/g, '$1');
}
