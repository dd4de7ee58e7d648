/**
 * Unscripted as a VS Code task: "Unscripted: Lint Workspace" runs the CLI with the compact format
 * and the `$unscripted` problem matcher (package.json `contributes.problemMatchers`), so findings land
 * in the Problems panel the way a build's do, and the task can run from tasks.json, a keybinding or
 * as a pre-launch step.
 *
 * The CLI runs as a real process (problem matchers read a process's output reliably; a
 * pseudoterminal may lose its last lines) under the editor's own Node (ELECTRON_RUN_AS_NODE), so no
 * system Node is needed. Which CLI: see `findCli`.
 *
 * tasks.json example:
 *   { "type": "unscripted", "command": "lint", "changedSince": "origin/main", "problemMatcher": ["$unscripted"] }
 */
import * as vscode from 'vscode';
import { findCli, PROBLEM_MATCHER, TASK_TYPE, taskArgs, taskLabel, type UnscriptedTaskDefinition } from './task-args';

export { findCli, PROBLEM_MATCHER, TASK_TYPE, taskArgs, taskLabel, type UnscriptedTaskDefinition };

function buildTask(
  context: vscode.ExtensionContext,
  def: UnscriptedTaskDefinition,
  scope: vscode.WorkspaceFolder | vscode.TaskScope.Workspace,
  name = taskLabel(def),
): vscode.Task {
  const cwd = typeof scope === 'object' ? scope.uri.fsPath : vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  const cli = findCli(context.extensionPath, cwd);
  const args = taskArgs(def);
  const execution = cli
    ? new vscode.ProcessExecution(process.execPath, [cli, ...args], { cwd, env: { ELECTRON_RUN_AS_NODE: '1', NO_COLOR: '1' } })
    : // No CLI found: the workspace's PATH may still have one (npm i -g unscripted).
      new vscode.ShellExecution('unscripted', args, { cwd });
  const isLint = def.command !== 'review';
  const task = new vscode.Task(def, scope, name, 'unscripted', execution, isLint ? [PROBLEM_MATCHER] : []);
  task.group = isLint ? vscode.TaskGroup.Test : undefined;
  task.presentationOptions = { reveal: vscode.TaskRevealKind.Silent, clear: true };
  task.detail = `unscripted ${args.join(' ')}`;
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
      const scope = task.scope && typeof task.scope === 'object' ? task.scope : vscode.TaskScope.Workspace;
      // Keep the user's label and definition object: VS Code matches resolved tasks by definition.
      return buildTask(context, def, scope, task.name);
    },
  };
  context.subscriptions.push(vscode.tasks.registerTaskProvider(TASK_TYPE, provider));
}
