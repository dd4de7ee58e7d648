/**
 * Fixes applied without a person looking at each one: `unscripted lint --fix` and the editor's
 * fix-all (`source.fixAll.unscripted`) both use this module, so they always agree.
 *
 * A suggestion that only fits some contexts must not be applied blindly: "going forward" →
 * "from now on" is right in "Going forward, the library opens at nine" and nonsense in "The bus
 * kept going forward through the flood". So each phrase entry of the playbook is judged:
 *  - the playbook's own marker wins: `"prior to" → "before" (auto-fix)` is applied unattended,
 *    `… (no auto-fix)` never is;
 *  - otherwise only a formula of three or more words with exactly one suggestion is applied
 *    ("we are pleased to announce that" → "good news:"). Short phrases are everyday words
 *    too often for a blind swap; the writer still gets them as quick fixes.
 * Rules other than phrase rules opt in per finding by setting `Finding.fix` (none does today:
 * stamping `reviewed_at` or guessing a channel id needs a person).
 */
import type { Finding, TextEdit } from './types';
import type { PhraseEntry } from './phrases';

/** Words a phrase needs, without a playbook marker, before its suggestion is applied unattended. */
export const MIN_WORDS_FOR_AUTO_FIX = 3;

/** Is this phrase entry's suggestion safe to apply without a person judging the context? */
export function phraseFixIsSafe(entry: Pick<PhraseEntry, 'phrase' | 'suggestions' | 'autoFix'>): boolean {
  if (entry.suggestions.length !== 1) return false;
  if (entry.autoFix !== undefined) return entry.autoFix;
  const words = entry.phrase.trim().split(/\s+/).filter((w) => !/^\{[^}]*\}$/.test(w));
  return words.length >= MIN_WORDS_FOR_AUTO_FIX;
}

export interface SafeFix {
  finding: Finding;
  edit: TextEdit;
}

/**
 * The fixes of `findings` that are safe to apply unattended, in text order and never
 * overlapping (of two overlapping fixes the earlier one is kept; the other waits for the next run).
 */
export function safeFixes(findings: readonly Finding[]): SafeFix[] {
  const out: SafeFix[] = [];
  let lastEnd = -1;
  const sorted = [...findings].filter((f) => f.fix).sort((a, b) => a.fix!.offset - b.fix!.offset || a.fix!.endOffset - b.fix!.endOffset);
  for (const f of sorted) {
    const edit = f.fix!;
    if (edit.offset < lastEnd) continue;
    out.push({ finding: f, edit });
    lastEnd = edit.endOffset;
  }
  return out;
}

/** Apply edits (non-overlapping, as `safeFixes` returns them) to a text. */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  let out = '';
  let at = 0;
  for (const e of [...edits].sort((a, b) => a.offset - b.offset)) {
    if (e.offset < at || e.endOffset > text.length || e.endOffset < e.offset) throw new Error(`Overlapping or out-of-range edit at offset ${e.offset}`);
    out += text.slice(at, e.offset) + e.text;
    at = e.endOffset;
  }
  return out + text.slice(at);
}

/** The text with every safe fix of `findings` applied, and the fixes that were. */
export function applySafeFixes(text: string, findings: readonly Finding[]): { text: string; applied: SafeFix[] } {
  const applied = safeFixes(findings);
  return { text: applyEdits(text, applied.map((x) => x.edit)), applied };
}
