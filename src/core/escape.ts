/**
 * Escaping text for the markup Unscripted writes, one function per target, so every writer of
 * HTML/XML (the editor's preview, the review summary's <details>, the Atom feed) and of Markdown
 * (hovers, tree tooltips) escapes the same way. Markdown *table cells* in the review summary have
 * their own needs (newlines, pipes, leading list markers): review/summary-output.ts `mdText`.
 */

/** Text safe inside HTML or XML element content and double-quoted attribute values. */
export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Text shown literally in Markdown (a VS Code MarkdownString): every punctuation mark Markdown may read as syntax is backslash-escaped. */
export function escapeMarkdown(s: string): string {
  return s.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&');
}
