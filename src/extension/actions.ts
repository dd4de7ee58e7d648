/**
 * Quick fixes for findings (each suggestion as a replacement; allow the phrase here, in this post
 * or in the playbook; open the playbook rule; fix all), `source.fixAll.unscripted`, and the hover:
 * what to write instead first (one click applies it), then one line of why.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Explanation, Finding } from '../core/types';
import { escapeMarkdown as escapeMd } from '../core/escape';
import { fixAllEdits } from '../app/fix';
import { firstSentence } from './editor-text';
import { Linter, SOURCE, rangeOf } from './linter';

export const FIX_ALL_KIND = vscode.CodeActionKind.SourceFixAll.append('unscripted');

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
      const fixAll = this.fixAll(doc, findings, FIX_ALL_KIND);
      if (fixAll) actions.push(fixAll);
    }
    if (ctx.only && !vscode.CodeActionKind.QuickFix.intersects(ctx.only)) return actions;

    const bodyOffset = state.result.post?.bodyOffset ?? 0;
    const fw = this.linter.folders.forUri(doc.uri);
    let ours = 0;
    for (const d of ctx.diagnostics) {
      if (d.source !== SOURCE) continue;
      const f = this.linter.findingFor(state, d);
      if (!f) continue;
      ours++;
      f.suggestions.forEach((s, i) => {
        if (!s.edit) return;
        const a = new vscode.CodeAction(s.label ?? `Replace with “${s.text}”`, vscode.CodeActionKind.QuickFix);
        a.diagnostics = [d];
        a.isPreferred = i === 0 && f.suggestions.length === 1;
        a.edit = new vscode.WorkspaceEdit();
        a.edit.replace(doc.uri, new vscode.Range(doc.positionAt(s.edit.offset), doc.positionAt(s.edit.endOffset)), s.edit.text);
        actions.push(a);
      });
      if (f.offset >= bodyOffset && f.ruleId !== 'file' && f.ruleId !== 'inline-control') {
        const phrase = phraseOf(f);
        actions.push(allowHere(doc, d, f, phrase), allowInPost(doc, d, f, bodyOffset, phrase));
        const inPlaybook = phrase && fw && !fw.ws.playbook.isDefault ? allowInPlaybook(d, f, phrase) : undefined;
        if (inPlaybook) actions.push(inPlaybook);
      }
      if (f.definedAt) {
        const rel = vscode.workspace.asRelativePath(f.definedAt.file, false);
        const a = new vscode.CodeAction(`Open the playbook rule (${rel}:${f.definedAt.line})`, vscode.CodeActionKind.QuickFix);
        a.diagnostics = [d];
        a.command = { command: 'unscripted.openPlaybookRule', title: a.title, arguments: [f.definedAt.file, f.definedAt.line] };
        actions.push(a);
      }
    }
    // As markdownlint does: fix every safe finding of the file, from the Ctrl+. menu of any of them.
    if (ours > 0) {
      const all = this.fixAll(doc, findings, vscode.CodeActionKind.QuickFix);
      if (all) actions.push(all);
    }
    return actions;
  }

  private fixAll(doc: vscode.TextDocument, findings: Finding[], kind: vscode.CodeActionKind): vscode.CodeAction | undefined {
    const edits = fixAllEdits(findings);
    if (edits.length === 0) return undefined;
    const a = new vscode.CodeAction(`Fix all Unscripted problems (${edits.length})`, kind);
    a.edit = new vscode.WorkspaceEdit();
    for (const { edit } of edits) {
      a.edit.replace(doc.uri, new vscode.Range(doc.positionAt(edit.offset), doc.positionAt(edit.endOffset)), edit.text);
    }
    return a;
  }
}

/** The flagged phrase of a phrase-rule finding, if any. */
function phraseOf(f: Finding): string | undefined {
  if (!f.definedAt || !f.phrase) return undefined;
  const text = f.phrase.text.replace(/\s+/g, ' ').trim();
  return text.length > 0 && text.length <= 80 ? text : undefined;
}

/** `<!-- unscripted-disable-line rule -->` at the end of the finding's last line (the paragraph stays intact). */
function allowHere(doc: vscode.TextDocument, d: vscode.Diagnostic, f: Finding, phrase?: string): vscode.CodeAction {
  const line = doc.lineAt(f.endLine - 1);
  const a = new vscode.CodeAction(
    phrase ? `Allow “${phrase}” here (${f.ruleId} off on this line)` : `Disable ${f.ruleId} for this line`,
    vscode.CodeActionKind.QuickFix,
  );
  a.diagnostics = [d];
  a.edit = new vscode.WorkspaceEdit();
  const sep = line.text.length > 0 && !/\s$/.test(line.text) ? ' ' : '';
  a.edit.insert(doc.uri, line.range.end, `${sep}<!-- unscripted-disable-line ${f.ruleId} -->`);
  return a;
}

/** `<!-- unscripted-disable rule -->` on a line of its own at the top of the body: the rule is off for this post. */
function allowInPost(doc: vscode.TextDocument, d: vscode.Diagnostic, f: Finding, bodyOffset: number, phrase?: string): vscode.CodeAction {
  const a = new vscode.CodeAction(
    phrase ? `Allow “${phrase}” in this post (${f.ruleId} off for the post)` : `Disable ${f.ruleId} for this post`,
    vscode.CodeActionKind.QuickFix,
  );
  a.diagnostics = [d];
  a.edit = new vscode.WorkspaceEdit();
  a.edit.insert(doc.uri, doc.positionAt(bodyOffset), `<!-- unscripted-disable ${f.ruleId} -->\n\n`);
  return a;
}

/**
 * The playbook is the team's accept list: allowing a phrase everywhere removes its list item from
 * the playbook (as an unsaved edit the writer reviews and commits; the live playbook applies it at once).
 */
