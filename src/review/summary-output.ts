/**
 * The review summary as Markdown (a pull-request comment or a GitHub job summary) and as JSON.
 * Everything that comes from a post or the playbook is escaped: a title cannot break the table or
 * inject HTML into the comment.
 */
import type { ImpactEntry, PostFindings, ReviewFinding, ReviewSummary, ScheduleChange } from './summary';
import { formatDuration } from '../core/duration';
import { escapeHtml } from '../core/escape';

/** First line of the comment: lets a workflow find and update its own comment. */
export const REVIEW_MARKER = '<!-- unscripted-review -->';

/** GitHub caps a comment at 65,536 characters; stay well inside. */
const MAX_CHARS = 60_000;
const MAX_FINDINGS_PER_POST = 15;
const MAX_IMPACT_POSTS = 25;

export function renderReviewJson(s: ReviewSummary): string {
  return JSON.stringify(s, null, 2) + '\n';
}

/** Escape text for Markdown prose and table cells. */
export function mdText(s: string): string {
  return s
    .replace(/\r?\n/g, ' ')
    .replace(/[\\`*_[\]|~]/g, (c) => `\\${c}`)
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/^([#+-]|\d+\.)/, '\\$1');
}

/** Inline code that survives backticks inside. */
export function mdCode(s: string): string {
  const clean = s.replace(/\r?\n/g, ' ');
  const runs = clean.match(/`+/g) ?? [];
  const fence = '`'.repeat(Math.max(0, ...runs.map((r) => r.length)) + 1);
  const pad = clean.startsWith('`') || clean.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${clean}${pad}${fence}`;
}

function quoteText(s: string, max = 80): string {
  const one = s.replace(/\s+/g, ' ').trim();
  const cut = one.length > max ? one.slice(0, max - 1) + '…' : one;
  return `“${mdText(cut)}”`;
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

function postLabel(p: { file: string; title?: string }): string {
  return p.title ? `${mdCode(p.file)} (${mdText(p.title)})` : mdCode(p.file);
}

function scheduleLine(c: ScheduleChange): string {
  const who = postLabel(c);
  const ahead =
    c.aheadMinutes === undefined
      ? ''
      : c.aheadMinutes >= 0
        ? `, ${formatDuration(c.aheadMinutes)} ahead`
        : `, ${formatDuration(c.aheadMinutes)} in the past`;
  const pause = c.inPause ? ` — **inside the pause**${c.pauseReason ? ` (${mdText(c.pauseReason)})` : ''}` : '';
  switch (c.kind) {
    case 'newly-scheduled':
      return `- ${who}: newly scheduled for ${mdCode(c.to ?? '')}${ahead}${pause}`;
    case 'moved': {
      const dir = (c.shiftMinutes ?? 0) >= 0 ? 'later' : 'earlier';
      return `- ${who}: moved ${formatDuration(c.shiftMinutes ?? 0)} ${dir}, ${mdCode(c.from ?? '')} → ${mdCode(c.to ?? '')}${ahead}${pause}`;
    }
    case 'unscheduled':
      return `- ${who}: no longer scheduled (was ${mdCode(c.from ?? '')})`;
  }
}

function findingLine(f: ReviewFinding, prefix: string): string {
  const where = f.line === f.endLine ? `line ${f.line}` : `lines ${f.line}–${f.endLine}`;
  const text = f.text.trim() ? ` — ${quoteText(f.text)}` : '';
  return `- ${prefix}${f.severity} ${mdCode(f.ruleId)} ${where}: ${mdText(f.message)}${text}`;
}

function postFindingsBlock(p: PostFindings): string[] {
  if (p.new.length === 0 && p.fixed.length === 0) return [];
  const head = [
    p.new.length ? `${p.new.length} new` : '',
    p.fixed.length ? `${p.fixed.length} fixed` : '',
    p.unchanged ? `${p.unchanged} unchanged` : '',
  ]
    .filter(Boolean)
    .join(', ');
  const out = [`<details><summary>${escapeHtml(p.file)} — ${head}</summary>`, ''];
  const list = [
    ...p.new.map((f) => findingLine(f, `new${f.cause === 'playbook' ? ' (playbook change)' : ''}: `)),
    ...p.fixed.map((f) => findingLine(f, `fixed${f.cause === 'playbook' ? ' (playbook change)' : ''}: `)),
  ];
  out.push(...list.slice(0, MAX_FINDINGS_PER_POST));
  if (list.length > MAX_FINDINGS_PER_POST) out.push(`- …and ${list.length - MAX_FINDINGS_PER_POST} more`);
  out.push('', '</details>');
  return out;
}

function impactBlock(title: string, entries: ImpactEntry[]): string[] {
  if (entries.length === 0) return [];
  const count = entries.reduce((n, e) => n + e.findings.length, 0);
  const untouched = entries.filter((e) => !e.postChanged).length;
  const out = [
    `**${title}:** ${plural(count, 'finding')} in ${plural(entries.length, 'post')}${untouched ? ` (${untouched} not changed in this pull request)` : ''}`,
    '',
  ];
  for (const e of entries.slice(0, MAX_IMPACT_POSTS)) {
    const rules = [...new Set(e.findings.map((f) => f.ruleId))].map(mdCode).join(', ');
    const sample = e.findings
      .slice(0, 3)
      .map((f) => `line ${f.line} ${quoteText(f.text, 40)}`)
      .join('; ');
    out.push(
      `- ${postLabel(e)}${e.postChanged ? '' : ' *(not changed)*'}: ${plural(e.findings.length, 'finding')} (${rules}) — ${sample}${e.findings.length > 3 ? '; …' : ''}`,
    );
  }
  if (entries.length > MAX_IMPACT_POSTS) out.push(`- …and ${entries.length - MAX_IMPACT_POSTS} more posts`);
  out.push('');
  return out;
}

export function renderReviewMarkdown(s: ReviewSummary): string {
  const baseName = `${mdCode(s.base.ref)} (${s.base.mode === 'merge-base' ? 'merge base' : 'commit'} ${mdCode(s.base.commit.slice(0, 7))})`;
  if (s.nothingToReport) {
    return `${REVIEW_MARKER}\n**Unscripted review:** nothing to report — no post, schedule, finding or playbook changes since ${baseName}.\n`;
  }
  const out: string[] = [REVIEW_MARKER, '## Unscripted review', ''];
  const t = s.findings.totals;
  const headline = [
    plural(s.posts.added.length, 'post') + ' added',
    `${s.posts.changed.length} changed`,
    `${s.posts.removed.length} removed`,
    `**${t.new} new** ${t.new === 1 ? 'finding' : 'findings'}`,
    `${t.fixed} fixed`,
    s.playbook.changed ? '**playbook changed**' : '',
  ].filter(Boolean);
  out.push(`Compared with ${baseName}: ${headline.join(' · ')}`, '');
  for (const n of s.notes) out.push(`> Note: ${mdText(n)}`, '');

  // Posts
  const postRows = [
    ...s.posts.added.map((p) => ({ p, change: 'added' })),
    ...s.posts.changed.map((p) => ({ p, change: p.renamedFrom ? `renamed from ${mdCode(p.renamedFrom)}` : 'changed' })),
    ...s.posts.removed.map((p) => ({ p, change: 'removed' })),
  ];
  if (postRows.length) {
    out.push('### Posts', '', '| Post | Change | Status | Publish at |', '| --- | --- | --- | --- |');
    for (const { p, change } of postRows) {
      out.push(`| ${postLabel(p)} | ${change} | ${p.status ? mdText(p.status) : '—'} | ${p.publishAt ? mdCode(p.publishAt) : '—'} |`);
    }
    out.push('');
  }

  if (s.statusChanges.length) {
    out.push('### Status changes', '');
    for (const c of s.statusChanges) out.push(`- ${postLabel(c)}: ${mdText(c.from ?? 'none')} → **${mdText(c.to ?? 'none')}**`);
    out.push('');
  }

  if (s.scheduleChanges.length) {
    out.push('### Schedule changes', '');
    for (const c of s.scheduleChanges) out.push(scheduleLine(c));
    out.push('');
  }

  // Findings
  out.push('### Findings', '');
  out.push(`**${t.new} new**, ${t.fixed} fixed, ${t.unchanged} unchanged across all posts.`, '');
  const withCounts = s.findings.posts.filter((p) => p.new.length || p.fixed.length || p.unchanged);
  if (withCounts.length) {
    out.push('| Post | New | Fixed | Unchanged |', '| --- | ---: | ---: | ---: |');
    for (const p of withCounts) out.push(`| ${postLabel(p)} | ${p.new.length} | ${p.fixed.length} | ${p.unchanged} |`);
    out.push('');
  }
  for (const p of s.findings.posts) {
    const block = postFindingsBlock(p);
    if (block.length) out.push(...block, '');
  }

  // Playbook
  const pb = s.playbook;
  if (pb.changed || pb.errors.length) {
    out.push('### Playbook', '');
    if (pb.files.length) out.push(`Files: ${pb.files.map((f) => `${mdCode(f.file)} (${f.change})`).join(', ')}`, '');
    if (pb.rules.length) {
      out.push('**Rules**', '');
      for (const r of pb.rules) {
        const bits: string[] = [];
        if (r.change === 'added') bits.push(`added${r.severity?.to ? ` (${r.severity.to})` : ''}, ${plural(r.phraseCount ?? 0, 'phrase')}`);
        if (r.change === 'removed') bits.push(`removed (had ${plural(r.phraseCount ?? 0, 'phrase')})`);
        if (r.change === 'changed') {
          if (r.severity) bits.push(`severity ${r.severity.from ?? 'default'} → ${r.severity.to ?? 'default'}`);
          if (r.phrasesAdded.length)
            bits.push(
              `+${r.phrasesAdded.length} ${r.phrasesAdded.length === 1 ? 'phrase' : 'phrases'} (${r.phrasesAdded
                .slice(0, 5)
                .map((x) => quoteText(x, 40))
                .join(', ')}${r.phrasesAdded.length > 5 ? ', …' : ''})`,
            );
          if (r.phrasesRemoved.length)
            bits.push(
              `−${r.phrasesRemoved.length} ${r.phrasesRemoved.length === 1 ? 'phrase' : 'phrases'} (${r.phrasesRemoved
                .slice(0, 5)
                .map((x) => quoteText(x, 40))
                .join(', ')}${r.phrasesRemoved.length > 5 ? ', …' : ''})`,
            );
          if (r.suggestionsChanged.length) bits.push(`new suggestions for ${plural(r.suggestionsChanged.length, 'phrase')}`);
          if (r.titleChanged) bits.push(`renamed ${quoteText(r.titleChanged.from, 40)} → ${quoteText(r.titleChanged.to, 40)}`);
          if (r.rationaleChanged) bits.push('rationale reworded');
        }
        out.push(`- ${mdCode(r.id)}${r.title ? ` ${mdText(r.title)}` : ''}: ${bits.join('; ')}`);
      }
      out.push('');
    }
    if (pb.talkingPoints.added.length || pb.talkingPoints.removed.length) {
      out.push('**Talking points**', '');
      for (const tp of pb.talkingPoints.added) out.push(`- added (${mdText(tp.campaign)}): ${quoteText(tp.text, 120)}`);
      for (const tp of pb.talkingPoints.removed) out.push(`- removed (${mdText(tp.campaign)}): ${quoteText(tp.text, 120)}`);
      out.push('');
    }
    if (pb.channels.length) {
      out.push('**Channels**', '');
      for (const c of pb.channels) out.push(`- ${mdCode(c.id)} ${c.change}: ${mdText(c.detail)}`);
      out.push('');
    }
    if (pb.schedule.length) {
      out.push('**Schedule settings**', '');
      for (const c of pb.schedule) out.push(`- ${c.setting}: ${mdText(c.from)} → **${mdText(c.to)}**`);
      out.push('');
    }
    if (pb.changed) {
      out.push('#### Impact across the workspace', '');
      if (pb.impact.newlyFlagged.length === 0 && pb.impact.cleared.length === 0) {
        out.push('The playbook change flags and clears nothing in the current posts.', '');
      }
      out.push(...impactBlock('Newly flagged by the playbook change', pb.impact.newlyFlagged));
      out.push(...impactBlock('Cleared by the playbook change', pb.impact.cleared));
    }
    if (pb.errors.length) {
      out.push('**Playbook mistakes** (fix before merging)', '');
      for (const e of pb.errors.slice(0, 20)) out.push(`- ${mdCode(`${e.file}:${e.line}`)}: ${mdText(e.message)}`);
      out.push('');
    }
  }

  let text =
    out
      .join('\n')
      .replace(/\n{3,}/g, '\n\n')
      .trimEnd() + '\n';
  if (text.length > MAX_CHARS) {
    text =
      text.slice(0, MAX_CHARS).replace(/\n[^\n]*$/, '') + '\n\n…(summary truncated; run `unscripted review --format json` for all of it)\n';
  }
  return text;
}
