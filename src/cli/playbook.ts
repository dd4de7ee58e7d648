/** `unscripted playbook`: the resolved playbook (core describePlaybook), formatted for a person or a tool. */
import * as path from 'node:path';
import { formatSettingHours as hours } from '../core/duration';
import type { PlaybookDescription } from '../core/playbook-description';

const rel = (cwd: string, p: string) => {
  const r = path.relative(cwd, p);
  return (r.startsWith('..') && r.split(path.sep).filter((x) => x === '..').length > 2) || path.isAbsolute(r)
    ? p
    : r.split(path.sep).join('/') || '.';
};

function table(rows: string[][]): string[] {
  const w = rows[0].map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows.map(
    (r) =>
      '  ' +
      r
        .map((c, i) => (i === r.length - 1 ? c : c.padEnd(w[i])))
        .join('  ')
        .trimEnd(),
  );
}

export function formatPlaybookText(d: PlaybookDescription, cwd: string): string {
  const at = (ref: { file: string; line: number }) => `${rel(cwd, ref.file)}:${ref.line}`;
  const out: string[] = [];
  out.push(`Playbook: ${d.isDefault ? `${rel(cwd, d.dir)} (shipped default)` : rel(cwd, d.dir) + '/'}`);
  out.push('', 'Files:');
  for (const f of d.files)
    out.push(
      `  ${rel(cwd, f.file)}${f.fromDefault && !d.isDefault ? '  (shipped default: the team folder has no file of this kind)' : ''}`,
    );
  out.push('', 'Rules:');
  out.push(
    ...table(
      d.rules.map((r) => [
        r.id,
        r.severity,
        r.phraseCount
          ? `${r.phraseCount} phrase${r.phraseCount === 1 ? '' : 's'}${r.autoFixCount ? ` (${r.autoFixCount} auto-fix)` : ''}`
          : Object.entries(r.options ?? {})
              .map(([k, o]) => `${k} ${o.value}${o.fromPlaybook ? '' : ' (default)'}`)
              .join(', '),
        r.definedAt ? at(r.definedAt) : '(built in)',
      ]),
    ),
  );
  out.push('', 'Channels:');
  if (d.channels.length === 0) out.push('  (none declared: posts go to the built-in outbox)');
  else
    out.push(
      ...table(
        d.channels.map((c) => [
          c.id,
          c.platform,
          c.account ?? '',
          [c.limit ? `limit ${c.limit}` : '', c.host ?? '', c.publishable ? '' : 'cannot publish yet'].filter(Boolean).join(', '),
          at(c.definedAt),
        ]),
      ),
    );
  const s = d.schedule;
  const sAt = (k: keyof typeof s.lines) => (s.file && s.lines[k] ? at({ file: s.file, line: s.lines[k] }) : '(default)');
  out.push('', 'Schedule:');
  out.push(
    ...table([
      ['horizon', hours(s.horizonDays * 24), sAt('horizon')],
      ['review_window', hours(s.reviewWindowHours), sAt('review_window')],
      ['burst', `${s.burst.max} per ${hours(s.burst.windowHours)}`, sAt('burst')],
      ['paused', s.paused ? `yes: ${s.pauseReason ?? ''}` : 'no', sAt('paused')],
    ]),
  );
  const tp = d.talkingPoints;
  out.push('', `Talking points (${tp.severity}; a sentence may appear in ${tp.maxRepeats} post${tp.maxRepeats === 1 ? '' : 's'}):`);
  if (tp.campaigns.length === 0) out.push('  (none)');
  for (const c of tp.campaigns) {
    out.push(`  ${c.campaign}: ${c.points.length} talking point${c.points.length === 1 ? '' : 's'}`);
    for (const p of c.points) out.push(`    ${at(p.definedAt)}  ${p.text}`);
  }
  const us = d.examples.filter((e) => e.side === 'us');
  const notUs = d.examples.filter((e) => e.side === 'not-us');
  out.push('', `Examples (teach institutional-voice): ${us.length} sound like us, ${notUs.length} not us`);
  if (d.examples.length === 0) out.push('  (none: add a playbook file with kind: examples)');
  for (const [label, list] of [
    ['sounds like us', us],
    ['not us', notUs],
  ] as const) {
    for (const e of list) out.push(`  ${at(e.definedAt)}  ${label}: ${e.text.length > 70 ? e.text.slice(0, 69) + '…' : e.text}`);
  }
  if (d.warnings.length) {
    out.push('', 'Warnings:');
    for (const e of d.warnings) out.push(`  ${at(e)}: ${e.message}`);
  }
  if (d.errors.length) {
    out.push('', 'Errors:');
    for (const e of d.errors) out.push(`  ${at(e)}: ${e.message}`);
  }
  return out.join('\n') + '\n';
}

/** The description with paths relative to `cwd` where they are inside it, for `--format json`. */
export function playbookJson(d: PlaybookDescription, cwd: string): unknown {
  return JSON.parse(
    JSON.stringify(d, (k, v: unknown) => ((k === 'file' || k === 'dir') && typeof v === 'string' ? rel(cwd, v) : v)),
  ) as unknown;
}
