/**
 * The editor-free part of turning findings into VS Code diagnostics (no `vscode` import, so unit
 * tests reach it): the zero-based range of a finding, what its Problems row links to, and the key
 * that finds a finding again from the diagnostic VS Code hands a code action provider (which is a
 * copy, not the object the linter made: the key is computed from what survives the copy, as
 * vscode-eslint's computeKey does).
 */
import type { Finding } from '../core/types';

export const SOURCE = 'unscripted';

/** Zero-based start and end line and character, as VS Code's Range takes them. */
export interface ZeroBasedRange {
  startLine: number;
  startCharacter: number;
  endLine: number;
  endCharacter: number;
}

export function findingRange(f: Pick<Finding, 'line' | 'column' | 'endLine' | 'endColumn'>): ZeroBasedRange {
  return { startLine: f.line - 1, startCharacter: f.column - 1, endLine: f.endLine - 1, endCharacter: f.endColumn - 1 };
}

/**
 * Where the rule id in the Problems row links: the bundled page of a built-in rule when the
 * extension ships one, else the finding's own docs URL (a playbook rule's file: URL stays as is).
 */
export function ruleLink(
  f: Pick<Finding, 'ruleId' | 'docsUrl'>,
  bundledPage: (ruleId: string) => string | undefined,
): { file: string } | { url: string } | undefined {
  const local = f.docsUrl?.startsWith('file:') ? undefined : bundledPage(f.ruleId);
  if (local) return { file: local };
  return f.docsUrl ? { url: f.docsUrl } : undefined;
}

/** The key of a diagnostic made from a finding, from its range, rule id and message. */
export function diagnosticKey(range: ZeroBasedRange, ruleId: string | undefined, message: string): string {
  return `${range.startLine}:${range.startCharacter}-${range.endLine}:${range.endCharacter}|${ruleId ?? ''}|${message}`;
}

export function findingKey(f: Finding): string {
  return diagnosticKey(findingRange(f), f.ruleId, f.message);
}

/** Findings by the key of their diagnostic (the first of two identical ones wins; they act alike). */
export function findingsByKey(findings: readonly Finding[]): Map<string, Finding> {
  const map = new Map<string, Finding>();
  for (const f of findings) {
    const k = findingKey(f);
    if (!map.has(k)) map.set(k, f);
  }
  return map;
}
