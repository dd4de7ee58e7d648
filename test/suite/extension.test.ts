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
import { campaignChoices } from '../../src/extension/campaign-choices';
import { publishedNote } from '../../src/extension/editor-text';
import { PublishedLens } from '../../src/extension/published-lens';
import {
  api,
  brief,
  closeAll,
  EXTENSION_ID,
  fileUri,
  hoverText,
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
const GOING_FORWARD = '“Going forward” → “From now on” (plain words)';

async function quickFixes(uri: vscode.Uri, range: vscode.Range): Promise<vscode.CodeAction[]> {
  // The markers must have reached the workbench: code actions are asked for the markers in range.
  await waitForDiagnostics(uri, (d) => d.some((x) => x.range.intersection(range) !== undefined), 'a diagnostic in range');
  const all = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, range);
  // The command returns no `diagnostics` on the actions: ours are the quick fixes (markdown's are refactors).
  const mine = all.filter((a) => a.kind?.value === 'quickfix');
  if (mine.length === 0) {
    throw new Error(
      `no Unscripted quick fixes; provider returned ${JSON.stringify(all.map((x) => [x.title, x.kind?.value, x.diagnostics?.map((d) => [d.source, d.message])]))}; diagnostics ${JSON.stringify(vscode.languages.getDiagnostics(uri).map((d) => [d.source, d.message, d.range]))}`,
    );
  }
  return mine;
}

