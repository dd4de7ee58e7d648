/**
 * The extension in a real VS Code extension host, against test/suite/fixture-workspace (a
 * fresh copy per run). Event-driven: every wait is on onDidChangeDiagnostics, a document or
 * tree event; assertions are exact.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { UnscriptedApi } from '../../src/extension/extension';
import {
  api,
  brief,
  closeAll,
  EXTENSION_ID,
  fileUri,
  waitForTree,
  open,
  ours,
  record,
  root,
  ruleIds,
  setConfig,
  waitForDiagnostics,
} from './helpers';

const HELLO = 'posts/hello.md';
const GOING_FORWARD = '“Going forward”: plain words (see the playbook)';

function hoverText(hovers: vscode.Hover[]): string {
  return hovers
    .flatMap((h) => h.contents)
    .map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : ''))
    .join('\n')
    .replace(/\\([\\`*_{}[\]()#+\-.!|<>])/g, '$1'); // Markdown escapes
}

async function quickFixes(uri: vscode.Uri, range: vscode.Range): Promise<vscode.CodeAction[]> {
  // The markers must have reached the workbench: code actions are asked for the markers in range.
  await waitForDiagnostics(uri, (d) => d.some((x) => x.range.intersection(range) !== undefined), 'a diagnostic in range');
  const all = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, range);
  // The command returns no `diagnostics` on the actions: ours are the quick fixes (markdown's are refactors).
  const mine = all.filter((a) => a.kind?.value === 'quickfix');
  if (mine.length === 0) {
    throw new Error(`no Unscripted quick fixes; provider returned ${JSON.stringify(all.map((x) => [x.title, x.kind?.value, x.diagnostics?.map((d) => [d.source, d.message])]))}; diagnostics ${JSON.stringify(vscode.languages.getDiagnostics(uri).map((d) => [d.source, d.message, d.range]))}`);
  }
  return mine;
}

function writePost(rel: string, text: string): vscode.Uri {
  const file = path.join(root(), rel);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  return vscode.Uri.file(file);
}

/** Open a post and wait until the extension has linted this version of it. */
async function openLinted(a: UnscriptedApi, rel: string): Promise<vscode.TextEditor> {
  const uri = fileUri(rel);
  const linted = new Promise<void>((resolve) => {
    const check = () => {
      const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
      const s = a.linter.state(uri);
      return !!doc && !!s && s.version === doc.version;
    };
    const sub = a.linter.onDidLint(() => {
      if (check()) {
        sub.dispose();
        resolve();
      }
    });
    if (check()) {
      sub.dispose();
      resolve();
    }
  });
  const editor = await open(rel);
  await linted;
  return editor;
}

