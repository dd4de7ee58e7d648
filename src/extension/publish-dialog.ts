/**
 * The words of the publish confirmation (no `vscode` here, so they are tested as plain text):
 * which channels will and will not get the post, whether it is a draft, its lint errors and
 * warnings. When anything is off (errors, a channel left out), the first button — the one Enter
 * presses — is the safe one and publishes nothing.
 */
import type { ChannelPlan } from '../core/publish/publisher';
import type { Finding } from '../core/types';

export const SHOW_PROBLEMS = 'Show the problems (publish nothing)';

export interface ConfirmDialog {
  message: string;
  detail: string;
  /** In order: the first is the default (Enter). */
  buttons: string[];
  /** The button that publishes. */
  publish: string;
  /** Publishing needs the lint override (recorded in the post). */
  forceLint: boolean;
}

const list = (xs: string[]) => xs.join(', ');

export function confirmDialog(o: {
  title: string;
  plan: ChannelPlan[];
  findings: Finding[];
  lintErrors: Finding[];
  status?: string;
  preview: string;
}): ConfirmDialog {
  const will = o.plan.filter((p) => p.state === 'send' || p.state === 'resume');
  const wont = o.plan.filter((p) => p.state === 'blocked');
  const done = o.plan.filter((p) => p.state === 'done' || p.state === 'changed');
  const errors = o.lintErrors;
  const warnings = o.findings.filter((f) => f.severity === 'warning');
  const only = wont.length > 0 ? ' only' : '';
  const message = `Publish “${o.title}” to ${list(will.map((p) => p.channel))}${only}?`;
  const lines: string[] = [];
  lines.push(`Will get the post: ${list(will.map((p) => p.channel))}.`);
  for (const p of wont) lines.push(`Will NOT get the post: ${p.channel} — ${p.note ?? 'blocked'}.`);
  if (done.length) lines.push(`Already published, not sent again: ${list(done.map((p) => p.channel))}.`);
  if (o.status === 'draft') lines.push('This post is status: draft — publishing sends it as it is now.');
  if (errors.length)
    lines.push(
      `${errors.length} lint error${errors.length === 1 ? '' : 's'} (${list([...new Set(errors.map((e) => e.ruleId))])}): publishing anyway is recorded in the post.`,
    );
  if (warnings.length)
    lines.push(`${warnings.length} warning${warnings.length === 1 ? '' : 's'} (${list([...new Set(warnings.map((e) => e.ruleId))])}).`);
  const risky = errors.length > 0 || wont.length > 0;
  const target = wont.length ? `to ${list(will.map((p) => p.channel))} only` : '';
  const publish = errors.length
    ? `Publish ${target ? `${target} ` : ''}despite lint errors`
    : wont.length
      ? `Publish ${target}`
      : o.status === 'draft'
        ? 'Publish the draft'
        : 'Publish';
  return {
    message,
    detail: `${lines.join('\n')}\n\n${o.preview}`,
    buttons: risky ? [SHOW_PROBLEMS, publish] : [publish],
    publish,
    forceLint: errors.length > 0,
  };
}

/** "nothing left to send", in one line a notification shows whole. */
export function nothingToSend(rel: string, plan: ChannelPlan[]): string {
  const done = plan.filter((p) => p.state === 'done').map((p) => p.channel);
  const changed = plan.filter((p) => p.state === 'changed').map((p) => p.channel);
  const bits: string[] = [];
  if (done.length) bits.push(`already published to ${list(done)}`);
  if (changed.length) bits.push(`edited since it went to ${list(changed)} (edits are not sent)`);
  return `${rel}: nothing left to send — ${bits.join('; ') || 'no channel to send to'}.`;
}
