/**
 * Lint a post as it is on disk, for Lint Workspace, the editor's refresh of closed posts and the
 * CLI: a file that cannot be read as a post (too large, binary, a folder, a dangling link …)
 * becomes one `file` finding at 1:1 instead of an exception, so one bad file never stops a run.
 */
import type { Finding } from '../core/types';
import { readPostText, type LintOptions, type LintResult, type Workspace } from '../core/workspace';

/** The finding for a file that cannot be linted as a post. */
export function fileProblemFinding(message: string): Finding {
  return { ruleId: 'file', severity: 'error', message, line: 1, column: 1, endLine: 1, endColumn: 1, offset: 0, endOffset: 0, suggestions: [] };
}

/** Lint `file` from disk with `ws`; a file that cannot be read gives its problem as a finding. */
export function lintFromDisk(ws: Workspace, file: string, opts: LintOptions = {}): LintResult {
  const text = readPostText(file, ws.root);
  return typeof text === 'string' ? ws.lintText(file, text, opts) : { file, findings: [fileProblemFinding(text.problem)] };
}
