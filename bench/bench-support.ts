/** What the benchmarks take from the engine, in one place. */
export { Workspace, loadPlaybookSync, lintPost, BUILTIN_RULES, PostIndex, PACKAGE_ROOT as REPO } from '../src/core';
export type { Playbook } from '../src/core';
export { clearParseCache } from '../src/core/markdown';
