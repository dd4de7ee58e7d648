/**
 * Output formats of `unscripted lint`: stylish (people), compact (problem matchers), json
 * (tools), sarif (GitHub code scanning) and github (workflow-command annotations).
 */
import * as path from 'node:path';
import type { LintResult } from '../core/workspace';
import type { Finding } from '../core/types';
import type { Rule } from '../core/rule-contract';
import { docsUrlFor } from '../core/engine';
import type { Playbook } from '../core/playbook';

export const FORMATS = ['stylish', 'compact', 'json', 'sarif', 'github'] as const;
export type Format = (typeof FORMATS)[number];

export interface FormatOptions {
  cwd: string;
  rules?: readonly Rule[];
  playbook?: Playbook;
  color?: boolean;
  version?: string;
}

const rel = (cwd: string, file: string) => path.relative(cwd, file).split(path.sep).join('/') || path.basename(file);
/** A relative path as a URI reference (SARIF artifact locations must be valid URIs). */
const relUri = (cwd: string, file: string) => rel(cwd, file).split('/').map(encodeURIComponent).join('/');

export function formatResults(results: LintResult[], format: Format, opts: FormatOptions): string {
  switch (format) {
    case 'json':
      return JSON.stringify(toJson(results, opts.cwd));
    case 'compact':
      return compact(results, opts.cwd);
    case 'github':
      return github(results, opts.cwd);
    case 'sarif':
      return JSON.stringify(toSarif(results, opts), null, 2);
    default:
      return stylish(results, opts);
  }
}

/** The portable part of a finding: what the JSON format and the review summary show. */
export type FindingSummary = Pick<Finding, 'ruleId' | 'severity' | 'message' | 'line' | 'column' | 'endLine' | 'endColumn'>;

export function summarizeFinding(f: Finding): FindingSummary {
  return {
    ruleId: f.ruleId,
    severity: f.severity,
    message: f.message,
    line: f.line,
    column: f.column,
    endLine: f.endLine,
    endColumn: f.endColumn,
  };
}

/**
 * The JSON format, described by docs/lint-output.schema.json. `suggestions` stays a list of
 * strings (compatibility); `edits` gives, per suggestion in the same order, its replacement edit
 * (or null), and `fix` the one edit `lint --fix` would apply unattended (see core/fixes.ts).
 */
/** Suggestions the message does not already name (phrase messages say `“prior to” → “before”`): no second copy after them. */
function unnamedSuggestions(f: Finding): string[] {
  return f.phrase?.suggestionsInMessage ? [] : f.suggestions.map((s) => s.text).filter((t) => t);
}

export function toJson(results: LintResult[], cwd: string) {
  const where = (file: string) => {
    const r = path.relative(cwd, file);
    return r.startsWith('..') || path.isAbsolute(r) ? file.split(path.sep).join('/') : r.split(path.sep).join('/');
  };
  return results.map((r) => ({
    file: rel(cwd, r.file),
    messages: r.findings.map((f) => ({
      ...summarizeFinding(f),
      offset: f.offset,
      endOffset: f.endOffset,
      suggestions: f.suggestions.map((s) => s.text),
      edits: f.suggestions.map((s) => (s.edit ? { ...s.edit } : null)),
      ...(f.fix ? { fix: { ...f.fix } } : {}),
      ...(f.rationale ? { rationale: f.rationale } : {}),
      ...(f.definedAt ? { definedAt: { file: where(f.definedAt.file), line: f.definedAt.line } } : {}),
      ...(f.docsUrl ? { docsUrl: f.docsUrl } : {}),
      ...(f.explanation
        ? {
            explanation: f.explanation.example
              ? { ...f.explanation, example: { ...f.explanation.example, file: where(f.explanation.example.file) } }
              : f.explanation,
          }
        : {}),
    })),
  }));
}

