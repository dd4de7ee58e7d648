/**
 * "Unscripted: Open Rule Documentation": the rule pages ship inside the extension (dist/rules,
 * copied from src/core/rules/*.md by the build) and open in VS Code's Markdown preview, offline.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { Linter, ruleDocFile } from './linter';

export async function openRuleDocs(context: vscode.ExtensionContext, linter: Linter, ruleId?: string): Promise<vscode.Uri | undefined> {
  let id = typeof ruleId === 'string' ? ruleId : undefined;
  if (!id) {
    // The finding under the cursor, else a pick from every bundled page.
    const ed = vscode.window.activeTextEditor;
    const at =
      ed &&
      linter
        .findings(ed.document)
        .find((f) => f.line - 1 <= ed.selection.active.line && ed.selection.active.line <= f.endLine - 1 && ruleDocFile(f.ruleId));
    if (at) id = at.ruleId;
  }
  if (!id) {
    const dir = context.asAbsolutePath(path.join('dist', 'rules'));
    const ids = fs.existsSync(dir)
      ? fs
          .readdirSync(dir)
          .filter((n) => n.endsWith('.md'))
          .map((n) => n.slice(0, -3))
          .sort()
      : [];
    id = await vscode.window.showQuickPick(ids, { title: 'Unscripted: rule documentation' });
    if (!id) return undefined;
  }
  const file = ruleDocFile(id);
  if (!file) {
    void vscode.window.showInformationMessage(
      `No bundled documentation for ${id}: it is defined in the playbook (Open the playbook rule).`,
    );
    return undefined;
  }
  const uri = vscode.Uri.file(file);
  await vscode.commands.executeCommand('markdown.showPreview', uri);
  return uri;
}
