/**
 * Lint a post as it is on disk, for Lint Workspace, the editor's refresh of closed posts and the
 * CLI: a file that cannot be read as a post (too large, binary, a folder, a dangling link …)
 * becomes one `file` finding at 1:1 instead of an exception, so one bad file never stops a run.
 */
import { fileProblemFinding, readPostText, type LintOptions, type LintResult, type Workspace } from '../core/workspace';


/** Lint `file` from disk with `ws`; a file that cannot be read gives its problem as a finding. */
export function lintFromDisk(ws: Workspace, file: string, opts: LintOptions = {}): LintResult {
  const text = readPostText(file, ws.root);
  return typeof text === 'string' ? ws.lintText(file, text, opts) : { file, findings: [fileProblemFinding(text.problem)] };
}
