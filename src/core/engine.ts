/**
 * The runner, top of the lint kernel: parses a post once, runs every rule on it with a context
 * of its own (rule-contract.ts), stamps each report with the id of the rule that made it,
 * applies severities and inline control comments, and returns findings with 1-based positions.
 * It also checks the playbook's `rules:` entries against the rules it runs (loadPlaybookSync).
 *
 * The kernel's layers, each importing only those below it:
 *   parsing   text.ts, limits.ts, frontmatter.ts, markdown.ts, post.ts, phrases.ts, playbook.ts …
 *   prose     prose.ts (tokens, quotes, sentences, phrase matches), post-index.ts (workspace index)
 *   contract  rule-contract.ts (Rule, RuleContext, Report, phrase reporting)
 *   rules     rules/*
 *   runner    engine.ts (this file), inline-control.ts
 *   workspace workspace.ts
 */
import type { Finding, Severity } from './types';
import { closest, snapToGraphemes } from './text';
import { parsePost, type ParsedPost } from './post';
import { readPlaybook, type LoadOptions, type Playbook, type RuleConfig } from './playbook';
import { EMPTY_INDEX, type LintTrace, type WorkspaceIndex } from './post-index';
import { PostProse } from './prose';
import { reportPhraseMatches, RuleContext, type Report, type Rule } from './rule-contract';
import { BUILTIN_RULES } from './rules';
import { parseControls, isSuppressed, type Controls } from './inline-control';
import { oversizedBlockMessage, postSizeProblem, sizeProblemMessage } from './limits';

/** Structure rules that read the body (rendered length): skipped, with the voice rules, for a post over the size limit. */
const BODY_RULES = new Set(['channel-length']);

export interface LintInput {
  file: string;
  text: string;
  playbook: Playbook;
  rules: readonly Rule[];
  now?: Date;
  /** The workspace index (post-index.ts); a post linted on its own has no other posts. */
  index?: WorkspaceIndex;
  /** The post, when the caller has parsed it already. */
  post?: ParsedPost;
  /** Record what the rules read of the clock and the index (the lint cache, lint-cache.ts). */
  trace?: LintTrace;
}

function severityFor(rule: Rule, playbook: Playbook, reported?: Severity): Severity | 'off' {
  const override = playbook.overrides.get(rule.id);
  if (override) return override;
  return reported ?? playbook.rules.get(rule.id)?.severity ?? rule.defaultSeverity;
}

/** Lint one post. Pure: same inputs, same findings. */
export function lintPost(input: LintInput): Finding[] {
  const post = input.post ?? parsePost(input.file, input.text);
  const facts = new PostProse(post, input.playbook);
  const now = input.now ?? new Date();
  const index = input.index ?? EMPTY_INDEX;
  const reports: { rule: Rule; report: Report }[] = [];
  const allRules = [...input.rules, ...customRules(input.playbook, input.rules)];
  // Too big to lint in full: front matter and schedule only, the body is never parsed.
  const tooBig = postSizeProblem(post);
  const rules = tooBig ? allRules.filter((r) => r.category !== 'voice' && !BODY_RULES.has(r.id)) : allRules;
  for (const rule of rules) {
    if (input.playbook.overrides.get(rule.id) === 'off') continue;
    // Each rule reports through its own context, so every report carries the id of the rule
    // that made it, whatever helper it went through (as unified's lintRule stamps ruleId).
    rule.run(new RuleContext(facts, now, index, (report) => reports.push({ rule, report }), input.trace));
  }
  const known = new Set(allRules.map((r) => r.id));
  const controls: Controls = tooBig ? { list: [], problems: [] } : parseControls(facts.prose.comments, facts.lines, known);
  const findings: Finding[] = [];
  const at = (offset: number, endOffset: number) => {
    const s = facts.lines.position(offset);
    const e = facts.lines.position(endOffset);
    return { line: s.line, column: s.column, endLine: e.line, endColumn: e.column, offset, endOffset };
  };
  if (tooBig) findings.push({ ruleId: 'file', severity: 'error', message: sizeProblemMessage(tooBig), ...at(0, 0), suggestions: [] });
  else {
    for (const b of facts.blocks) {
      if (b.entry.oversized)
        findings.push({
          ruleId: 'file',
          severity: 'warning',
          message: oversizedBlockMessage(b.entry.text.length),
          ...at(b.start, b.start),
          suggestions: [],
        });
    }
  }
  for (const { rule, report } of reports) {
    const ruleId = rule.id;
    const sev = severityFor(rule, input.playbook, report.severity);
    if (sev === 'off') continue;
    if (
      isSuppressed(
        controls,
        ruleId,
        report.anchor ?? report.offset,
        facts.lines,
        Math.max(report.endOffset, report.anchor ?? report.offset),
      )
    )
      continue;
    // Every range inside the text and on whole characters, whatever a rule computed.
    const range = snapToGraphemes(post.text, report.offset, Math.max(report.endOffset, report.offset));
    const s = facts.lines.position(range.start);
    const e = facts.lines.position(range.end);
    const cfg = input.playbook.rules.get(ruleId);
    findings.push({
      ruleId,
      severity: sev,
      message: report.message,
      line: s.line,
      column: s.column,
      endLine: e.line,
      endColumn: e.column,
      offset: range.start,
      endOffset: range.end,
      rationale: report.rationale ?? cfg?.rationale,
      suggestions: report.suggestions ?? [],
      ...(report.fix ? { fix: report.fix } : {}),
      definedAt: report.definedAt ?? cfg?.definedAt,
      docsUrl: docsUrlFor(ruleId, cfg),
      ...(report.explanation ? { explanation: report.explanation } : {}),
      ...(report.channel ? { channel: report.channel } : {}),
      ...(report.phrase ? { phrase: report.phrase } : {}),
    });
  }
  for (const p of controls.problems) {
    const range = snapToGraphemes(post.text, p.offset, p.endOffset);
    findings.push({ ...p, ...(range.start === p.offset && range.end === p.endOffset ? {} : at(range.start, range.end)), suggestions: [] });
  }
  // Rule ids in code-unit order: the same in every locale (localeCompare put "ch…" after "h…" in Czech).
  findings.sort((a, b) => a.offset - b.offset || a.endOffset - b.endOffset || (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0));
  return findings;
}