describe('Unscripted in a real extension host', () => {
  let a: UnscriptedApi;

  before(async () => {
    a = await api();
    a.tree.now = () => new Date('2031-03-01T09:00:00Z');
  });

  afterEach(async () => {
    await closeAll();
  });

  describe('activation', () => {
    it('activates with the workspace and registers every contributed command', async () => {
      const ext = vscode.extensions.getExtension(EXTENSION_ID)!;
      assert.equal(ext.isActive, true);
      const declared = (ext.packageJSON.contributes.commands as { command: string }[]).map((c) => c.command);
      const registered = new Set(await vscode.commands.getCommands(true));
      assert.deepEqual(
        declared.filter((c) => !registered.has(c)),
        [],
      );
      assert.ok(declared.includes('unscripted.publish'));
      assert.ok(a.activationMs > 0);
      record('activationMs', Number(a.activationMs.toFixed(1)));
      record('bundleLoadMs', Number(a.loadMs.toFixed(1)));
    });
  });

  describe('Playbook view', () => {
    it('groups posts by status with finding counts and time to go, and opens them', async () => {
      const groups = a.tree.getChildren();
      assert.deepEqual(
        groups.map((g) => a.tree.getTreeItem(g).label),
        ['Draft', 'Ready', 'Scheduled', 'Published'],
      );
      const items = groups.map((g) => a.tree.getChildren(g).map((n) => a.tree.getTreeItem(n)));
      assert.deepEqual(
        items.map((list) => list.map((i) => i.label)),
        [['Hello'], ['Story corner'], ['Fifty years'], ['Opening hours']],
      );
      assert.equal(a.tree.getTreeItem(groups[0]).description, '1 · 1 finding');
      assert.equal(items[0][0].description, '1 warning');
      assert.equal(items[2][0].description, 'in 1 d 1 h');
      assert.equal(items[3][0].description, '');
      const cmd = items[0][0].command!;
      assert.equal(cmd.command, 'vscode.open');
      await vscode.commands.executeCommand(cmd.command, ...(cmd.arguments ?? []));
      assert.equal(vscode.window.activeTextEditor?.document.uri.fsPath, fileUri(HELLO).fsPath);
    });

    it('groups posts by campaign', async () => {
      await vscode.commands.executeCommand('unscripted.groupByCampaign');
      try {
        const groups = a.tree.getChildren();
        assert.deepEqual(
          groups.map((g) => [a.tree.getTreeItem(g).label, a.tree.getChildren(g).map((n) => a.tree.getTreeItem(n).label)]),
          [
            ['launch', ['Hello', 'Story corner']],
            ['No campaign', ['Fifty years', 'Opening hours']],
          ],
        );
        assert.equal(a.tree.getTreeItem(a.tree.getChildren(groups[0])[0]).description, 'draft · 1 warning');
      } finally {
        await vscode.commands.executeCommand('unscripted.groupByStatus');
      }
    });
  });

  describe('diagnostics', () => {
    it('lints a post on open: rule id, message, range, severity, source and links', async () => {
      const uri = fileUri(HELLO);
      const waiting = waitForDiagnostics(uri, (d) => d.length > 0);
      await open(HELLO);
      const ds = await waiting;
      assert.deepEqual(ds.map(brief), [`voice/plain-words@6:0-6:13 ${GOING_FORWARD}`]);
      const d = ds[0];
      assert.equal(d.severity, vscode.DiagnosticSeverity.Warning);
      assert.equal(d.source, 'unscripted');
      const code = d.code as { value: string; target: vscode.Uri };
      assert.equal(code.value, 'voice/plain-words');
      assert.equal(code.target.fsPath, path.join(root(), 'playbooks', 'voice.md'));
      assert.equal(code.target.fragment, 'L8');
      assert.equal(d.relatedInformation?.[0].location.uri.fsPath, path.join(root(), 'playbooks', 'voice.md'));
      assert.equal(d.relatedInformation?.[0].location.range.start.line, 13);
    });

    it('shows the rationale and the suggestions on hover', async () => {
      const uri = fileUri(HELLO);
      await openLinted(a, HELLO);
      const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, new vscode.Position(6, 3));
      const text = hoverText(hovers);
      assert.match(text, /voice\/plain-words/);
      assert.match(text, /Say it the way you would across a counter\./);
      assert.match(text, /From now on/);
      assert.match(text, /command:unscripted\.openPlaybookRule/);
      const none = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, new vscode.Position(6, 30));
      assert.doesNotMatch(hoverText(none), /voice\/plain-words/);
    });

    it('offers each suggestion, disable-on-this-line and open-the-rule as quick fixes', async () => {
      const uri = fileUri(HELLO);
      await openLinted(a, HELLO);
      const actions = await quickFixes(uri, new vscode.Range(6, 0, 6, 13));
      assert.deepEqual(
        actions.map((x) => x.title),
        ['Replace with “From now on”', 'Disable voice/plain-words for this line', 'Open the playbook rule (playbooks/voice.md:14)'],
      );
      assert.equal(actions[0].isPreferred, true);
    });

    it('"open the playbook rule" jumps to the line that defines it', async () => {
      const uri = fileUri(HELLO);
      await openLinted(a, HELLO);
      const [, , openRule] = await quickFixes(uri, new vscode.Range(6, 0, 6, 13));
      await vscode.commands.executeCommand(openRule.command!.command, ...(openRule.command!.arguments ?? []));
      const ed = vscode.window.activeTextEditor!;
      assert.equal(ed.document.uri.fsPath, path.join(root(), 'playbooks', 'voice.md'));
      assert.equal(ed.selection.active.line, 13);
      assert.equal(ed.document.lineAt(13).text, '- "going forward" → "from now on"');
    });

    it('applying a suggestion makes the diagnostic go', async () => {
      const uri = fileUri(HELLO);
      const ed = await openLinted(a, HELLO);
      const [replace] = await quickFixes(uri, new vscode.Range(6, 0, 6, 13));
      const cleared = waitForDiagnostics(uri, (d) => d.length === 0, 'no diagnostics');
      assert.equal(await vscode.workspace.applyEdit(replace.edit!), true);
      await cleared;
      assert.equal(ed.document.lineAt(6).text, 'From now on, the library opens at nine on Saturdays.');
    });

    it('"disable this rule on this line" inserts the inline comment and silences it', async () => {
      const uri = fileUri(HELLO);
      const ed = await openLinted(a, HELLO);
      const [, disable] = await quickFixes(uri, new vscode.Range(6, 0, 6, 13));
      const cleared = waitForDiagnostics(uri, (d) => d.length === 0, 'no diagnostics');
      assert.equal(await vscode.workspace.applyEdit(disable.edit!), true);
      await cleared;
      assert.equal(
        ed.document.lineAt(6).text,
        'Going forward, the library opens at nine on Saturdays. <!-- unscripted-disable-line voice/plain-words -->',
      );
    });

    it('source.fixAll.unscripted applies every unambiguous replacement and leaves the rest', async () => {
      const uri = writePost('posts/fixall.md', '---\ntitle: Fix all\nchannels: [outbox]\n---\nGoing forward we utilise the hall prior to noon.\n');
      const three = waitForDiagnostics(uri, (d) => d.length === 3, 'three findings');
      const ed = await open('posts/fixall.md');
      await three;
      const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
        'vscode.executeCodeActionProvider',
        uri,
        new vscode.Range(0, 0, ed.document.lineCount, 0),
        'source.fixAll.unscripted',
      );
      assert.deepEqual(
        actions.map((x) => x.title),
        ['Fix all unambiguous Unscripted findings (1)'],
      );
      // Only "prior to" → "before" is marked (auto-fix); "going forward" (two words) waits for the
      // writer, and "utilise" has two suggestions. The same core/fixes.ts decides `lint --fix`.
      const two = waitForDiagnostics(uri, (d) => d.length === 2, 'two findings left');
      assert.equal(await vscode.workspace.applyEdit(actions[0].edit!), true);
      const left = await two;
      assert.equal(ed.document.lineAt(4).text, 'Going forward we utilise the hall before noon.');
      assert.deepEqual(left.map((d) => d.range.start.character), [0, 17]);
    });

    it('lints as you type after a pause, and a burst of keystrokes is linted once, at its last version', async () => {
      await setConfig('lintDelay', 1500);
      try {
        const uri = fileUri('posts/ready.md');
        const ed = await openLinted(a, 'posts/ready.md');
        let lints = 0;
        const sub = a.linter.onDidLint((uris) => {
          if (uris.some((u) => u.toString() === uri.toString())) lints++;
        });
        const done = waitForDiagnostics(uri, (d) => d.length === 1, 'one finding');
        for (const word of [' Prior', ' to', ' ten', ' come', ' early.']) {
          await ed.edit((e) => e.insert(new vscode.Position(6, ed.document.lineAt(6).text.length), word));
          assert.equal(a.linter.pending(uri), true);
        }
        const ds = await done;
        sub.dispose();
        assert.equal(lints, 1);
        assert.deepEqual(ds.map(brief), ['voice/plain-words@6:65-6:73 “Prior to”: plain words (see the playbook)']);
        assert.equal(a.linter.state(uri)?.version, ed.document.version);
      } finally {
        await setConfig('lintDelay', undefined);
      }
    });

    it('with "unscripted.run": "onSave", typing schedules nothing and saving lints', async () => {
      await setConfig('run', 'onSave');
      try {
        const uri = fileUri('posts/published.md');
        const ed = await openLinted(a, 'posts/published.md');
        assert.deepEqual(ours(uri), []);
        await ed.edit((e) => e.insert(new vscode.Position(6, 0), 'Going forward, '));
        assert.equal(a.linter.pending(uri), false);
        assert.deepEqual(ours(uri), []);
        const linted = waitForDiagnostics(uri, (d) => d.length === 1, 'a finding after save');
        await ed.document.save();
        assert.deepEqual((await linted).map(brief), [`voice/plain-words@6:0-6:13 ${GOING_FORWARD}`]);
      } finally {
        await setConfig('run', undefined);
        fs.writeFileSync(fileUri('posts/published.md').fsPath, "---\ntitle: Opening hours\nchannels: [outbox]\nstatus: published\n---\nWe're open until 8pm on Thursdays from next week.\n");
      }
    });

    it('lints an untitled draft whose front matter names channels, and leaves other Markdown alone', async () => {
      const draft = await vscode.workspace.openTextDocument({ language: 'markdown', content: '---\nchannels: [outbox]\n---\nGoing forward we open at nine.\n' });
      const found = waitForDiagnostics(draft.uri, (d) => d.length === 1, 'a finding in the untitled draft');
      await vscode.window.showTextDocument(draft);
      assert.deepEqual((await found).map(brief), [`voice/plain-words@3:0-3:13 ${GOING_FORWARD}`]);

      const notes = writePost('notes/readme.md', '# Notes\n\nGoing forward we open at nine.\n');
      const doc = await vscode.workspace.openTextDocument(notes);
      await vscode.window.showTextDocument(doc);
      assert.equal(a.linter.state(notes), undefined);
      assert.deepEqual(ours(notes), []);
    });

    it('clears a document\'s diagnostics when it is closed', async () => {
      const uri = fileUri(HELLO);
      const has = waitForDiagnostics(uri, (d) => d.length === 1);
      await open(HELLO);
      await has;
      const cleared = waitForDiagnostics(uri, (d) => d.length === 0, 'diagnostics cleared');
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
      await cleared;
      assert.equal(a.linter.state(uri), undefined);
    });
  });

  describe('live playbook', () => {
    it('editing a playbook (unsaved) re-lints open posts at once, and reverting restores them', async () => {
      const post = fileUri('posts/published.md');
      await openLinted(a, 'posts/published.md');
      assert.deepEqual(ours(post), []);
      const voice = await open('playbooks/voice.md');
      const added = waitForDiagnostics(post, (d) => d.length === 1, 'a finding from the new phrase');
      await voice.edit((e) => e.insert(new vscode.Position(voice.document.lineCount, 0), '- "open until" → "open till"\n'));
      const ds = await added;
      assert.deepEqual(ds.map(brief), ['non-apology@5:6-5:16 “open until” is a non-apology: say what went wrong, that you are sorry for it, and what you are doing about it']);
      assert.equal(ds[0].severity, vscode.DiagnosticSeverity.Error);
      const back = waitForDiagnostics(post, (d) => d.length === 0, 'no findings after revert');
      await vscode.commands.executeCommand('workbench.action.files.revert');
      await back;
    });

    it('shows playbook mistakes on the playbook file, at their line', async () => {
      const uri = fileUri('playbooks/voice.md');
      const voice = await open('playbooks/voice.md');
      const shown = new Promise<vscode.Diagnostic[]>((resolve) => {
        const sub = vscode.languages.onDidChangeDiagnostics((e) => {
          if (!e.uris.some((u) => u.toString() === uri.toString())) return;
          const d = vscode.languages.getDiagnostics(uri).filter((x) => x.source === 'unscripted');
          if (d.length) {
            sub.dispose();
            resolve(d);
          }
        });
      });
      await voice.edit((e) => e.insert(new vscode.Position(16, 0), '- "going forward → from now on\n'));
      const ds = await shown;
      assert.equal(ds.length, 1);
      assert.equal(ds[0].range.start.line, 16);
      assert.equal(ds[0].code, 'playbook');
      assert.match(ds[0].message, /Plain words: Expected a quoted phrase/);
      await vscode.commands.executeCommand('workbench.action.files.revert');
    });
  });

  describe('status bar', () => {
    it('shows the finding count and the length per channel, red when over', async () => {
      writePost('posts/status.md', '---\ntitle: Status\nchannels: [bluesky, short]\n---\nGoing forward, the library opens at nine on Saturdays.\n');
      await openLinted(a, 'posts/status.md');
      assert.equal(a.status.item.text, '$(error) 2  Bluesky (bluesky) 54/300 · Bluesky (short) 54/40');
      assert.ok(a.status.item.backgroundColor instanceof vscode.ThemeColor);
      assert.equal((a.status.item.backgroundColor as vscode.ThemeColor).id, 'statusBarItem.errorBackground');
      assert.deepEqual(ruleIds(ours(fileUri('posts/status.md'))).sort(), ['channel-length', 'voice/plain-words']);

      await openLinted(a, 'posts/ready.md');
      assert.equal(a.status.item.text, '$(check) 0  Mastodon 64/500');
      assert.equal(a.status.item.backgroundColor, undefined);
    });
  });

  describe('speed', () => {
    it('measures keystroke-to-diagnostics on a 1,000-word post', async () => {
      const words = 'the library on the corner opens its doors to readers of every age and every street'.split(' ');
      const body: string[] = [];
      for (let i = 0; i < 1000; i++) body.push(words[i % words.length] + ((i + 1) % 17 === 0 ? '.' : ''));
      const text = `---\ntitle: Long read\nchannels: [outbox]\n---\nGoing forward ${body.join(' ')}.\n`;
      const uri = writePost('posts/long-read.md', text);
      const count = (d: vscode.Diagnostic[]) => d.filter((x) => /^“(Going forward|prior to)”/i.test(x.message)).length;
      const first = waitForDiagnostics(uri, (d) => count(d) === 1);
      const ed = await open('posts/long-read.md');
      await first;
      const samples: number[] = [];
      const lintMs: number[] = [];
      for (let i = 0; i < 5; i++) {
        const want = i + 2;
        const got = waitForDiagnostics(uri, (d) => count(d) === want);
        const t0 = performance.now();
        await ed.edit((e) => e.insert(new vscode.Position(4, ed.document.lineAt(4).text.length), ' prior to'));
        await got;
        samples.push(performance.now() - t0);
        lintMs.push(a.linter.state(uri)!.ms);
      }
      const delay = vscode.workspace.getConfiguration('unscripted').get<number>('lintDelay');
      // The same with no debounce: the whole round trip (edit → extension host → lint → Problems → event).
      await setConfig('lintDelay', 0);
      const direct: number[] = [];
      try {
        for (let i = 0; i < 5; i++) {
          const want = i + 7;
          const got = waitForDiagnostics(uri, (d) => count(d) === want);
          const t0 = performance.now();
          await ed.edit((e) => e.insert(new vscode.Position(4, ed.document.lineAt(4).text.length), ' prior to'));
          await got;
          direct.push(performance.now() - t0);
        }
      } finally {
        await setConfig('lintDelay', undefined);
      }
      record('keystrokeToDiagnosticsNoDebounceMs', direct.map((s) => Math.round(s)));
      record('keystrokeToDiagnosticsMs', samples.map((s) => Math.round(s)));
      record('lintMs1000Words', lintMs.map((s) => Number(s.toFixed(2))));
      record('lintDelayMs', delay);
      assert.equal(samples.length, 5);
    });
  });

  describe('commands', () => {
    it('Lint Workspace lints every post, including unopened ones, into the Problems panel', async () => {
      const unopened = writePost('posts/unopened.md', '---\ntitle: Unopened\nchannels: [outbox]\n---\nDoors open prior to the talk.\n');
      const expected = fs.readdirSync(path.join(root(), 'posts')).filter((f) => f.endsWith('.md')).length;
      const summary = await vscode.commands.executeCommand<{ files: number; findings: number; cancelled: boolean }>('unscripted.lintWorkspace');
      assert.equal(summary.files, expected);
      assert.equal(summary.cancelled, false);
      assert.deepEqual(ours(unopened).map(brief), ['voice/plain-words@4:11-4:19 “prior to”: plain words (see the playbook)']);

      // Saving a playbook change refreshes the findings of posts that are not open, too.
      const voice = await open('playbooks/voice.md');
      const refreshed = waitForDiagnostics(unopened, (d) => d.length === 2, 'a finding from the saved playbook');
      await voice.edit((e) => e.insert(new vscode.Position(voice.document.lineCount, 0), '- "the talk" → "the event"\n'));
      await voice.document.save();
      assert.deepEqual((await refreshed).map(brief), [
        'voice/plain-words@4:11-4:19 “prior to”: plain words (see the playbook)',
        'non-apology@4:20-4:28 “the talk” is a non-apology: say what went wrong, that you are sorry for it, and what you are doing about it',
      ]);
      const back = waitForDiagnostics(unopened, (d) => d.length === 1, 'back to one finding');
      await voice.edit((e) => e.delete(new vscode.Range(voice.document.lineCount - 2, 0, voice.document.lineCount - 1, 0)));
      await voice.document.save();
      await back;
    });

    it('New Post writes the front matter and opens the post', async () => {
      const uri = await vscode.commands.executeCommand<vscode.Uri>('unscripted.newPost', {
        title: 'Spring fair',
        channels: ['bluesky', 'mastodon'],
        campaign: 'launch',
      });
      const date = new Date().toISOString().slice(0, 10);
      assert.equal(uri.fsPath, path.join(root(), 'posts', `${date}-spring-fair.md`));
      assert.equal(fs.readFileSync(uri.fsPath, 'utf8'), '---\ntitle: Spring fair\nchannels: [bluesky, mastodon]\nstatus: draft\ncampaign: launch\n---\n\n');
      assert.equal(vscode.window.activeTextEditor?.document.uri.fsPath, uri.fsPath);
    });

    it('Preview Post renders each channel, parts numbered with counts, under a strict CSP', async () => {
      const uri = fileUri('posts/ready.md');
      await open('posts/ready.md');
      const panel = await vscode.commands.executeCommand<vscode.WebviewPanel>('unscripted.preview', uri);
      assert.equal(panel.viewType, 'unscripted.preview');
      assert.equal(panel.title, 'Preview: Story corner');
      const html = a.preview.lastHtml.get(uri.toString())!;
      assert.match(html, /<meta http-equiv="Content-Security-Policy" content="default-src 'none'; [^"]*script-src 'none'/);
      assert.doesNotMatch(html, /<script/);
      assert.match(html, /data-channel="outbox"/);
      assert.match(html, /data-channel="mastodon"/);
      const mastodon = html.slice(html.indexOf('data-channel="mastodon"'));
      assert.match(mastodon, /<span class="num">1\/2<\/span><span class="count">64\/500<\/span>/);
      assert.match(mastodon, /<span class="num">2\/2<\/span><span class="count">36\/500<\/span>/);
      assert.match(mastodon, /Bring the kids and a favourite book\./);
      panel.dispose();
    });

    it('Publish Post is registered (the publishing issue implements it)', async () => {
      const registered = await vscode.commands.getCommands(true);
      assert.ok(registered.includes('unscripted.publish'));
      if (!a.publishRegistered) await vscode.commands.executeCommand('unscripted.publish');
    });

    it('Initialize Playbook: with no playbook the view is empty (welcome), then the playbook is created', async () => {
      const dir = path.join(root(), 'playbooks');
      fs.rmSync(dir, { recursive: true, force: true });
      await waitForTree(a, () => a.tree.getChildren().length === 0, 'an empty view');
      const created = await vscode.commands.executeCommand<string[]>('unscripted.initPlaybook', { open: false });
      assert.deepEqual(
        created.map((f) => path.relative(root(), f)).sort(),
        ['playbooks/channels.md', 'playbooks/schedule.md', 'playbooks/talking-points.md', 'playbooks/voice.md'],
      );
      assert.ok(a.tree.getChildren().length > 0);
    });
  });

});
