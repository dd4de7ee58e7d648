/**
 * The publish plan and its outcome as text: `unscripted publish` (dry run, confirmation, --due)
 * prints it and the editor's Publish Post shows it in the confirmation and the output channel.
 * A blocked channel still shows its parts, with how far each is over its limit: a length to fix
 * is fixed by reading them.
 */
import type { ChannelPlan, PlannedPart, PublishReport } from '../core/publish/publisher';
import type { Finding } from '../core/types';

export function indent(text: string, pad: string): string {
  return text
    .split('\n')
    .map((l) => (l ? pad + l : l))
    .join('\n');
}

function partLines(p: ChannelPlan, part: PlannedPart): string[] {
  const over = p.state === 'blocked' && part.limit !== undefined && part.length > part.limit ? `, ${part.length - part.limit} over` : '';
  const sent = p.state === 'resume' && part.index < p.sentParts ? ' (already sent)' : '';
  return [
    `  --- part ${part.index + 1}/${p.parts.length} · ${part.length}${part.limit ? `/${part.limit}` : ''} characters${over}${sent} ---`,
    indent(part.text, '  '),
  ];
}

/** What would go out, per channel and part; `rel` names the post. */
export function planText(plan: ChannelPlan[], rel: string): string {
  const out: string[] = [];
  for (const p of plan) {
    const head = `${rel} → ${p.channel} (${p.platform})`;
    if (p.state === 'done' || p.state === 'changed') {
      out.push(`${head}: ${p.note}`);
      continue;
    }
    if (p.state === 'blocked') out.push(`${head}: cannot publish — ${p.note}`);
    else out.push(`${head}: ${p.parts.length} part${p.parts.length === 1 ? '' : 's'}${p.state === 'resume' ? ` (${p.note})` : ''}`);
    for (const part of p.parts) out.push(...partLines(p, part));
  }
  return out.join('\n') + '\n';
}

/** What happened, one line per channel (several links for a thread). */
export function publishReportText(report: PublishReport, rel: string): string {
  const out: string[] = [];
  for (const r of report.results) {
    const mark = r.outcome === 'published' ? '✔' : r.outcome === 'already' ? '·' : r.outcome === 'skipped' ? '-' : '✖';
    const what =
      r.outcome === 'published'
        ? `published${r.urls && r.urls.length > 1 ? `:\n${r.urls.map((u) => `    ${u}`).join('\n')}` : r.url || r.id ? ` — ${r.url ?? r.id}` : ''}`
        : r.outcome === 'unknown'
          ? `outcome unknown — ${r.message}`
          : r.outcome === 'failed'
            ? `not published — ${r.message}`
            : (r.message ?? r.outcome);
    out.push(`${mark} ${rel} → ${r.channel}: ${what}`);
  }
  if (report.lintOverride?.length) out.push(`  (published despite lint errors: ${report.lintOverride.join(', ')}; recorded in the post)`);
  return out.join('\n') + '\n';
}

/** The lint errors that stop a publish. */
export function lintErrorsText(errors: Finding[], rel: string): string {
  return errors.map((f) => `  ${rel}:${f.line}:${f.column}  error  ${f.message}  ${f.ruleId}`).join('\n') + '\n';
}
