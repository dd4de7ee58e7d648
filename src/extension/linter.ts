/**
 * Diagnostics: lints posts on open, as you type (debounced, stale results dropped) and on save,
 * shows playbook mistakes on the playbook files, and re-lints every open post when the playbook
 * changes. Keeps the last findings of each document for code actions, hover and the status bar.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Finding, PlaybookError, Severity } from '../core/types';
import { readPostText, type LintResult } from '../core/workspace';
import { SOURCE, diagnosticKey, findingRange, findingsByKey, ruleLink } from './diagnostic-data';
import { FolderWorkspace, FolderWorkspaces } from './folder-workspaces';

export { SOURCE };

export interface DocState {
  version: number;
  result: LintResult;
  diagnostics: vscode.Diagnostic[];
  /** The findings by the key of their diagnostic (diagnostic-data.ts), for code actions. */
  byKey: Map<string, Finding>;
  ms: number;
}

const SEVERITY: Record<Severity, vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
};

/** Folder of the rule pages shipped in the extension (dist/rules), set at activation. */
let docsRoot: string | undefined;
export function setDocsRoot(dir: string | undefined): void {
  docsRoot = dir;
}

/** The bundled page of a built-in rule, if it ships one. */
export function ruleDocFile(ruleId: string): string | undefined {
  if (!docsRoot || !/^[a-z0-9-]+$/.test(ruleId)) return undefined;
  const file = path.join(docsRoot, `${ruleId}.md`);
  return fs.existsSync(file) ? file : undefined;
}

/**
 * One Problems row per finding: the rule id links to the rule's definition (the playbook line of a
 * playbook rule, the bundled page of a built-in rule). No related-information row: the definition
 * is one link in the hover and one quick fix.
 */
export function toDiagnostic(f: Finding): vscode.Diagnostic {
  const d = new vscode.Diagnostic(rangeOf(f), f.message, SEVERITY[f.severity]);
  d.source = SOURCE;
  const link = ruleLink(f, ruleDocFile);
  const target = link && ('file' in link ? vscode.Uri.file(link.file) : vscode.Uri.parse(link.url));
  d.code = target ? { value: f.ruleId, target } : f.ruleId;
  return d;
}

/** The editor range a finding covers. */
export function rangeOf(f: Finding): vscode.Range {
  const r = findingRange(f);
  return new vscode.Range(r.startLine, r.startCharacter, r.endLine, r.endCharacter);
}

/** The key of a diagnostic (as VS Code hands it back, a copy of ours) to look up its finding. */
export function keyOfDiagnostic(d: vscode.Diagnostic): string {
  const r = d.range;
  return diagnosticKey(
    { startLine: r.start.line, startCharacter: r.start.character, endLine: r.end.line, endCharacter: r.end.character },
    ruleIdOf(d),
    d.message,
  );
}

export function ruleIdOf(d: vscode.Diagnostic): string | undefined {
  if (d.source !== SOURCE) return undefined;
  return typeof d.code === 'object' ? String(d.code.value) : d.code !== undefined ? String(d.code) : undefined;
}

export class Linter implements vscode.Disposable {
  readonly collection = vscode.languages.createDiagnosticCollection(SOURCE);
  private readonly playbookCollection = vscode.languages.createDiagnosticCollection('unscripted-playbook');
  private readonly states = new Map<string, DocState>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly playbookTimers = new Map<string, NodeJS.Timeout>();
  private readonly disposables: vscode.Disposable[] = [];
  private readonly changed = new vscode.EventEmitter<vscode.Uri[]>();
  private readonly playbookChanged = new vscode.EventEmitter<FolderWorkspace>();
  /** Fires with the documents whose findings changed. */
  readonly onDidLint = this.changed.event;
  /** Fires after a folder's playbook was reloaded. */
  readonly onDidReloadPlaybook = this.playbookChanged.event;
  private closedGeneration = 0;
  /** Durations of the last lints, for the trace and the tests. */
  readonly timings: number[] = [];

