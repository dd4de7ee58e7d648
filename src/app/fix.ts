/**
 * Lint with fixes: `unscripted lint --fix` / `--fix-dry-run` and the editor's "Fix all" and
 * `source.fixAll.unscripted` select the same fixes (core/fixes.ts safeFixes: safe unattended,
 * in text order, never overlapping).
 *
 * The editor applies one pass (fixAllEdits) on purpose: its edit goes into the open document as
 * one undoable WorkspaceEdit, the document is linted again on change, and a fix that a first pass
 * made possible shows up then as a new quick fix. The CLI has no second look, so it loops passes
 * (fixText) until nothing is left: lintWithFixes and lintTextWithFixes are its use cases.
 */
import * as fs from 'node:fs';
import type { Finding } from '../core/types';
import type { LintResult, Workspace } from '../core/workspace';
import { applySafeFixes, safeFixes, type SafeFix } from '../core/fixes';

/** The edits of one fix-all pass over `findings` (the editor applies these as one WorkspaceEdit). */
export function fixAllEdits(findings: readonly Finding[]): SafeFix[] {
  return safeFixes(findings);
}

/** At most this many passes: a fix that makes another finding fixable is applied on the next pass. */
const MAX_PASSES = 10;

/** Apply safe fixes to a post's text until none is left (overlapping ones wait a pass). */
export function fixText(ws: Workspace, file: string, text: string, now?: Date): { text: string; applied: number } {
  let cur = text;
  let applied = 0;
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    const out = applySafeFixes(cur, ws.lintText(file, cur, { now }).findings);
    if (out.applied.length === 0) break;
    applied += out.applied.length;
    cur = out.text;
    ws.setPostText(file, cur);
  }
  return { text: cur, applied };
}

export interface FileFix {
  file: string;
  /** The text before and after, without a byte-order mark. */
  before: string;
  after: string;
  applied: number;
  /** The byte-order mark the file starts with ('' when none), kept when it is written back. */
  bom: string;
}

/** The fixes for a post on disk (nothing is written; `writeFix` does). Undefined when nothing applies. */
export function fixFile(ws: Workspace, file: string, now?: Date): FileFix | undefined {
  const raw = fs.readFileSync(file, 'utf8');
  const bom = raw.charCodeAt(0) === 0xfeff ? '\ufeff' : '';
  const before = raw.slice(bom.length);
  const f = fixText(ws, file, before, now);
  return f.applied ? { file, before, after: f.text, applied: f.applied, bom } : undefined;
}

export function writeFix(fix: FileFix): void {
  fs.writeFileSync(fix.file, fix.bom + fix.after);
}

/**
 * `lint --fix` / `--fix-dry-run` over posts on disk: lint each, fix the ones with fixes (written
 * back when `write`), and give the findings of the fixed text.
 */
export function lintWithFixes(
  ws: Workspace,
  files: string[],
  opts: { now?: Date; fix: boolean; write: boolean },
): { results: LintResult[]; fixes: FileFix[] } {
  const results = ws.lintFiles(files, { now: opts.now });
  const fixes: FileFix[] = [];
  if (!opts.fix) return { results, fixes };
  for (let i = 0; i < results.length; i++) {
    const r = results[i];
    if (!r.post || !r.findings.some((f) => f.fix)) continue;
    const f = fixFile(ws, r.file, opts.now);
    if (!f) continue;
    fixes.push(f);
    if (opts.write) writeFix(f);
    results[i] = ws.lintText(r.file, f.after, { now: opts.now });
  }
  return { results, fixes };
}

/** The same for a text that is not on disk (`lint --stdin --fix-dry-run`): nothing is written. */
export function lintTextWithFixes(
  ws: Workspace,
  file: string,
  text: string,
  opts: { now?: Date; fix: boolean },
): { result: LintResult; fix?: FileFix } {
  const f = opts.fix ? fixText(ws, file, text, opts.now) : { text, applied: 0 };
  const fix = f.applied ? { file, before: text, after: f.text, applied: f.applied, bom: '' } : undefined;
  return { result: ws.lintText(file, f.text, { now: opts.now }), fix };
}
