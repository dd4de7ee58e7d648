/**
 * The editor's publishing commands in a real VS Code extension host (see publish-editor/index.ts):
 * Publish Post to outbox and to a Mastodon fake (token from the environment fallback), the ledger
 * written back into the open document, pause/resume as playbook edits.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { UnscriptedApi } from '../../../src/extension/extension';
import type { PublishCommandResult } from '../../../src/extension/publish';
import { envVarName, readLedger } from '../../../src/core/publish';
import { startMastodonFake, type MastodonFake } from '../../fakes/mastodon-fake';

const TOKEN = 'editor-secret-token-5e5e5e';
const BAD_TOKEN = 'editor-bad-token-7a7a7a';

/**
 * The Unscripted output channel's text as the user sees it: VS Code backs every output channel
 * with a file under the user-data dir's logs (…/output_logging_…/<n>-Unscripted.log), which the
 * runner names in UNSCRIPTED_TEST_USER_DATA. Waits until `expect` shows up (the log is written
 * behind the channel), so the read is of the lines this test caused, not of an older file.
 */
async function outputChannelText(expect: RegExp): Promise<string> {
  const dir = process.env.UNSCRIPTED_TEST_USER_DATA;
  if (!dir) throw new Error('UNSCRIPTED_TEST_USER_DATA is not set (run through test/e2e/run-code-server.ts)');
  const find = (d: string): string[] => {
    let out: string[] = [];
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) out = out.concat(find(p));
      else if (/^\d+-Unscripted\.log$/.test(e.name) && p.includes('output_logging_')) out.push(p);
    }
    return out;
  };
  let text = '';
  for (let i = 0; i < 100; i++) {
    text = find(path.join(dir, 'logs'))
      .map((f) => fs.readFileSync(f, 'utf8'))
      .join('\n');
    if (expect.test(text)) return text;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`the Unscripted output channel's log never showed ${expect}; it holds:\n${text}`);
}

function root(): string {
  const f = vscode.workspace.workspaceFolders?.[0];
  if (!f) throw new Error('no workspace folder');
  return f.uri.fsPath;
}

async function api(): Promise<UnscriptedApi> {
  const ext = vscode.extensions.getExtension<UnscriptedApi>('unscripted.unscripted');
  if (!ext) throw new Error('extension not installed');
  return ext.isActive ? ext.exports : ext.activate();
}