/** Where a rule is documented: the page beside a built-in rule, or the playbook line of a playbook rule. */
export function docsUrlFor(ruleId: string, cfg?: RuleConfig): string {
  if (cfg?.custom) return `file://${cfg.definedAt.file}#L${cfg.definedAt.line}`;
  return `${DOCS_BASE}/${ruleId}.md`;
}

export const DOCS_BASE = 'https://github.com/unscripted/unscripted/blob/main/src/core/rules';

/** Rules a playbook defines itself (voice/<slug>): plain phrase rules. */
function customRules(playbook: Playbook, builtins: readonly Rule[]): Rule[] {
  const out: Rule[] = [];
  const have = new Set(builtins.map((r) => r.id));
  for (const cfg of playbook.rules.values()) {
    if (have.has(cfg.id)) continue;
    out.push(playbookPhraseRule(cfg));
  }
  return out;
}

const customRuleCache = new WeakMap<RuleConfig, Rule>();

function playbookPhraseRule(cfg: RuleConfig): Rule {
  let rule = customRuleCache.get(cfg);
  if (!rule) {
    rule = {
      id: cfg.id,
      description: cfg.title,
      defaultSeverity: cfg.severity,
      category: 'voice',
      run(ctx) {
        reportPhraseMatches(
          ctx,
          cfg.id,
          (quoted) => `${quoted}: ${cfg.title.toLowerCase()} (see the playbook)`,
          undefined,
          cfg.title.toLowerCase(),
        );
      },
    };
    customRuleCache.set(cfg, rule);
  }
  return rule;
}

/**
 * Load the playbook and check its `rules:` entries against the rules that will run: an unknown
 * id is an error at its file and line (with a "did you mean"), `voice/<id>` is accepted for a
 * built-in phrase rule, and numeric options are checked against the rule's `options`. The
 * playbook layer (playbook.ts) only records the entries; the rules are known here.
 */
export function loadPlaybookSync(opts: LoadOptions, rules: readonly Rule[] = BUILTIN_RULES): Playbook {
  const pb = readPlaybook(opts);
  checkRuleOverrides(pb, rules);
  return pb;
}

const checked = new WeakSet<Playbook>();

/** Check a playbook's `rules:` entries against `rules` (once per playbook object), then apply its severities to the playbook's own rules. */
export function checkRuleOverrides(pb: Playbook, rules: readonly Rule[] = BUILTIN_RULES): void {
  if (checked.has(pb)) return;
  checked.add(pb);
  // Overrides may only name rules that exist (a typo must not silently do nothing).
  const known = new Set([...rules.map((r) => r.id), ...pb.rules.keys()]);
  for (const ref of pb.ruleRefs) {
    const err = (message: string) => pb.errors.push({ file: ref.file, line: ref.line, column: ref.column, message });
    const opts = pb.ruleOptions.get(ref.id);
    if (opts) {
      const spec = rules.find((r) => r.id === ref.id)?.options ?? {};
      for (const [name, value] of Object.entries(opts)) {
        const o = spec[name];
        if (!o) {
          const names = Object.keys(spec);
          err(
            `rules.${ref.id}: unknown option "${name}"` +
              (names.length ? ` (options: ${names.join(', ')}, severity)` : ' (this rule takes only a severity)'),
          );
          delete opts[name];
        } else if (!(value >= o.min && value <= o.max)) {
          err(`rules.${ref.id}.${name}: ${value} is outside ${o.min}–${o.max}`);
          delete opts[name];
        }
      }
    }
    if (known.has(ref.id)) continue;
    const bare = ref.id.replace(/^voice\//, '');
    if (known.has(bare)) {
      const sev = pb.overrides.get(ref.id);
      if (sev) pb.overrides.set(bare, sev);
      pb.overrides.delete(ref.id);
      continue;
    }
    pb.overrides.delete(ref.id);
    pb.ruleOptions.delete(ref.id);
    const near = closest(ref.id, known);
    err(`rules: unknown rule "${ref.id}"${near ? `: did you mean "${near}"?` : ''} (rules: ${[...known].sort().join(', ')})`);
  }
  for (const [id, sev] of pb.overrides) {
    const rule = pb.rules.get(id);
    if (rule && sev !== 'off') rule.severity = sev;
  }
}
