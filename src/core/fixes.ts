/**
 * Fixes applied without a person looking at each one: `unscripted lint --fix` and the editor's
 * fix-all (`source.fixAll.unscripted`) both use this module, so they always agree.
 *
 * A suggestion that only fits some contexts must not be applied blindly: "going forward" →
 * "from now on" is right in "Going forward, the library opens at nine" and nonsense in "The bus
 * kept going forward through the flood". So each phrase entry of the playbook says so itself:
 * `"prior to" → "before" (auto-fix)` is applied unattended; an entry without the marker (or
 * with `(no auto-fix)`) is left for the writer, who still gets it as a quick fix. A word count
 * is not enough: three-word formulas such as "public are advised" → "please" read fine alone and
 * break the sentence around them ("The please to stay indoors"), and blind-statement
 * suggestions change the claim.
 * Rules other than phrase rules opt in per finding by setting `Finding.fix` (none does today:
 * stamping `reviewed_at` or guessing a channel id needs a person).
 */
import type { Finding, TextEdit } from './types';
import type { PhraseEntry } from './phrases';

/** Is this phrase entry's suggestion safe to apply without a person judging the context? */
export function phraseFixIsSafe(entry: Pick<PhraseEntry, 'suggestions' | 'autoFix'>): boolean {
  return entry.suggestions.length === 1 && entry.autoFix === true;
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
    if (e.offset < at || e.endOffset > text.length || e.endOffset < e.offset)
      throw new Error(`Overlapping or out-of-range edit at offset ${e.offset}`);
    out += text.slice(at, e.offset) + e.text;
    at = e.endOffset;
  }
  return out + text.slice(at);
}

/** The text with every safe fix of `findings` applied, and the fixes that were. */
export function applySafeFixes(text: string, findings: readonly Finding[]): { text: string; applied: SafeFix[] } {
  const applied = safeFixes(findings);
  return {
    text: applyEdits(
      text,
      applied.map((x) => x.edit),
    ),
    applied,
  };
}
