import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import { PACKAGE_ROOT } from './package-root';

// madge ships no types: the one call used here.

const madge = require('madge') as (dir: string, config: object) => Promise<{ obj(): Record<string, string[]> }>;

/**
 * The lint kernel's layers, lowest first (see engine.ts). A file may import files of its own
 * layer or of layers below it, never above: a rule cannot reach the runner, the runner cannot
 * reach the workspace model, and nothing below the contract knows there are rules.
 */
const LAYERS: [string, RegExp][] = [
  [
    'parsing',
    /^(types|text|limits|frontmatter|markdown|post|phrases|fixes|duration|render|voice-outline|playbook|playbook-cache|package-root|platforms|published|stale|escape)\.ts$/,
  ],
  ['prose', /^(prose|post-index)\.ts$|^voice-model\//],
  ['contract', /^rule-contract\.ts$/],
  ['rules', /^rules\//],
  ['runner', /^(engine|inline-control)\.ts$/],
  ['workspace', /^(workspace|parallel-lint|lint-worker|lint-cache)\.ts$/],
];

const layerOf = (file: string) => LAYERS.findIndex(([, re]) => re.test(file));

describe('lint kernel layers', () => {
  it('each kernel file imports only its own layer and those below it', async function () {
    this.timeout(60000);
    const res = await madge(path.join(PACKAGE_ROOT, 'src', 'core'), {
      fileExtensions: ['ts'],
      tsConfig: path.join(PACKAGE_ROOT, 'tsconfig.json'),
      excludeRegExp: [/\.test\.ts$/],
      // require() edges too (lazy loads), as .madgerc tells `npm run check:cycles`.
      detectiveOptions: { ts: { mixedImports: true }, es6: { mixedImports: true } },
    });
    const graph = res.obj();
    const kernel = Object.keys(graph).filter((f) => layerOf(f) >= 0);
    assert.ok(kernel.includes('engine.ts') && kernel.includes('rules/talking-point.ts'), `madge saw: ${Object.keys(graph).join(', ')}`);
    const wrong: string[] = [];
    for (const file of kernel) {
      for (const dep of graph[file]) {
        const to = layerOf(dep);
        if (to < 0) wrong.push(`${file} (${LAYERS[layerOf(file)][0]}) imports ${dep}, which is outside the kernel`);
        else if (to > layerOf(file)) wrong.push(`${file} (${LAYERS[layerOf(file)][0]}) imports ${dep} (${LAYERS[to][0]})`);
      }
    }
    assert.deepEqual(wrong, []);
  });
});