/** A tree item's label as text (a label may be a string or { label, highlights }). */
function labelText(l: string | vscode.TreeItemLabel | undefined): string {
  return typeof l === 'object' ? l.label : (l ?? '');
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
      // Publishing (its chunk, with @atproto/api) is not loaded until a publishing command runs.
      assert.equal(a.publishLoaded(), false);
      assert.ok(
        !Object.keys(require.cache).some((f) => f.endsWith(`${path.sep}dist${path.sep}publish.js`) || f.includes('@atproto')),
        'no publishing code in the module cache',
      );
      record('activationMs', Number(a.activationMs.toFixed(1)));
      record('bundleLoadMs', Number(a.loadMs.toFixed(1)));
    });
  });

  describe('Playbook view', () => {
    type TreeNode = ReturnType<UnscriptedApi['tree']['getChildren']>[number];
    const label = (n: TreeNode) => labelText(a.tree.getTreeItem(n).label);
    const section = (name: string) => a.tree.getChildren().find((n) => label(n) === name)!;
    const groupsOf = () => a.tree.getChildren(section('Posts'));

    it('shows the posts and the playbook: rules, talking points, channels, schedule', async () => {
      assert.deepEqual(a.tree.getChildren().map(label), ['Posts', 'Voice rules', 'Talking points', 'Channels', 'Schedule', 'Examples']);
      const rules = a.tree.getChildren(section('Voice rules')).map((n) => a.tree.getTreeItem(n));
      const plain = rules.find((r) => r.label === 'plain-words')!;
      assert.match((plain.tooltip as vscode.MarkdownString).value, /voice\/plain-words/);
      assert.equal(plain.description, '3 · warning');
      assert.deepEqual(plain.command?.arguments, [path.join(root(), 'playbooks', 'voice.md'), 8]);
      assert.equal(rules.find((r) => r.label === 'non-apology')!.description, '1 · error');
      const channels = a.tree.getChildren(section('Channels')).map((n) => [a.tree.getTreeItem(n).label, a.tree.getTreeItem(n).description]);
      assert.deepEqual(channels, [
        ['outbox', 'Outbox'],
        ['bluesky', 'Bluesky · 300'],
        ['mastodon', 'Mastodon · 500'],
        ['short', 'Bluesky · 40'],
      ]);
      const schedule = a.tree
        .getChildren(section('Schedule'))
        .map((n) => `${labelText(a.tree.getTreeItem(n).label)}: ${String(a.tree.getTreeItem(n).description)}`);
      assert.deepEqual(schedule, ['Publishing: on', 'Horizon: 3650 days', 'Review window: 87600 h', 'Burst: 10 per 1 h']);
      const [campaign] = a.tree.getChildren(section('Talking points'));
      assert.equal(label(campaign), 'launch');
      const [point] = a.tree.getChildren(campaign).map((n) => a.tree.getTreeItem(n));
      assert.equal(point.label, 'The new library is open to everyone, every day of the week.');
      assert.deepEqual(point.command?.arguments, [path.join(root(), 'playbooks', 'talking-points.md'), 8]);
      // Every description fits the view's default width.
      for (const n of [...rules.map((r) => r.description), ...channels.map((c) => c[1]), ...schedule])
        assert.ok(String(n).length <= 24, String(n));
    });

    it('groups posts by status with finding counts and time to go, and opens them', async () => {
      const groups = groupsOf();
      assert.deepEqual(
        groups.map((g) => a.tree.getTreeItem(g).label),
        ['Draft', 'Ready', 'Scheduled', 'Published'],
      );
      const items = groups.map((g) => a.tree.getChildren(g).map((n) => a.tree.getTreeItem(n)));
      assert.deepEqual(
        items.map((list) => list.map((i) => i.label)),
        [['Hello'], ['Story corner'], ['Fifty years'], ['Opening hours']],
      );
      assert.equal(a.tree.getTreeItem(groups[0]).description, '1 · 1 ⚠');
      assert.equal(items[0][0].description, '⚠ 1');
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
        const groups = groupsOf();
        assert.deepEqual(
          groups.map((g) => [a.tree.getTreeItem(g).label, a.tree.getChildren(g).map((n) => a.tree.getTreeItem(n).label)]),
          [
            ['launch', ['Hello', 'Story corner']],
            ['No campaign', ['Fifty years', 'Opening hours']],
          ],
        );
        assert.equal(a.tree.getTreeItem(a.tree.getChildren(groups[0])[0]).description, 'draft · ⚠ 1');
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
      // One row per finding in Problems: the definition is a link in the hover and a quick fix, not a second row.
      assert.equal(d.relatedInformation, undefined);
    });

    it('links a built-in rule to its page shipped in the extension, which "Open Rule Documentation" opens', async () => {
      const uri = writePost('posts/docs-link.md', '---\ntitle: Docs\nchannels: [outbox]\n---\nWe apologise for any inconvenience.\n');
      const found = waitForDiagnostics(uri, (ds) => ds.some((x) => ruleIds([x])[0] === 'non-apology'), 'a non-apology finding');
      await open('posts/docs-link.md');
      const d = (await found).find((x) => ruleIds([x])[0] === 'non-apology')!;
      const code = d.code as { value: string; target: vscode.Uri };
      const ext = vscode.extensions.getExtension(EXTENSION_ID)!;
      assert.equal(code.target.scheme, 'file');
      assert.equal(code.target.fsPath, path.join(ext.extensionPath, 'dist', 'rules', 'non-apology.md'));
      const opened = await vscode.commands.executeCommand<vscode.Uri>('unscripted.openRuleDocs', 'non-apology');
      assert.equal(opened?.fsPath, code.target.fsPath);
      assert.match(fs.readFileSync(opened.fsPath, 'utf8'), /non-apology/i);
    });

    it('a published post says, above its front matter, that edits are not sent', async () => {
      const pub = await openLinted(a, 'posts/published.md');
      // The provider registered by the extension, given the real linter's state for the open post.
      const lens = new PublishedLens(a.linter);
      const [l] = lens.provideCodeLenses(pub.document);
      assert.match(l.command?.title ?? '', /^\$\(globe\) Published: edits here are not sent/);
      assert.equal(l.range.start.line, 0);
      const hello = await openLinted(a, HELLO);
      assert.deepEqual(lens.provideCodeLenses(hello.document), []);
      assert.equal(
        publishedNote({ status: 'published', published: [{ channel: 'bluesky' }, { channel: 'mastodon' }] }),
        '$(globe) Published to bluesky, mastodon: edits here are not sent — publishing again skips those channels',
      );
    });

    it('hover: the suggestion first, one click applies it; then one line of why and "more…"', async () => {
      const uri = fileUri(HELLO);
      const ed = await openLinted(a, HELLO);
      const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, new vscode.Position(6, 3));
      const raw = hovers
        .flatMap((h) => h.contents)
        .map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : ''))
        .join('\n');
      const text = hoverText(hovers);
      const lines = text.split(/ {2}\n|\n/).filter(Boolean);
      assert.match(
        lines[0],
        /^\$\(lightbulb\) Write \[“From now on”\]\(command:unscripted\.applySuggestion\?/,
        'the suggestion comes first',
      );
      assert.match(lines[1], /^Say it the way you would across a counter\./);
      assert.match(text, /\[more…\]\(command:unscripted\.openPlaybookRule/);
      assert.doesNotMatch(text, /voice\/plain-words.*voice\/plain-words/s, 'the rule id is not repeated');
      // The link is the command the hover runs when clicked.
      const link = /\]\((command:unscripted\.applySuggestion\?[^ )]+)/.exec(raw)![1];
      const args = JSON.parse(decodeURIComponent(link.slice('command:unscripted.applySuggestion?'.length))) as [
        string,
        number,
        number,
        number,
        string,
      ];
      const cleared = waitForDiagnostics(uri, (d) => d.length === 0, 'no diagnostics');
      assert.equal(await vscode.commands.executeCommand('unscripted.applySuggestion', ...args), true);
      await cleared;
      assert.equal(ed.document.lineAt(6).text, 'From now on, the library opens at nine on Saturdays.');
      // A stale link (older version) changes nothing.
      assert.equal(await vscode.commands.executeCommand('unscripted.applySuggestion', ...args), false);
      await vscode.commands.executeCommand('workbench.action.files.revert');
      const none = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, new vscode.Position(6, 30));
      assert.doesNotMatch(hoverText(none), /From now on/);
    });

    it("hover over overlapping findings shows each one's suggestion; channel length explains the counting", async () => {
      const uri = writePost(
        'posts/overlap.md',
        '---\ntitle: Overlap\nchannels: [short]\n---\nThe library opens at nine on Saturdays going forward.\n',
      );
      const two = waitForDiagnostics(uri, (d) => d.length === 2, 'two findings');
      await open('posts/overlap.md');
      const ds = await two;
      assert.ok(ds[0].range.intersection(ds[1].range), 'the two findings overlap');
      assert.match(
        ds.find((d) => ruleIds([d])[0] === 'channel-length')!.message,
        /^This post is 53\/40 characters on Bluesky \(short\): 13 over/,
      );
      const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, new vscode.Position(4, 45));
      const text = hoverText(hovers);
      assert.match(text, /Write \[“from now on”\]/);
      assert.match(text, /Bluesky counts graphemes/);
    });

    it('quick fixes: the suggestion, allow here / in this post / in the playbook, the rule, fix all', async () => {
      const uri = fileUri(HELLO);
      await openLinted(a, HELLO);
      const actions = await quickFixes(uri, new vscode.Range(6, 0, 6, 13));
      assert.deepEqual(
        actions.map((x) => x.title),
        [
          'Replace with “From now on”',
          'Allow “Going forward” here (voice/plain-words off on this line)',
          'Allow “Going forward” in this post (voice/plain-words off for the post)',
          'Allow “Going forward” in the playbook (remove its entry from playbooks/voice.md:14)',
          'Open the playbook rule (playbooks/voice.md:14)',
        ],
      );
      assert.equal(actions[0].isPreferred, true);
    });

    it('"allow in this post" writes a disable comment at the top of the body; "in the playbook" removes the entry, live', async () => {
      const uri = fileUri(HELLO);
      const ed = await openLinted(a, HELLO);
      const inPost = (await quickFixes(uri, new vscode.Range(6, 0, 6, 13))).find((x) => x.title.includes('in this post'))!;
      let cleared = waitForDiagnostics(uri, (d) => d.length === 0, 'no diagnostics');
      assert.equal(await vscode.workspace.applyEdit(inPost.edit!), true);
      await cleared;
      assert.equal(ed.document.lineAt(6).text, '<!-- unscripted-disable voice/plain-words -->');
      await vscode.commands.executeCommand('workbench.action.files.revert');
      await waitForDiagnostics(uri, (d) => d.length === 1, 'the finding back');
      const inPlaybook = (await quickFixes(uri, new vscode.Range(6, 0, 6, 13))).find((x) => x.title.includes('in the playbook'))!;
      cleared = waitForDiagnostics(uri, (d) => d.length === 0, 'no diagnostics after the playbook edit');
      assert.equal(await vscode.workspace.applyEdit(inPlaybook.edit!), true);
      await cleared;
      const voice = vscode.workspace.textDocuments.find((d) => d.uri.fsPath === path.join(root(), 'playbooks', 'voice.md'))!;
      assert.ok(voice.isDirty, 'an unsaved playbook edit, for the writer to review');
      assert.doesNotMatch(voice.getText(), /going forward/);
      await vscode.window.showTextDocument(voice);
      await vscode.commands.executeCommand('workbench.action.files.revert');
      await waitForDiagnostics(uri, (d) => d.length === 1, 'the finding back after reverting the playbook');
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

    it('"allow here" on a finding broken over two lines silences it (the comment and the engine agree)', async () => {
      const uri = writePost(
        'posts/wrapped.md',
        '---\ntitle: Wrapped\nchannels: [outbox]\n---\nThe hall opens at nine going\nforward, and at ten on Sundays.\n',
      );
      const one = waitForDiagnostics(
        uri,
        (d) => d.length === 1 && d[0].range.start.line === 4 && d[0].range.end.line === 5,
        'a two-line finding',
      );
      const ed = await open('posts/wrapped.md');
      await one;
      const here = (await quickFixes(uri, new vscode.Range(4, 24, 5, 7))).find((x) => x.title.includes(' here '))!;
      const cleared = waitForDiagnostics(uri, (d) => d.length === 0, 'no diagnostics');
      assert.equal(await vscode.workspace.applyEdit(here.edit!), true);
      await cleared;
      assert.equal(ed.document.lineAt(5).text, 'forward, and at ten on Sundays. <!-- unscripted-disable-line voice/plain-words -->');
    });

    it('source.fixAll.unscripted applies every unambiguous replacement and leaves the rest', async () => {
      const uri = writePost(
        'posts/fixall.md',
        '---\ntitle: Fix all\nchannels: [outbox]\n---\nGoing forward we utilise the hall prior to noon.\n',
      );
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
        ['Fix all Unscripted problems (1)'],
      );
      // Only "prior to" → "before" is marked (auto-fix); "going forward" (two words) waits for the
      // writer, and "utilise" has two suggestions. The same core/fixes.ts decides `lint --fix`.
      const two = waitForDiagnostics(uri, (d) => d.length === 2, 'two findings left');
      assert.equal(await vscode.workspace.applyEdit(actions[0].edit!), true);
      const left = await two;
      assert.equal(ed.document.lineAt(4).text, 'Going forward we utilise the hall before noon.');
      assert.deepEqual(
        left.map((d) => d.range.start.character),
        [0, 17],
      );
    });

    it('"Fix all Unscripted problems" is in the Ctrl+. menu of any finding, with the same safe fixes', async () => {
      const uri = writePost(
        'posts/fixall-menu.md',
        '---\ntitle: Fix all menu\nchannels: [outbox]\n---\nGoing forward we meet prior to noon and prior to dusk.\n',
      );
      const three = waitForDiagnostics(uri, (d) => d.length === 3, 'three findings');
      const ed = await open('posts/fixall-menu.md');
      await three;
      const menu = await quickFixes(uri, new vscode.Range(4, 0, 4, 13)); // on "Going forward", which is not safe itself
      const all = menu.find((x) => x.title === 'Fix all Unscripted problems (2)');
      assert.ok(all, JSON.stringify(menu.map((x) => x.title)));
      const one = waitForDiagnostics(uri, (d) => d.length === 1, 'one finding left');
      assert.equal(await vscode.workspace.applyEdit(all.edit!), true);
      await one;
      assert.equal(ed.document.lineAt(4).text, 'Going forward we meet before noon and before dusk.');
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
        assert.deepEqual(ds.map(brief), ['voice/plain-words@6:65-6:73 “Prior to” → “Before” (plain words)']);
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
        fs.writeFileSync(
          fileUri('posts/published.md').fsPath,
          "---\ntitle: Opening hours\nchannels: [outbox]\nstatus: published\n---\nWe're open until 8pm on Thursdays from next week.\n",
        );
      }
    });

    it('lints an untitled draft whose front matter names channels, and leaves other Markdown alone', async () => {
      const draft = await vscode.workspace.openTextDocument({
        language: 'markdown',
        content: '---\nchannels: [outbox]\n---\nGoing forward we open at nine.\n',
      });
      const found = waitForDiagnostics(draft.uri, (d) => d.length === 1, 'a finding in the untitled draft');
      await vscode.window.showTextDocument(draft);
      assert.deepEqual((await found).map(brief), [`voice/plain-words@3:0-3:13 ${GOING_FORWARD}`]);

      const notes = writePost('notes/readme.md', '# Notes\n\nGoing forward we open at nine.\n');
      const doc = await vscode.workspace.openTextDocument(notes);
      await vscode.window.showTextDocument(doc);
      assert.equal(a.linter.state(notes), undefined);
      assert.deepEqual(ours(notes), []);
    });

    it("clears a document's diagnostics when it is closed", async () => {
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
      assert.deepEqual(ds.map(brief), ['non-apology@5:6-5:16 “open until” → “open till” (non-apology)']);
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
    it('shows the length per channel of the part under the cursor (no problem count), red when over', async () => {
      writePost(
        'posts/status.md',
        '---\ntitle: Status\nchannels: [bluesky, short]\n---\nGoing forward, the library opens at nine on Saturdays.\n\n---\n\nShort.\n',
      );
      const ed = await openLinted(a, 'posts/status.md');
      // The extension's selection listener was registered first: when the test's own one runs, the item is up to date.
      const moveTo = async (line: number, ch: number) => {
        const moved = new Promise<void>((resolve) => {
          const sub = vscode.window.onDidChangeTextEditorSelection(() => {
            sub.dispose();
            setImmediate(resolve);
          });
        });
        ed.selection = new vscode.Selection(line, ch, line, ch);
        await moved;
      };
      await moveTo(4, 3);
      assert.equal(a.status.item.text, '$(error) Part 1/2: Bluesky (bluesky) 54/300 · Bluesky (short) 54/40');
      assert.ok(a.status.item.backgroundColor instanceof vscode.ThemeColor);
      assert.equal(a.status.item.backgroundColor.id, 'statusBarItem.errorBackground');
      assert.doesNotMatch((a.status.item.tooltip as vscode.MarkdownString).value, /\(s\)/);
      await moveTo(8, 2);
      assert.equal(a.status.item.text, 'Part 2/2: Bluesky (bluesky) 6/300 · Bluesky (short) 6/40');
      assert.equal(a.status.item.backgroundColor, undefined);
      assert.deepEqual(ruleIds(ours(fileUri('posts/status.md'))).sort(), ['channel-length', 'voice/plain-words']);

      await openLinted(a, 'posts/ready.md');
      assert.equal(a.status.item.text, 'Part 1/2: Mastodon 64/500');
      assert.equal(a.status.item.backgroundColor, undefined);
    });

    it('"Split into a thread here" cuts after the last sentence that fits, and the parts then fit', async () => {
      const uri = writePost(
        'posts/split.md',
        '---\ntitle: Split\nchannels: [short]\n---\nThe hall opens at nine. We have new chairs and more light.\n',
      );
      const one = waitForDiagnostics(uri, (d) => d.length === 1, 'the length finding');
      const ed = await open('posts/split.md');
      await one;
      const split = (await quickFixes(uri, new vscode.Range(4, 40, 4, 50))).find((x) => x.title === 'Split into a thread here');
      assert.ok(split, 'the split quick fix is offered');
      assert.equal(split.isPreferred, true);
      const cleared = waitForDiagnostics(uri, (d) => d.length === 0, 'no diagnostics');
      assert.equal(await vscode.workspace.applyEdit(split.edit!), true);
      await cleared;
      assert.equal(ed.document.getText().split('---\n')[2], 'The hall opens at nine.\n\n');
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
      const published: number[] = [];
      const lintMs: number[] = [];
      // Three warm-up keystrokes (the cross-post index is read after the first lint; JIT), not counted.
      for (let i = 0; i < 3; i++) {
        const got = waitForDiagnostics(uri, (d) => count(d) === i + 2);
        await ed.edit((e) => e.insert(new vscode.Position(4, ed.document.lineAt(4).text.length), ' prior to'));
        await got;
      }
      const N = 20;
      for (let i = 0; i < N; i++) {
        const want = i + 5;
        const got = waitForDiagnostics(uri, (d) => count(d) === want);
        // When the extension hands the new diagnostics to VS Code (what the editor then draws). The
        // extension host's own onDidChangeDiagnostics event comes 50 ms later: VS Code debounces it.
        const handed = new Promise<number>((resolve) => {
          const sub = a.linter.onDidLint((uris) => {
            if (uris.some((u) => u.toString() === uri.toString()) && a.linter.state(uri)?.version === ed.document.version) {
              sub.dispose();
              resolve(performance.now());
            }
          });
        });
        const t0 = performance.now();
        await ed.edit((e) => e.insert(new vscode.Position(4, ed.document.lineAt(4).text.length), ' prior to'));
        published.push((await handed) - t0);
        await got;
        samples.push(performance.now() - t0);
        lintMs.push(a.linter.state(uri)!.ms);
      }
      const p = (xs: number[], q: number) => Math.round([...xs].sort((x, y) => x - y)[Math.ceil(xs.length * q) - 1]);
      record(
        'keystrokeToDiagnosticsPublishedMs',
        published.map((s) => Math.round(s)),
      );
      record('keystrokeToDiagnosticsPublishedP50Ms', p(published, 0.5));
      record('keystrokeToDiagnosticsPublishedP95Ms', p(published, 0.95));
      const delay = vscode.workspace.getConfiguration('unscripted').get<number>('lintDelay');
      // The same with no debounce: the whole round trip (edit → extension host → lint → Problems → event).
      await setConfig('lintDelay', 0);
      const direct: number[] = [];
      try {
        for (let i = 0; i < 5; i++) {
          const want = i + N + 5;
          const got = waitForDiagnostics(uri, (d) => count(d) === want);
          const t0 = performance.now();
          await ed.edit((e) => e.insert(new vscode.Position(4, ed.document.lineAt(4).text.length), ' prior to'));
          await got;
          direct.push(performance.now() - t0);
        }
      } finally {
        await setConfig('lintDelay', undefined);
      }
      record(
        'keystrokeToDiagnosticsNoDebounceMs',
        direct.map((s) => Math.round(s)),
      );
      record(
        'keystrokeToDiagnosticsMs',
        samples.map((s) => Math.round(s)),
      );
      record('keystrokeToDiagnosticsEventP50Ms', p(samples, 0.5));
      record('keystrokeToDiagnosticsEventP95Ms', p(samples, 0.95));
      record(
        'lintMs1000Words',
        lintMs.map((s) => Number(s.toFixed(2))),
      );
      record('lintDelayMs', delay);
      assert.equal(samples.length, N);
    });
  });

  describe('commands', () => {
    it('Lint Workspace lints every post, including unopened ones, into the Problems panel', async () => {
      const unopened = writePost('posts/unopened.md', '---\ntitle: Unopened\nchannels: [outbox]\n---\nDoors open prior to the talk.\n');
      const expected = fs.readdirSync(path.join(root(), 'posts')).filter((f) => f.endsWith('.md')).length;
      const summary = await vscode.commands.executeCommand<{ files: number; findings: number; cancelled: boolean }>(
        'unscripted.lintWorkspace',
      );
      assert.equal(summary.files, expected);
      assert.equal(summary.cancelled, false);
      assert.deepEqual(ours(unopened).map(brief), ['voice/plain-words@4:11-4:19 “prior to” → “before” (plain words)']);

      // Saving a playbook change refreshes the findings of posts that are not open, too.
      const voice = await open('playbooks/voice.md');
      const refreshed = waitForDiagnostics(unopened, (d) => d.length === 2, 'a finding from the saved playbook');
      await voice.edit((e) => e.insert(new vscode.Position(voice.document.lineCount, 0), '- "the talk" → "the event"\n'));
      await voice.document.save();
      assert.deepEqual((await refreshed).map(brief), [
        'voice/plain-words@4:11-4:19 “prior to” → “before” (plain words)',
        'non-apology@4:20-4:28 “the talk” → “the event” (non-apology)',
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
      assert.equal(
        fs.readFileSync(uri.fsPath, 'utf8'),
        '---\ntitle: Spring fair\nchannels: [bluesky, mastodon]\nstatus: draft\ncampaign: launch\n---\n\n',
      );
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

    it('the preview follows the active editor and marks where the platform cuts a part that is too long', async () => {
      const long = writePost(
        'posts/long-preview.md',
        '---\ntitle: Long preview\nchannels: [short]\n---\nThe hall opens at nine. We have new chairs and more light.\n',
      );
      const ready = fileUri('posts/ready.md');
      await open('posts/ready.md');
      const panel = await vscode.commands.executeCommand<vscode.WebviewPanel>('unscripted.preview', ready);
      try {
        await open('posts/long-preview.md');
        assert.equal(panel.title, 'Preview: Long preview');
        const html = a.preview.lastHtml.get(long.toString())!;
        // 40 graphemes fit: "The hall opens at nine. We have new chai" | "rs and more light."
        assert.match(
          html,
          /The hall opens at nine\. We have new chai<span class="cut"[^>]*>✂<\/span><span class="excess">rs and more light\.<\/span>/,
        );
        assert.equal(a.preview.lastHtml.has(ready.toString()), false, 'one panel, now on the other post');
      } finally {
        panel.dispose();
      }
    });

    it('Publish Post is registered', async () => {
      const registered = await vscode.commands.getCommands(true);
      assert.ok(registered.includes('unscripted.publish'));
    });

    it('Initialize Playbook: with no playbook the view says so, still lists the posts, and New Post offers no sample campaigns', async () => {
      const dir = path.join(root(), 'playbooks');
      fs.rmSync(dir, { recursive: true, force: true });
      await waitForTree(a, () => a.tree.getChildren().some((n) => n.kind === 'notice'), 'the default-playbook notice');
      const notice = a.tree.getTreeItem(a.tree.getChildren()[0]);
      assert.equal(notice.label, 'Initialize Playbook');
      assert.match(a.treeView.message ?? '', /^Using the shipped default playbook/);
      assert.equal(notice.command?.command, 'unscripted.initPlaybook');
      const posts = a.tree.getChildren().find((n) => n.kind === 'section' && n.section === 'posts')!;
      assert.ok(a.tree.getChildren(posts).length > 0, 'the posts are still listed');
      // The default playbook's sample campaigns are not the team's: New Post does not offer them.
      assert.deepEqual(campaignChoices(a.folders.workspaceFolders()[0].ws.playbook), []);
      const created = await vscode.commands.executeCommand<string[]>('unscripted.initPlaybook', { open: false });
      assert.deepEqual(created.map((f) => path.relative(root(), f)).sort(), [
        'playbooks/channels.md',
        'playbooks/examples.md',
        'playbooks/schedule.md',
        'playbooks/talking-points.md',
        'playbooks/voice.md',
      ]);
      await waitForTree(a, () => !a.tree.getChildren().some((n) => n.kind === 'notice'), 'the notice gone');
      assert.equal(a.treeView.message, undefined);
      // The examples that teach institutional-voice, each opening its line.
      const examples = a.tree.getChildren().find((n) => n.kind === 'section' && n.section === 'examples')!;
      const items = a.tree.getChildren(examples).map((n) => a.tree.getTreeItem(n));
      assert.ok(items.length > 0);
      assert.ok(
        items.every(
          (i) => i.command?.command === 'unscripted.openPlaybookRule' && String(i.command.arguments?.[0]).endsWith('examples.md'),
        ),
      );
      assert.deepEqual([...new Set(items.map((i) => i.description))], ['us', 'not us']);
    });
  });
});