  constructor(
    readonly folders: FolderWorkspaces,
    readonly output: vscode.OutputChannel,
  ) {
    this.disposables.push(
      this.collection,
      this.playbookCollection,
      this.changed,
      this.playbookChanged,
      vscode.workspace.onDidOpenTextDocument((d) => this.onOpen(d)),
      vscode.workspace.onDidChangeTextDocument((e) => this.onChange(e)),
      vscode.workspace.onDidSaveTextDocument((d) => this.onSave(d)),
      vscode.workspace.onDidCloseTextDocument((d) => this.onClose(d)),
      // VS Code may keep a document alive after its last tab closes: clear on the tab too.
      vscode.window.tabGroups.onDidChangeTabs((e) => this.onTabsClosed(e.closed)),
      // ... and a document shown again after that has no findings yet: lint it.
      vscode.window.onDidChangeVisibleTextEditors((editors) => {
        for (const e of editors) {
          const s = this.states.get(e.document.uri.toString());
          if ((!s || s.version !== e.document.version) && this.folders.isPost(e.document)) this.lintNow(e.document);
        }
      }),
      vscode.workspace.onDidChangeConfiguration((e) => {
        // Where the playbook and posts are: start over. Anything else: re-lint what is open.
        if (e.affectsConfiguration('unscripted.playbookDir') || e.affectsConfiguration('unscripted.posts')) this.folders.reset();
        if (e.affectsConfiguration('unscripted')) this.relintOpen();
      }),
    );
    // Playbook files, and the playbook folder itself (created or deleted as a whole).
    const onDisk = (uri: vscode.Uri) => this.onPlaybookFileOnDisk(uri);
    for (const glob of ['**/playbooks/*.md', '**/playbooks']) {
      const watcher = vscode.workspace.createFileSystemWatcher(glob);
      this.disposables.push(watcher, watcher.onDidChange(onDisk), watcher.onDidCreate(onDisk), watcher.onDidDelete(onDisk));
    }
  }

  private config(uri: vscode.Uri) {
    const c = vscode.workspace.getConfiguration('unscripted', uri);
    return {
      enable: c.get<boolean>('enable', true),
      run: c.get<'onType' | 'onSave'>('run', 'onType'),
      delay: c.get<number>('lintDelay', 25),
      trace: c.get<boolean>('trace', false),
    };
  }

  /** Lint every document shown in a tab once (activation, settings changes). */
  relintOpen(): void {
    for (const d of vscode.workspace.textDocuments) if (this.isShown(d)) this.onOpen(d);
  }

  /** Documents the writer has in a tab (VS Code keeps others in memory for a while). */
  isShown(doc: vscode.TextDocument): boolean {
    const key = doc.uri.toString();
    if (this.states.has(key)) return true;
    return vscode.window.tabGroups.all.some((g) =>
      g.tabs.some((t) => t.input instanceof vscode.TabInputText && t.input.uri.toString() === key),
    );
  }

  /** Is a lint scheduled (waiting for the typing to pause) for this document? */
  pending(uri: vscode.Uri): boolean {
    return this.timers.has(uri.toString());
  }

  state(uri: vscode.Uri): DocState | undefined {
    return this.states.get(uri.toString());
  }

  private onOpen(doc: vscode.TextDocument): void {
    if (this.folders.playbookFolderOf(doc)) {
      this.lintPlaybook(this.folders.playbookFolderOf(doc)!);
      return;
    }
    if (this.folders.isPost(doc)) this.lintNow(doc);
  }

  private onChange(e: vscode.TextDocumentChangeEvent): void {
    const doc = e.document;
    if (e.contentChanges.length === 0) return;
    const fw = this.folders.playbookFolderOf(doc);
    if (fw) {
      this.schedule(this.playbookTimers, doc, () => this.lintPlaybook(fw));
      return;
    }
    const cfg = this.config(doc.uri);
    if (cfg.run !== 'onType' || !cfg.enable) return;
    if (!this.folders.isPost(doc)) return;
    this.schedule(this.timers, doc, () => this.lintNow(doc));
  }

  private schedule(timers: Map<string, NodeJS.Timeout>, doc: vscode.TextDocument, fn: () => void): void {
    const key = doc.uri.toString();
    const old = timers.get(key);
    if (old) clearTimeout(old);
    const version = doc.version;
    timers.set(
      key,
      setTimeout(() => {
        timers.delete(key);
        // A newer keystroke has its own timer; a closed document needs nothing.
        if (doc.isClosed || doc.version !== version) return;
        fn();
      }, this.config(doc.uri).delay),
    );
  }

