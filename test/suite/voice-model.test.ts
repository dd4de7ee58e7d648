/**
 * institutional-voice in a real extension host: the team's examples playbook re-lints open posts
 * as it is edited (unsaved), and the hover shows the model's evidence.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { api, closeAll, fileUri, hoverText, open, ours, root, waitForDiagnostics } from './helpers';

const POST = 'posts/voice-model.md';
const EXAMPLES = 'playbooks/examples.md';
const BORDERLINE = 'Bin collections move to Thursdays from next week across the borough.';
const NOT_US = 'Bin collections move to Thursdays from next week across the whole borough, as previously advised.';

describe('institutional-voice in a real extension host', () => {
  const created: string[] = [];
  before(async () => {
    await api();
  });
  after(async () => {
    await closeAll();
    for (const f of created) fs.rmSync(f, { force: true });
  });

  it('a "Not us" example typed into the examples playbook (unsaved) flags a post like it at once; the hover shows the score and the example; reverting clears it', async () => {
    const post = path.join(root(), POST);
    fs.writeFileSync(post, `---\ntitle: Bins\nchannels: [outbox]\nstatus: draft\n---\n${BORDERLINE}\n`);
    const examples = path.join(root(), EXAMPLES);
    fs.writeFileSync(
      examples,
      '---\nkind: examples\n---\n## Sounds like us\n\n- Ha, the ducks got there first this morning, sorry folks!\n\n## Not us\n\n',
    );
    created.push(post, examples);
    const uri = fileUri(POST);
    const a = await api();
    const editor = await open(POST);
    await new Promise<void>((resolve) => {
      const done = () => a.linter.state(uri)?.version === editor.document.version;
      if (done()) return resolve();
      const sub = a.linter.onDidLint(() => {
        if (done()) {
          sub.dispose();
          resolve();
        }
      });
    });
    assert.ok(!ours(uri).some((d) => /^Reads institutional/.test(d.message)), 'no voice finding before the example');

    const ed = await open(EXAMPLES);
    const flagged = waitForDiagnostics(
      uri,
      (d) => d.some((x) => /^Reads institutional/.test(x.message)),
      'institutional-voice after the example was typed',
    );
    await ed.edit((e) => e.insert(new vscode.Position(ed.document.lineCount, 0), `- ${NOT_US}\n`));
    assert.equal(ed.document.isDirty, true, 'the example is not saved');
    const ds = await flagged;
    const d = ds.find((x) => /^Reads institutional/.test(x.message))!;
    assert.match(d.message, /closest to your “Not us” example at playbooks\/examples\.md:10$/);
    assert.equal(d.range.start.line, 5);

    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, d.range.start.translate(0, 2));
    const text = hoverText(hovers);
    assert.match(text, /Score [01]\.\d\d \(flagged from 0\.\d\d\) · weighs most: “[^”]+”/);
    assert.match(text, /closest to your “Not us” example, examples\.md:10/);

    const cleared = waitForDiagnostics(uri, (x) => !x.some((y) => /^Reads institutional/.test(y.message)), 'no voice finding after revert');
    await vscode.commands.executeCommand('workbench.action.files.revert');
    await cleared;
  });
});
