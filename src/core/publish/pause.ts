/**
 * Pausing and resuming publishing are edits to the playbook's schedule file (`paused:` and
 * `pause_reason:` in its front matter), so they are reviewed and versioned like any change.
 */
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import type { Playbook } from '../playbook';
import { setTopLevel, writeFileAtomic } from './ledger';

export interface PauseResult {
  file: string;
  created: boolean;
}

export async function setPaused(playbook: Playbook, paused: boolean, reason?: string): Promise<PauseResult> {
  if (playbook.isDefault) {
    throw new Error(
      'this workspace uses the shipped default playbook: run `unscripted init` to get your own playbooks/ folder, then pause or resume there',
    );
  }
  if (paused && !reason?.trim()) throw new Error('say why publishing is paused (pause_reason)');
  let file = playbook.schedule.file;
  let text: string;
  let created = false;
  if (file) {
    text = await fsp.readFile(file, 'utf8');
  } else {
    file = path.join(playbook.dir, 'schedule.md');
    text = '---\nkind: schedule\n---\n# Schedule policy\n';
    created = true;
  }
  let next = setTopLevel(text, 'paused', paused);
  next = setTopLevel(next, 'pause_reason', paused ? reason!.trim() : null);
  await writeFileAtomic(file, next);
  return { file, created };
}
