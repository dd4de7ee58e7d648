/**
 * Quick fixes for findings (each suggestion as a replacement, disable the rule on this line,
 * open the playbook rule), `source.fixAll.unscripted`, and the hover with the rationale.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Finding } from '../core/types';
import { safeFixes, type SafeFix } from '../core/fixes';
import { Linter, SOURCE, ruleIdOf } from './linter';

export const FIX_ALL_KIND = vscode.CodeActionKind.SourceFixAll.append('unscripted');

function findingRange(f: Finding): vscode.Range {
  return new vscode.Range(f.line - 1, f.column - 1, f.endLine - 1, f.endColumn - 1);
}

/** The finding a diagnostic was made from. */
function findingFor(findings: Finding[], d: vscode.Diagnostic): Finding | undefined {
  const id = ruleIdOf(d);
  return findings.find((f) => f.ruleId === id && f.message === d.message && findingRange(f).isEqual(d.range));
}

/** The fixes safe to apply without asking: one implementation, shared with `unscripted lint --fix`. */
export function unambiguousEdits(findings: Finding[]): SafeFix[] {
  return safeFixes(findings);
}

export class UnscriptedCodeActions implements vscode.CodeActionProvider {
  static readonly metadata: vscode.CodeActionProviderMetadata = {
    providedCodeActionKinds: [vscode.CodeActionKind.QuickFix, FIX_ALL_KIND],
  };

  constructor(private readonly linter: Linter) {}

  provideCodeActions(doc: vscode.TextDocument, _range: vscode.Range, ctx: vscode.CodeActionContext): vscode.CodeAction[] {
    const state = this.linter.state(doc.uri);
    if (!state || state.version !== doc.version) return [];
    const findings = state.result.findings;
    const actions: vscode.CodeAction[] = [];
    // source.fixAll.unscripted (and source.fixAll, source): only when asked for, e.g. on save.
    if (ctx.only && FIX_ALL_KIND.intersects(ctx.only)) {
      const fixAll = this.fixAll(doc, findings);
      if (fixAll) actions.push(fixAll);
    }
    if (ctx.only && !vscode.CodeActionKind.QuickFix.intersects(ctx.only)) return actions;

    const bodyOffset = state.result.post?.bodyOffset ?? 0;
    for (const d of ctx.diagnostics) {
      if (d.source !== SOURCE) continue;
      const f = findingFor(findings, d);
      if (!f) continue;
      f.suggestions.forEach((s, i) => {
        if (!s.edit) return;
        const a = new vscode.CodeAction(`Replace with “${s.text}”`, vscode.CodeActionKind.QuickFix);
        a.diagnostics = [d];
        a.isPreferred = i === 0 && f.suggestions.length === 1;
        a.edit = new vscode.WorkspaceEdit();
        a.edit.replace(doc.uri, new vscode.Range(doc.positionAt(s.edit.offset), doc.positionAt(s.edit.endOffset)), s.edit.text);
        actions.push(a);
      });
      if (f.offset >= bodyOffset && f.ruleId !== 'file' && f.ruleId !== 'inline-control') {
        const line = doc.lineAt(f.endLine - 1);
        const a = new vscode.CodeAction(`Disable ${f.ruleId} for this line`, vscode.CodeActionKind.QuickFix);
        a.diagnostics = [d];
        a.edit = new vscode.WorkspaceEdit();
        const sep = line.text.length > 0 && !/\s$/.test(line.text) ? ' ' : '';
        a.edit.insert(doc.uri, line.range.end, `${sep}<!-- unscripted-disable-line ${f.ruleId} -->`);
        actions.push(a);
      }
      if (f.definedAt) {
        const rel = vscode.workspace.asRelativePath(f.definedAt.file, false);
        const a = new vscode.CodeAction(`Open the playbook rule (${rel}:${f.definedAt.line})`, vscode.CodeActionKind.QuickFix);
        a.diagnostics = [d];
        a.command = { command: 'unscripted.openPlaybookRule', title: a.title, arguments: [f.definedAt.file, f.definedAt.line] };
        actions.push(a);
      }
    }
    return actions;
  }

  private fixAll(doc: vscode.TextDocument, findings: Finding[]): vscode.CodeAction | undefined {
    const edits = unambiguousEdits(findings);
    if (edits.length === 0) return undefined;
    const a = new vscode.CodeAction(`Fix all unambiguous Unscripted findings (${edits.length})`, FIX_ALL_KIND);
    a.edit = new vscode.WorkspaceEdit();
    for (const { edit } of edits) {
      a.edit.replace(doc.uri, new vscode.Range(doc.positionAt(edit.offset), doc.positionAt(edit.endOffset)), edit.text);
    }
    return a;
  }
}

export class UnscriptedHover implements vscode.HoverProvider {
  constructor(private readonly linter: Linter) {}

  provideHover(doc: vscode.TextDocument, pos: vscode.Position): vscode.Hover | undefined {
    const findings = this.linter.findings(doc).filter((f) => findingRange(f).contains(pos));
    if (findings.length === 0) return undefined;
    const md = new vscode.MarkdownString(undefined, true);
    md.isTrusted = { enabledCommands: ['unscripted.openPlaybookRule'] };
    findings.forEach((f, i) => {
      if (i > 0) md.appendMarkdown('\n\n---\n\n');
      const id = f.docsUrl ? `[${f.ruleId}](${f.docsUrl})` : f.ruleId;
      // The message itself is in VS Code's own hover of the diagnostic, just above.
      md.appendMarkdown(`**Unscripted** · ${id} · ${f.severity}`);
      if (f.rationale) md.appendMarkdown(`\n\n*Why:* ${escapeMd(f.rationale)}`);
      const sugg = f.suggestions.map((s) => s.text).filter(Boolean);
      if (sugg.length) {
        md.appendMarkdown('\n\n*Try:* ');
        md.appendMarkdown(sugg.map((s) => `“${escapeMd(s)}”`).join(', '));
      }
      if (f.definedAt) {
        const args = encodeURIComponent(JSON.stringify([f.definedAt.file, f.definedAt.line]));
        const rel = vscode.workspace.asRelativePath(f.definedAt.file, false);
        md.appendMarkdown(`\n\n[Open the playbook rule](command:unscripted.openPlaybookRule?${args} "${escapeMd(path.basename(rel))}:${f.definedAt.line}") · ${escapeMd(rel)}:${f.definedAt.line}`);
      }
    });
    const range = findings.map(findingRange).reduce((a, b) => a.intersection(b) ?? a);
    return new vscode.Hover(md, range);
  }
}

function escapeMd(s: string): string {
  return s.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&');
}

/** Open a playbook file at the line that defines a rule. */
export async function openPlaybookRule(file: string, line: number): Promise<vscode.TextEditor> {
  const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
  const pos = new vscode.Position(Math.max(0, line - 1), 0);
  const editor = await vscode.window.showTextDocument(doc, { selection: new vscode.Range(pos, pos), preview: false });
  editor.revealRange(new vscode.Range(pos, pos), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  return editor;
}