/** One line per finding, always: a line break in a file name or message must not forge a problem-matcher line. */
function oneLine(s: string): string {
  return s.replace(/[\r\n\u2028\u2029\u0085]/g, (c) =>
    c === '\n' ? '\\n' : c === '\r' ? '\\r' : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

function compact(results: LintResult[], cwd: string): string {
  const lines: string[] = [];
  for (const r of results) {
    for (const f of r.findings)
      lines.push(`${oneLine(rel(cwd, r.file))}:${f.line}:${f.column}: ${f.severity} ${oneLine(f.message)} [${f.ruleId}]`);
  }
  return lines.join('\n') + (lines.length ? '\n' : '');
}

/** Workflow commands need %, CR and LF escaped, and , : in properties. */
const escData = (s: string) => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
const escProp = (s: string) => escData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');

function github(results: LintResult[], cwd: string): string {
  const lines: string[] = [];
  const level = { error: 'error', warning: 'warning', info: 'notice' } as const;
  for (const r of results) {
    for (const f of r.findings) {
      const props = [
        `file=${escProp(rel(cwd, r.file))}`,
        `line=${f.line}`,
        `col=${f.column}`,
        `endLine=${f.endLine}`,
        `endColumn=${f.endColumn}`,
        `title=${escProp(`unscripted(${f.ruleId})`)}`,
      ];
      // A sentence break, so the message and the suggestion do not run together.
      const more = unnamedSuggestions(f);
      const sugg = more.length ? `${/[.!?…]$/.test(f.message) ? '' : '.'} Try: ${more.map((s) => `“${s}”`).join(', ')}` : '';
      lines.push(`::${level[f.severity]} ${props.join(',')}::${escData(f.message + sugg)}`);
    }
  }
  return lines.join('\n') + (lines.length ? '\n' : '');
}

const C = {
  reset: '\x1b[0m',
  dim: '\x1b[2m',
  red: '\x1b[31m',
  yellow: '\x1b[33m',
  blue: '\x1b[34m',
  bold: '\x1b[1m',
  underline: '\x1b[4m',
};

function stylish(results: LintResult[], opts: FormatOptions): string {
  const color = opts.color ?? false;
  const c = (code: string, s: string) => (color ? code + s + C.reset : s);
  const out: string[] = [];
  let errors = 0;
  let warnings = 0;
  let infos = 0;
  for (const r of results) {
    if (r.findings.length === 0) continue;
    out.push(c(C.underline, rel(opts.cwd, r.file)));
    const rows = r.findings.map((f) => {
      if (f.severity === 'error') errors++;
      else if (f.severity === 'warning') warnings++;
      else infos++;
      const sev = f.severity === 'error' ? c(C.red, 'error') : f.severity === 'warning' ? c(C.yellow, 'warning') : c(C.blue, 'info');
      const more = unnamedSuggestions(f);
      const sugg = more.length ? c(C.dim, ` → ${more.join(' | ')}`) : '';
      return { pos: `${f.line}:${f.column}`, sev, sevLen: f.severity.length, msg: f.message + sugg, rule: c(C.dim, f.ruleId) };
    });
    const w = Math.max(...rows.map((x) => x.pos.length));
    for (const x of rows) out.push(`  ${c(C.dim, x.pos.padEnd(w))}  ${x.sev}${' '.repeat(7 - x.sevLen)}  ${x.msg}  ${x.rule}`);
    out.push('');
  }
  const total = errors + warnings + infos;
  if (total === 0) return '';
  const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? '' : 's'}`;
  const summary = `✖ ${plural(total, 'problem')} (${plural(errors, 'error')}, ${plural(warnings, 'warning')}${infos ? `, ${infos} info` : ''})`;
  out.push(c(C.bold + (errors ? C.red : C.yellow), summary));
  return out.join('\n') + '\n';
}

const SARIF_LEVEL = { error: 'error', warning: 'warning', info: 'note' } as const;

export function toSarif(results: LintResult[], opts: FormatOptions) {
  const ruleIds = new Set<string>();
  for (const r of results) for (const f of r.findings) ruleIds.add(f.ruleId);
  for (const r of opts.rules ?? []) ruleIds.add(r.id);
  const byId = new Map((opts.rules ?? []).map((r) => [r.id, r]));
  const ids = [...ruleIds].sort();
  const firstFinding = new Map<string, Finding>();
  for (const r of results) for (const f of r.findings) if (!firstFinding.has(f.ruleId)) firstFinding.set(f.ruleId, f);
  const rules = ids.map((id) => {
    const rule = byId.get(id);
    const cfg = opts.playbook?.rules.get(id);
    const f = firstFinding.get(id);
    const description = rule?.description ?? cfg?.title ?? id;
    const help = cfg?.rationale || f?.rationale || description;
    return {
      id,
      name: id.replace(/[^A-Za-z0-9]+(.)?/g, (_m, ch: string | undefined) => (ch ? ch.toUpperCase() : '')),
      shortDescription: { text: description },
      fullDescription: { text: help },
      help: { text: help, markdown: help },
      // Built-in rules link to their docs page; playbook rules to the playbook line that defines them.
      helpUri: docsUrlFor(id, cfg),
      defaultConfiguration: { level: SARIF_LEVEL[rule?.defaultSeverity ?? cfg?.severity ?? f?.severity ?? 'warning'] },
    };
  });
  const index = new Map(ids.map((id, i) => [id, i]));
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'unscripted',
            informationUri: 'https://github.com/unscripted/unscripted',
            version: opts.version ?? '0.0.0',
            rules,
          },
        },
        originalUriBaseIds: { SRCROOT: { uri: `file://${opts.cwd.split(path.sep).join('/')}/` } },
        results: results.flatMap((r) =>
          r.findings.map((f) => ({
            ruleId: f.ruleId,
            ruleIndex: index.get(f.ruleId)!,
            level: SARIF_LEVEL[f.severity],
            message: { text: f.message },
            locations: [
              {
                physicalLocation: {
                  artifactLocation: { uri: relUri(opts.cwd, r.file), uriBaseId: 'SRCROOT' },
                  region: {
                    startLine: f.line,
                    startColumn: f.column,
                    endLine: f.endLine,
                    endColumn: Math.max(f.endColumn, f.endLine === f.line ? f.column : 1),
                  },
                },
              },
            ],
            ...(f.suggestions.some((s) => s.edit)
              ? {
                  fixes: f.suggestions
                    .filter((s) => s.edit)
                    .map((s) => ({
                      description: { text: `Replace with “${s.text}”` },
                      artifactChanges: [
                        {
                          artifactLocation: { uri: relUri(opts.cwd, r.file), uriBaseId: 'SRCROOT' },
                          replacements: [
                            {
                              deletedRegion: { charOffset: s.edit!.offset, charLength: s.edit!.endOffset - s.edit!.offset },
                              insertedContent: { text: s.edit!.text },
                            },
                          ],
                        },
                      ],
                    })),
                }
              : {}),
          })),
        ),
      },
    ],
  };
}
