/**
 * Lint a post as it is on disk, for Lint Workspace and the editor's refresh of closed posts. The
 * work is core's Workspace.lintFile, which the CLI and review reach through Workspace.lintFiles:
 * a file that cannot be read as a post becomes one `file` finding at 1:1 instead of an exception.
 */
import type { LintOptions, LintResult, Workspace } from '../core/workspace';

/** Lint `file` from disk with `ws`; a file that cannot be read gives its problem as a finding. */
export function lintFromDisk(ws: Workspace, file: string, opts: LintOptions = {}): LintResult {
  return ws.lintFile(file, opts);
}