  private onSave(doc: vscode.TextDocument): void {
    const fw = this.folders.playbookFolderOf(doc);
    if (fw) {
      this.lintPlaybook(fw, true);
      return;
    }
    if (!this.folders.isPost(doc)) return;
    const h = this.folders.forUri(doc.uri);
    h?.ws.setPostText(doc.uri.fsPath, doc.getText());
    this.lintNow(doc);
  }

  private onClose(doc: vscode.TextDocument): void {
    const key = doc.uri.toString();
    const t = this.timers.get(key);
    if (t) clearTimeout(t);
    this.timers.delete(key);
    if (this.states.delete(key) || this.collection.has(doc.uri)) {
      this.collection.delete(doc.uri);
      this.changed.fire([doc.uri]);
    }
    const fw = this.folders.playbookFolderOf(doc);
    if (fw && doc.isDirty) this.lintPlaybook(fw, true); // unsaved playbook edits are gone: back to disk
  }

  private onTabsClosed(closed: readonly vscode.Tab[]): void {
    if (closed.length === 0) return;
    const stillOpen = new Set<string>();
    for (const g of vscode.window.tabGroups.all) {
      for (const t of g.tabs) if (t.input instanceof vscode.TabInputText) stillOpen.add(t.input.uri.toString());
    }
    for (const t of closed) {
      if (!(t.input instanceof vscode.TabInputText)) continue;
      const uri = t.input.uri;
      const key = uri.toString();
      if (stillOpen.has(key) || !this.states.has(key)) continue;
      const timer = this.timers.get(key);
      if (timer) clearTimeout(timer);
      this.timers.delete(key);
      this.states.delete(key);
      this.collection.delete(uri);
      this.changed.fire([uri]);
    }
  }

  /** Lint a document now and publish its diagnostics (unless it changed meanwhile). */
  lintNow(doc: vscode.TextDocument): DocState | undefined {
    const cfg = this.config(doc.uri);
    if (!cfg.enable) {
      this.collection.delete(doc.uri);
      return undefined;
    }
    const fw = this.folders.forUri(doc.uri);
    if (!fw) return undefined;
    const version = doc.version;
    const text = doc.getText();
    const file = doc.uri.scheme === 'file' ? doc.uri.fsPath : path.join(fw.root, 'posts', path.basename(doc.uri.path || 'untitled.md'));
    const t0 = performance.now();
    let result: LintResult;
    try {
      result = fw.ws.lintText(file, text);
    } catch (e) {
      this.output.appendLine(`[error] linting ${doc.uri.fsPath}: ${(e as Error).stack ?? String(e)}`);
      return undefined;
    }
    const ms = performance.now() - t0;
    this.timings.push(ms);
    if (this.timings.length > 50) this.timings.shift();
    if (cfg.trace)
      this.output.appendLine(`[trace] ${path.basename(file)} v${version}: ${result.findings.length} findings in ${ms.toFixed(2)} ms`);
    // Stale: the document changed or closed while we were linting.
    if (doc.isClosed || doc.version !== version) return undefined;
    const diagnostics = result.findings.map(toDiagnostic);
    const state: DocState = { version, result, diagnostics, byKey: findingsByKey(result.findings), ms };
    this.states.set(doc.uri.toString(), state);
    this.collection.set(doc.uri, diagnostics);
    this.changed.fire([doc.uri]);
    this.ensureIndexed(fw);
    return state;
  }

  /** Read every post of the folder into the cross-post index, after the first lint, off the typing path. */
  private ensureIndexed(fw: FolderWorkspace): void {
    if (fw.indexed) return;
    fw.indexed = true;
    setTimeout(() => {
      const t0 = performance.now();
      try {
        fw.ws.ensureIndexed();
      } catch (e) {
        this.output.appendLine(`[error] indexing ${fw.root}: ${(e as Error).message}`);
        return;
      }
      this.output.appendLine(`Indexed ${fw.ws.index.size} posts in ${(performance.now() - t0).toFixed(0)} ms`);
      this.relintHost(fw);
    }, 50);
  }

  /** Re-lint every open post of a folder (the playbook or the index changed). */
  relintHost(fw: FolderWorkspace): void {
    for (const d of vscode.workspace.textDocuments) {
      if (this.isShown(d) && this.folders.forUri(d.uri) === fw && this.folders.isPost(d)) this.lintNow(d);
    }
  }

