/** The Unscripted engine: one core behind the CLI, the editor and CI. No VS Code here. */
export * from './types';
export { loadPlaybook, loadPlaybookSync, DEFAULT_PLAYBOOK_DIR, PACKAGE_ROOT, PHRASE_RULE_IDS, PLAYBOOK_KINDS, parseDuration, parsePhraseItem } from './playbook';
export type { Playbook, RuleConfig, Channel, SchedulePolicy, TalkingPoint, PlaybookKind } from './playbook';
export { parsePost, parseIsoWithOffset, splitThread } from './post';
export type { ParsedPost, PostMeta, ThreadPart } from './post';
export { readFrontMatter, keyRange, itemRange } from './frontmatter';
export type { FrontMatter } from './frontmatter';
export { renderParts, renderPart, renderMarkdown, countLength, platformLimit, graphemeCount } from './render';
export type { RenderedPart } from './render';
export { Workspace, readPostText, unlintable, MAX_POST_BYTES } from './workspace';
export type { LintResult, LintOptions } from './workspace';
export { lintPost, docsUrlFor, DOCS_BASE } from './engine';
export type { Rule, RuleMeta, RuleContext } from './engine';
export { BUILTIN_RULES, VOICE_RULE_IDS } from './rules';
export { formatResults, toJson, toSarif, FORMATS } from './formats';
export type { Format } from './formats';
export { PostIndex } from './post-index';
export { LineIndex, tokenize, slug } from './text';
export { platformName } from './rules/channel-length';

/** Link to a built-in rule's documentation page. */
export function ruleDocsUrl(ruleId: string): string {
  return `${require('./engine').DOCS_BASE}/${ruleId}.md`;
}