function allowInPlaybook(d: vscode.Diagnostic, f: Finding, phrase: string): vscode.CodeAction | undefined {
  const def = f.definedAt!;
  const pbDoc = vscode.workspace.textDocuments.find((x) => x.uri.scheme === 'file' && x.uri.fsPath === def.file);
  let lineText: string | undefined;
  try {
    lineText = pbDoc ? pbDoc.lineAt(def.line - 1).text : fs.readFileSync(def.file, 'utf8').split(/\r?\n/)[def.line - 1];
  } catch {
    return undefined;
  }
  // Only a list item of quoted phrases: never a heading or a paragraph.
  if (!lineText || !/^\s*[-*+]\s+["“]/.test(lineText)) return undefined;
  const rel = vscode.workspace.asRelativePath(def.file, false);
  const a = new vscode.CodeAction(
    `Allow “${phrase}” in the playbook (remove its entry from ${rel}:${def.line})`,
    vscode.CodeActionKind.QuickFix,
  );
  a.diagnostics = [d];
  a.edit = new vscode.WorkspaceEdit();
  a.edit.delete(vscode.Uri.file(def.file), new vscode.Range(def.line - 1, 0, def.line, 0));
  return a;
}

export class UnscriptedHover implements vscode.HoverProvider {
  constructor(private readonly linter: Linter) {}

  provideHover(doc: vscode.TextDocument, pos: vscode.Position): vscode.Hover | undefined {
    const findings = this.linter.findings(doc).filter((f) => rangeOf(f).contains(pos));
    if (findings.length === 0) return undefined;
    const md = new vscode.MarkdownString(undefined, true);
    md.isTrusted = { enabledCommands: ['unscripted.openPlaybookRule', 'unscripted.applySuggestion', 'unscripted.openRuleDocs'] };
    // The message itself is in VS Code's own hover of the diagnostic. Here: what to write instead
    // first, one click to apply it; then one line of why, and a link to the rest.
    const blocks: string[] = [];
    for (const f of findings) {
      const lines: string[] = [];
      const apply = f.suggestions
        .filter((s) => s.edit)
        .map((s) => {
          const args = encodeURIComponent(
            JSON.stringify([doc.uri.toString(), doc.version, s.edit!.offset, s.edit!.endOffset, s.edit!.text]),
          );
          const title = s.label ? escapeMd(s.label) : `“${escapeMd(s.text)}”`;
          return `[${title}](command:unscripted.applySuggestion?${args} "Apply")`;
        });
      const plain = f.suggestions.filter((s) => !s.edit && s.text).map((s) => `“${escapeMd(s.text)}”`);
      const all = [...apply, ...plain];
      if (all.length) lines.push(`${f.suggestions.some((s) => s.label) ? '$(lightbulb)' : '$(lightbulb) Write'} ${all.join(' · ')}`);
      if (f.explanation) lines.push(explanationLine(f.explanation));
      const more = moreLink(f);
      if (f.rationale) {
        const r = firstSentence(f.rationale);
        lines.push(`${escapeMd(r.line)}${more ? ` [more…](${more})` : ''}`);
      } else if (more) {
        lines.push(`[About ${escapeMd(f.ruleId)}…](${more})`);
      }
      blocks.push(lines.join('  \n'));
    }
    md.appendMarkdown(blocks.join('\n\n---\n\n'));
    const range = findings.map(rangeOf).reduce((a, b) => a.intersection(b) ?? a);
    return new vscode.Hover(md, range);
  }
}

/** A model finding's evidence in one line: the score against the threshold, what weighs most, the closest team example. */
export function explanationLine(e: Explanation): string {
  const words = e.phrases.map((p) => `“${escapeMd(p.text)}”`).join(', ');
  const ex = e.example
    ? ` · closest to your ${e.example.side === 'us' ? '“Sounds like us”' : '“Not us”'} example, ${escapeMd(path.basename(e.example.file))}:${e.example.line}`
    : '';
  return `$(graph) Score ${e.score.toFixed(2)} (flagged from ${e.threshold.toFixed(2)})${words ? ` · weighs most: ${words}` : ''}${ex}`;
}

/** The rule's definition: its playbook line for playbook rules, the bundled docs page for built-in ones. */
function moreLink(f: Finding): string | undefined {
  if (f.definedAt)
    return `command:unscripted.openPlaybookRule?${encodeURIComponent(JSON.stringify([f.definedAt.file, f.definedAt.line]))} "${escapeMd(path.basename(f.definedAt.file))}:${f.definedAt.line}"`;
  if (f.docsUrl) return `command:unscripted.openRuleDocs?${encodeURIComponent(JSON.stringify([f.ruleId]))}`;
  return undefined;
}

/** The hover's one-click suggestion: applied only to the version of the document it was made for. */
export async function applySuggestion(uri: string, version: number, offset: number, endOffset: number, text: string): Promise<boolean> {
  const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri);
  if (!doc || doc.version !== version) {
    void vscode.window.showInformationMessage('The post changed since this suggestion was made: hover again to apply it.');
    return false;
  }
  const edit = new vscode.WorkspaceEdit();
  edit.replace(doc.uri, new vscode.Range(doc.positionAt(offset), doc.positionAt(endOffset)), text);
  return vscode.workspace.applyEdit(edit);
}

/** Open a playbook file at the line that defines a rule. */
export async function openPlaybookRule(file: string, line: number): Promise<vscode.TextEditor> {
  const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
  const pos = new vscode.Position(Math.max(0, line - 1), 0);
  const editor = await vscode.window.showTextDocument(doc, { selection: new vscode.Range(pos, pos), preview: false });
  editor.revealRange(new vscode.Range(pos, pos), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  return editor;
}
