/** The campaigns New Post offers (no `vscode` import, so unit tests reach it). */
import * as path from 'node:path';
import type { Playbook } from '../core/playbook';

/** Campaigns New Post offers: the team's own; none from the shipped default playbook (its samples are not the team's). */
export function campaignChoices(pb: Playbook): string[] {
  if (pb.isDefault) return [];
  // A team playbook without talking points of its own gets the default's: leave those out too.
  const own = (f: string) => path.resolve(f).startsWith(path.resolve(pb.dir) + path.sep);
  return [...pb.campaigns].filter((c) => {
    const points = pb.talkingPoints.filter((tp) => tp.campaign === c);
    return points.length === 0 || points.some((tp) => own(tp.file));
  });
}
