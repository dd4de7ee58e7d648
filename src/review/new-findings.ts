/**
 * What "new" means, the same for `lint --changed-since` and `review`: a finding of the post as it
 * is now that the post at the base did not have, matched by rule, message and covered text (not by
 * line, so moving a paragraph changes nothing), and — for lint — on a line added or changed since
 * the base. An old finding on an edited line (a word changed elsewhere in the sentence) is not new.
 */
import * as path from 'node:path';
import type { Finding } from '../core/types';
import type { LintResult } from '../core/workspace';
import { changeFor, filterToChangedLines, type ChangedLines } from './changed-lines';
import { systemGit, type Git } from './git';
import { findingIdentity } from './summary';

/**
 * `results` filtered to new findings on changed lines. `lintBase(file, text)` lints the base
 * version of a post as that post (the caller's workspace and clock).
 */
export async function newFindingsSince(
  results: LintResult[],
  changed: ChangedLines,
  lintBase: (file: string, text: string) => Finding[],
  g: Git = systemGit,
): Promise<LintResult[]> {
  const onLines = filterToChangedLines(results, changed);
  const wanted = new Map<string, string>(); // base path → absolute file now
  for (const r of onLines) {
    const c = changeFor(changed, r.file);
    if (!c || c.whole || r.findings.length === 0) continue;
    wanted.set(c.oldRelPath ?? c.relPath, r.file);
  }
  if (wanted.size === 0) return onLines;
  const dirs = [...new Set([...wanted.keys()].map((p) => path.posix.dirname(p)))];
  const tree = (await g.listTree(changed.repoRoot, changed.base, dirs)).filter((e) => e.type === 'blob' && wanted.has(e.path));
  const blobs = await g.readBlobs(
    changed.repoRoot,
    tree.map((e) => e.sha),
  );
  const baseText = new Map<string, string>();
  for (const e of tree) {
    const b = blobs.get(e.sha);
    if (b) baseText.set(wanted.get(e.path)!, b.toString('utf8').replace(/^\uFEFF/, ''));
  }
  return onLines.map((r) => {
    const before = baseText.get(r.file);
    if (before === undefined || !r.post) return r;
    const pool = new Map<string, number>();
    for (const f of lintBase(r.file, before)) {
      const k = findingIdentity(f, before);
      pool.set(k, (pool.get(k) ?? 0) + 1);
    }
    const now = r.post.text;
    const findings = r.findings.filter((f) => {
      const k = findingIdentity(f, now);
      const n = pool.get(k) ?? 0;
      if (n === 0) return true;
      pool.set(k, n - 1);
      return false;
    });
    return { ...r, findings };
  });
}
