import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';

const manifest = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', '..', 'package.json'), 'utf8'));

describe('extension manifest', () => {
  it('settings with Markdown (`code`, #setting# links) use markdownDescription, so the Settings editor renders it', () => {
    const props = manifest.contributes.configuration.properties as Record<string, { description?: string; markdownDescription?: string }>;
    const raw = Object.entries(props)
      .filter(([, p]) => p.description && /`|#[\w.]+#|\*\*/.test(p.description))
      .map(([k]) => k);
    assert.deepEqual(raw, []);
    assert.ok(
      Object.values(props).some((p) => p.markdownDescription),
      'the check has something to look at',
    );
  });
  it("the details page is the extension's own README, and the VSIX carries the publishing chunk and the rule pages", () => {
    assert.match(manifest.scripts.package, /--readme-path docs\/extension-readme\.md/);
    const ignore = fs.readFileSync(path.join(__dirname, '..', '..', '..', '.vscodeignore'), 'utf8');
    for (const f of ['!dist/publish.js', '!dist/rules/**', '!dist/code-cache.js']) assert.ok(ignore.includes(f), f);
    const readme = fs.readFileSync(path.join(__dirname, '..', '..', '..', 'docs', 'extension-readme.md'), 'utf8');
    for (const m of readme.matchAll(/\]\((media\/[^)]+)\)/g))
      assert.ok(fs.existsSync(path.join(__dirname, '..', '..', '..', m[1])), `${m[1]} exists`);
  });
});
