/**
 * The `unscripted` task type's command lines, kept apart from src/extension/tasks.ts (which needs
 * the editor) so they can be tested without VS Code.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export const TASK_TYPE = 'unscripted';
export const PROBLEM_MATCHER = '$unscripted';

export interface UnscriptedTaskDefinition {
  type: typeof TASK_TYPE;
  [key: string]: unknown;
  /** lint (default) or review. */
  command?: 'lint' | 'review';
  /** Paths to lint, relative to the workspace folder (default: the whole workspace). */
  paths?: string[];
  /** Playbook folder, relative to the workspace folder. */
  playbook?: string;
  /** Lint only lines added or changed since this git ref (lint), or the base to review against (review). */
  changedSince?: string;
  /** Extra CLI arguments, appended as given. */
  args?: string[];
}

/** The CLI arguments a task definition stands for (after the script path). */
export function taskArgs(def: UnscriptedTaskDefinition): string[] {
  const command = def.command === 'review' ? 'review' : 'lint';
  const args: string[] = [command];
  if (command === 'review') {
    args.push('--base', def.changedSince || 'origin/main', '--format', 'markdown');
  } else {
    args.push('--format', 'compact');
    if (def.changedSince) args.push('--changed-since', def.changedSince);
  }
  if (def.playbook) args.push('--playbook', def.playbook);
  if (Array.isArray(def.args)) args.push(...def.args.map(String));
  if (command === 'lint' && Array.isArray(def.paths)) {
    // A path that starts with a dash would read as an option: anchor it at the folder.
    args.push(...def.paths.map((p) => (String(p).startsWith('-') ? `./${p}` : String(p))));
  }
  return args;
}

export function taskLabel(def: UnscriptedTaskDefinition): string {
  if (def.command === 'review') return `Review changes since ${def.changedSince || 'origin/main'}`;
  if (def.changedSince) return `Lint Changed Lines since ${def.changedSince}`;
  if (def.paths?.length) return `Lint ${def.paths.join(', ')}`;
  return 'Lint Workspace';
}

/**
 * The CLI script to run, first found of:
 *  1. `dist/cli.js` in the extension (a bundled CLI, when the build makes one);
 *  2. `bin/unscripted.js` in the extension, when its compiled `out/` is there (a development host);
 *  3. the workspace's own install, `node_modules/unscripted/bin/unscripted.js`.
 */
export function findCli(extensionPath: string, folder?: string): string | undefined {
  const candidates = [
    path.join(extensionPath, 'dist', 'cli.js'),
    fs.existsSync(path.join(extensionPath, 'out', 'src', 'cli', 'main.js')) ? path.join(extensionPath, 'bin', 'unscripted.js') : '',
    folder ? path.join(folder, 'node_modules', 'unscripted', 'bin', 'unscripted.js') : '',
  ];
  return candidates.find((c) => c && fs.existsSync(c));
}
