/** Helpers shared by the unit tests: a fixture playbook, temp workspaces, one-call linting. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadPlaybookSync, Playbook, PACKAGE_ROOT, lintPost, BUILTIN_RULES, Finding, PostIndex } from '../src/core';

export const REPO_ROOT = PACKAGE_ROOT;
export const FIXTURE_PLAYBOOK = path.join(REPO_ROOT, 'test', 'fixtures', 'playbook');

let cached: Playbook | undefined;
export function fixturePlaybook(): Playbook {
  return (cached ??= loadPlaybookSync({ workspaceRoot: REPO_ROOT, playbookDir: FIXTURE_PLAYBOOK }));
}

export const NOW = new Date('2026-03-01T12:00:00Z');

export interface PostOptions {
  front?: string;
  playbook?: Playbook;
  now?: Date;
  index?: PostIndex;
  file?: string;
}

/** A post text: front matter (default: a draft for outbox) and a body. */
export function post(body: string, front = 'title: Test\nchannels: [outbox]\nstatus: draft'): string {
  return `---\n${front}\n---\n${body}`;
}

export function lint(body: string, opts: PostOptions = {}): Finding[] {
  return lintRaw(post(body, opts.front), opts);
}

export function lintRaw(text: string, opts: PostOptions = {}): Finding[] {
  return lintPost({
    file: opts.file ?? '/ws/posts/test.md',
    text,
    playbook: opts.playbook ?? fixturePlaybook(),
    rules: BUILTIN_RULES,
    now: opts.now ?? NOW,
    index: opts.index,
  });
}

export function only(findings: Finding[], ruleId: string): Finding[] {
  return findings.filter((f) => f.ruleId === ruleId);
}

/** A temp folder with the given files (relative path → content). */
export function tempDir(files: Record<string, string | Buffer> = {}): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'unscripted-test-'));
  for (const [rel, content] of Object.entries(files)) {
    const p = path.join(dir, rel);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, content);
  }
  return dir;
}

/** A temp workspace holding a copy of the fixture playbook plus the given files. */
export function tempWorkspace(files: Record<string, string | Buffer> = {}): string {
  const pb: Record<string, string> = {};
  for (const name of fs.readdirSync(FIXTURE_PLAYBOOK)) pb[`playbooks/${name}`] = fs.readFileSync(path.join(FIXTURE_PLAYBOOK, name), 'utf8');
  return tempDir({ ...pb, ...files });
}
