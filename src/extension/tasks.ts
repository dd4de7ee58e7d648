/**
 * Unscripted as a VS Code task: "Unscripted: Lint Workspace" runs the CLI with the compact format
 * and the `$unscripted` problem matcher (package.json `contributes.problemMatchers`), so findings land
 * in the Problems panel the way a build's do, and the task can run from tasks.json, a keybinding or
 * as a pre-launch step.
 *
 * The CLI runs under the editor's own Node (ELECTRON_RUN_AS_NODE), so no system Node is needed.
 *
 * tasks.json example:
 *   { "type": "unscripted", "command": "lint", "changedSince": "origin/main", "problemMatcher": ["$unscripted"] }
 */
import * as path from 'node:path';
import * as vscode from 'vscode';

export const TASK_TYPE = 'unscripted';
export const PROBLEM_MATCHER = '$unscripted';

export interface UnscriptedTaskDefinition extends vscode.TaskDefinition {
  type: typeof TASK_TYPE;
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
  const command = def.command ?? 'lint';
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
  if ((def.command ?? 'lint') === 'review') return `Review changes since ${def.changedSince || 'origin/main'}`;
  if (def.changedSince) return `Lint Changed Lines since ${def.changedSince}`;
  if (def.paths?.length) return `Lint ${def.paths.join(', ')}`;
  return 'Lint Workspace';
}

function buildTask(
  context: vscode.ExtensionContext,
  def: UnscriptedTaskDefinition,
  scope: vscode.WorkspaceFolder | vscode.TaskScope.Workspace,
  name = taskLabel(def),
): vscode.Task {
  const cli = path.join(context.extensionPath, 'bin', 'unscripted.js');
  const cwd = typeof scope === 'object' ? scope.uri.fsPath : vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  const execution = new vscode.ProcessExecution(process.execPath, [cli, ...taskArgs(def)], {
    cwd,
    env: { ELECTRON_RUN_AS_NODE: '1', NO_COLOR: '1' },
  });
  const isLint = (def.command ?? 'lint') === 'lint';
  const task = new vscode.Task(def, scope, name, 'unscripted', execution, isLint ? [PROBLEM_MATCHER] : []);
  task.group = isLint ? vscode.TaskGroup.Test : undefined;
  task.presentationOptions = { reveal: vscode.TaskRevealKind.Silent, clear: true };
  task.detail = `unscripted ${taskArgs(def).join(' ')}`;
  return task;
}

export function registerTasks(context: vscode.ExtensionContext): void {
  const provider: vscode.TaskProvider = {
    provideTasks(): vscode.Task[] {
      const folders = vscode.workspace.workspaceFolders ?? [];
      return folders.map((folder) => buildTask(context, { type: TASK_TYPE, command: 'lint' }, folder));
    },
    resolveTask(task: vscode.Task): vscode.Task | undefined {
      const def = task.definition as UnscriptedTaskDefinition;
      if (def.type !== TASK_TYPE) return undefined;
      const scope =
        task.scope && typeof task.scope === 'object' ? (task.scope as vscode.WorkspaceFolder) : vscode.TaskScope.Workspace;
      // Keep the user's label and definition object: VS Code matches resolved tasks by definition.
      return buildTask(context, def, scope, task.name);
    },
  };
  context.subscriptions.push(vscode.tasks.registerTaskProvider(TASK_TYPE, provider));
}