  /**
   * The playbook changed (typing in it, saving it, or on disk): reload it and re-lint the open
   * posts at once. When it is saved (`settled`), findings of posts that are not open (from Lint
   * Workspace) are refreshed too, in the background.
   */
  lintPlaybook(fw: FolderWorkspace, settled = false): void {
    const t0 = performance.now();
    this.folders.reloadPlaybook(fw);
    this.showPlaybookErrors(fw);
    this.relintHost(fw);
    this.output.appendLine(`Playbook reloaded and open posts re-linted in ${(performance.now() - t0).toFixed(1)} ms`);
    this.playbookChanged.fire(fw);
    if (settled) void this.relintClosed(fw);
  }

  /** Re-lint, from disk, the posts of a folder that have findings in Problems but are not open. */
  private async relintClosed(fw: FolderWorkspace): Promise<void> {
    const generation = ++this.closedGeneration;
    const uris: vscode.Uri[] = [];
    this.collection.forEach((uri) => {
      if (uri.scheme === 'file' && !this.states.has(uri.toString()) && uri.fsPath.startsWith(fw.root + path.sep)) uris.push(uri);
    });
    for (let i = 0; i < uris.length; i++) {
      if (generation !== this.closedGeneration) return; // a newer playbook change took over
      const text = readPostText(uris[i].fsPath, fw.ws.root);
      if (typeof text === 'string' && !this.states.has(uris[i].toString())) {
        this.collection.set(uris[i], fw.ws.lintText(uris[i].fsPath, text).findings.map(toDiagnostic));
      }
      if (i % 25 === 24) await new Promise((r) => setImmediate(r));
    }
  }

  private onPlaybookFileOnDisk(uri: vscode.Uri): void {
    const folder = vscode.workspace.getWorkspaceFolder(uri);
    const fw = folder ? this.folders.forFolder(folder) : this.folders.forUri(uri);
    if (!fw) return;
    const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    if (open?.isDirty) return; // the buffer wins until it is saved or closed
    this.lintPlaybook(fw, true);
  }

  private showPlaybookErrors(fw: FolderWorkspace): void {
    const byFile = new Map<string, PlaybookError[]>();
    for (const e of fw.ws.playbook.errors) {
      const list = byFile.get(e.file) ?? [];
      list.push(e);
      byFile.set(e.file, list);
    }
    // Clear the old ones of this folder's playbook folder.
    const dir = path.resolve(fw.ws.playbook.isDefault ? path.join(fw.root, 'playbooks') : fw.ws.playbook.dir);
    this.playbookCollection.forEach((uri) => {
      if (path.dirname(uri.fsPath) === dir || uri.fsPath === dir) this.playbookCollection.delete(uri);
    });
    if (fw.ws.playbook.isDefault) return; // the shipped playbook is not the writer's to fix
    for (const [file, errors] of byFile) {
      if (path.dirname(file) !== dir && file !== dir) continue;
      this.playbookCollection.set(
        vscode.Uri.file(file),
        errors.map((e) => {
          const line = Math.max(0, e.line - 1);
          const col = Math.max(0, (e.column ?? 1) - 1);
          const d = new vscode.Diagnostic(
            new vscode.Range(line, col, line, Number.MAX_SAFE_INTEGER),
            e.message,
            vscode.DiagnosticSeverity.Error,
          );
          d.source = SOURCE;
          d.code = 'playbook';
          return d;
        }),
      );
    }
  }

  /** Set diagnostics for files that are not open (Lint Workspace). */
  publishResult(result: LintResult): void {
    const uri = vscode.Uri.file(result.file);
    const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString() && (d.isDirty || this.isShown(d)));
    if (open) {
      this.lintNow(open);
      return;
    }
    this.collection.set(uri, result.findings.map(toDiagnostic));
  }

  /** The finding a diagnostic of this document's current lint was made from. */
  findingFor(state: DocState, d: vscode.Diagnostic): Finding | undefined {
    return d.source === SOURCE ? state.byKey.get(keyOfDiagnostic(d)) : undefined;
  }

  /** Findings of a document at its current version, if any. */
  findings(doc: vscode.TextDocument): Finding[] {
    const s = this.states.get(doc.uri.toString());
    return s && s.version === doc.version ? s.result.findings : [];
  }

  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    for (const t of this.playbookTimers.values()) clearTimeout(t);
    this.timers.clear();
    this.playbookTimers.clear();
    this.states.clear();
    for (const d of this.disposables) d.dispose();
  }
}