describe('editor: Unscripted: Publish Post', () => {
  let fake: MastodonFake;
  before(async () => {
    fake = await startMastodonFake({ tokens: { [TOKEN]: 'news' } });
    const a = await api();
    assert.equal(a.publishLoaded(), false, 'the publishing chunk loads on first use, not at activation');
  });
  after(async () => {
    await fake?.close();
  });

  it('publishes the open post to outbox and the open document shows the ledger', async () => {
    const uri = vscode.Uri.file(path.join(root(), 'posts', 'opening.md'));
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc);
    const changed = new Promise<void>((resolve) => {
      const sub = vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.document.uri.toString() === uri.toString() && e.document.getText().includes('status: published')) {
          sub.dispose();
          resolve();
        }
      });
    });
    const res = await vscode.commands.executeCommand<PublishCommandResult>('unscripted.publish', undefined, { yes: true });
    assert.equal(res?.report?.ok, true, JSON.stringify(res?.report?.results ?? res));
    assert.ok(fs.existsSync(path.join(root(), 'outbox', 'outbox', 'opening', '2.txt')));
    await changed;
    const ledger = readLedger(doc.getText());
    assert.equal(ledger.status, 'published');
    assert.equal(ledger.published[0].channel, 'outbox');
    assert.equal((await api()).publishLoaded(), true);
  });

  it('saves a dirty post first, then publishes it to Mastodon with replies; the token never lands in the file', async () => {
    const a = await api();
    fs.writeFileSync(
      path.join(root(), 'playbooks', 'channels.md'),
      `---\nkind: channels\n---\n# Channels\n\n| id | platform | account | limit | host |\n| -- | -- | -- | -- | -- |\n| outbox | outbox | | | |\n| masto | mastodon | news | | ${fake.host} |\n`,
    );
    a.folders.reset();
    process.env[envVarName({ platform: 'mastodon', host: fake.host, account: 'news' })] = TOKEN;
    const file = path.join(root(), 'posts', 'thread.md');
    fs.writeFileSync(file, '---\ntitle: Thread\nchannels: [masto]\nstatus: ready\n---\nOne.\n\n---\n\nTwo.\n');
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
    const ed = await vscode.window.showTextDocument(doc);
    await ed.edit((e) => e.insert(new vscode.Position(doc.lineCount - 1, 0), 'Two, edited.\n'));
    assert.ok(doc.isDirty);
    const res = await vscode.commands.executeCommand<PublishCommandResult>('unscripted.publish', vscode.Uri.file(file), { yes: true });
    assert.equal(res?.report?.ok, true, JSON.stringify(res?.report?.results ?? res));
    assert.equal(fake.statuses.length, 2);
    assert.equal(fake.statuses[1].in_reply_to_id, fake.statuses[0].id);
    assert.match(fake.statuses[1].source, /Two, edited\./, 'the saved buffer was what went out');
    const text = fs.readFileSync(file, 'utf8');
    assert.equal(readLedger(text).status, 'published');
    assert.ok(!text.includes(TOKEN));
  });

  it('the output channel never shows the token: not after the Mastodon publish, not after one refused for a bad token', async () => {
    const a = await api();
    process.env[envVarName({ platform: 'mastodon', host: fake.host, account: 'news' })] = BAD_TOKEN;
    a.folders.reset();
    const file = path.join(root(), 'posts', 'refused.md');
    fs.writeFileSync(file, '---\ntitle: Refused\nchannels: [masto]\nstatus: ready\n---\nRefused.\n');
    const res = await vscode.commands.executeCommand<PublishCommandResult>('unscripted.publish', vscode.Uri.file(file), { yes: true });
    assert.equal(res?.report?.ok, false, JSON.stringify(res?.report?.results ?? res));
    assert.equal(readLedger(fs.readFileSync(file, 'utf8')).published.length, 0);
    process.env[envVarName({ platform: 'mastodon', host: fake.host, account: 'news' })] = TOKEN;
    // Both publishes are in the channel (the earlier success and this failure), so the check reads what they wrote.
    const text = await outputChannelText(/Publish preview for posts\/refused\.md[\s\S]*masto: /);
    assert.match(text, /Publish preview for posts\/thread\.md/);
    assert.ok(!text.includes(TOKEN), 'the good token is not in the output channel');
    assert.ok(!text.includes(BAD_TOKEN), 'the bad token is not in the output channel');
  });

  it('pauses and resumes publishing by editing the schedule playbook', async () => {
    const sched = path.join(root(), 'playbooks', 'schedule.md');
    const ok = await vscode.commands.executeCommand<boolean>('unscripted.pausePublishing', 'Flooding: statements only');
    assert.equal(ok, true);
    assert.match(fs.readFileSync(sched, 'utf8'), /paused: true\npause_reason: "Flooding: statements only"/);
    const file = path.join(root(), 'posts', 'held.md');
    fs.writeFileSync(file, '---\ntitle: Held\nchannels: [outbox]\nstatus: ready\n---\nHeld.\n');
    const res = await vscode.commands.executeCommand<PublishCommandResult>('unscripted.publish', vscode.Uri.file(file), { yes: true });
    assert.match(res?.report?.refused ?? '', /paused/);
    assert.equal(readLedger(fs.readFileSync(file, 'utf8')).published.length, 0);
    assert.equal(await vscode.commands.executeCommand<boolean>('unscripted.resumePublishing'), true);
    assert.match(fs.readFileSync(sched, 'utf8'), /paused: false\npause_reason:\n/);
  });
});
