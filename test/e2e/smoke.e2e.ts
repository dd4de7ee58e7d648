/**
 * Packaging smoke test: build the VSIX the way a release does (`vsce package`), install it into
 * code-server with `--install-extension` (no marketplace), open a sample workspace in Chromium
 * and check what a writer sees: a finding in the Problems panel, the Playbook view, the status
 * bar, the preview. Screenshots go to test-output/.
 *
 *   npx mocha --no-config --timeout 180000 out/test/e2e/smoke.e2e.js
 */
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CodeServer, PwBrowser, PwPage, REPO_ROOT, installVsix, launchBrowser, mkTemp, startCodeServer, workspaceUrl } from './code-server';

const OUT = path.join(REPO_ROOT, 'test-output');
const VSIX = path.join(OUT, 'unscripted.vsix');

/** A workspace like `unscripted init` makes, with the shipped sample posts. */
function sampleWorkspace(): string {
  const ws = path.join(mkTemp('unscripted-smoke-'), 'comms');
  const pb = path.join(REPO_ROOT, 'playbooks');
  fs.mkdirSync(path.join(ws, 'playbooks'), { recursive: true });
  fs.mkdirSync(path.join(ws, 'posts'), { recursive: true });
  for (const f of fs.readdirSync(pb)) {
    if (f.endsWith('.md')) fs.copyFileSync(path.join(pb, f), path.join(ws, 'playbooks', f));
  }
  for (const f of fs.readdirSync(path.join(pb, 'posts'))) fs.copyFileSync(path.join(pb, 'posts', f), path.join(ws, 'posts', f));
  fs.writeFileSync(path.join(ws, 'posts', 'grammar.md'), GRAMMAR_POST);
  // Over Bluesky's limit, fine for Mastodon: the publish dialog's partial case.
  const long = 'The reading room is open again after the move, with every shelf back in place and more seats by the windows. ';
  fs.writeFileSync(
    path.join(ws, 'posts', 'too-long.md'),
    `---\ntitle: Too long\nchannels: [bluesky, mastodon]\nstatus: ready\n---\n${long.repeat(3).trim()}\n`,
  );
  return ws;
}

/** File names in a zip archive, from its central directory. */
function zipEntries(zip: Buffer): string[] {
  let eocd = zip.length - 22;
  while (eocd >= 0 && zip.readUInt32LE(eocd) !== 0x06054b50) eocd--;
  if (eocd < 0) throw new Error('not a zip file');
  const count = zip.readUInt16LE(eocd + 10);
  let p = zip.readUInt32LE(eocd + 16);
  const names: string[] = [];
  for (let i = 0; i < count; i++) {
    if (zip.readUInt32LE(p) !== 0x02014b50) throw new Error('bad central directory entry');
    const nameLen = zip.readUInt16LE(p + 28);
    const extraLen = zip.readUInt16LE(p + 30);
    const commentLen = zip.readUInt16LE(p + 32);
    names.push(zip.toString('utf8', p + 46, p + 46 + nameLen));
    p += 46 + nameLen + extraLen + commentLen;
  }
  return names;
}

const GRAMMAR_POST = [
  '---',
  'title: Grammar',
  'channels: [bluesky]',
  '---',
  'Join us at #LibraryWeek with @jo.bsky.social today.',
  '<!-- unscripted-disable-next-line authority-voice -->',
  'Going forward, doors open at nine.',
  '',
  '---',
  '',
  'Second part. Issue #42 is not a tag: `#code`',
  '',
].join('\n');

/** The scopes VS Code shows for the token at line:column ("Developer: Inspect Editor Tokens and Scopes"). */
/** Go to Line/Column; the cursor is there when the status bar says so (once more if the quick input took Enter before the text). */
async function goTo(page: PwPage, line: number, column: number): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    await page.keyboard.press('Control+G');
    await page.waitForSelector('.quick-input-widget input', { state: 'visible' });
    await page.keyboard.type(`${line}:${column}`);
    await page.keyboard.press('Enter');
    try {
      await page
        .locator('.statusbar-item', { hasText: `Ln ${line}, Col ${column}` })
        .first()
        .waitFor({ state: 'visible', timeout: 5_000 });
      return;
    } catch (e) {
      await page.keyboard.press('Escape');
      if (attempt >= 2) throw e;
    }
  }
}

async function scopesAt(page: PwPage, line: number, column: number): Promise<string> {
  await goTo(page, line, column);
  await runCommand(page, '>Developer: Inspect Editor Tokens and Scopes');
  const widget = page.locator('.token-inspect-widget').first();
  await widget.waitFor({ state: 'visible', timeout: 15_000 });
  await page.locator('.token-inspect-widget .tiw-metadata-scopes').first().waitFor({ state: 'visible', timeout: 15_000 });
  const text = (await widget.textContent()) ?? '';
  await page.keyboard.press('Escape');
  return text;
}

/**
 * The screenshots of the extension's details page (media/screenshots/, copied from
 * test-output/marketplace/): the part of the workbench that matters, as JPEG, to keep the VSIX lean.
 */
const MARKETPLACE: Record<string, string> = {
  'smoke-hover.png': '.part.editor',
  'smoke-quickfix.png': '.part.editor',
  'smoke-preview.png': '.part.editor',
  'smoke-playbook-view.png': '.part.sidebar',
  'smoke-publish-dialog.png': '.monaco-dialog-box',
};

async function shot(page: PwPage, name: string): Promise<string> {
  const file = path.join(OUT, name);
  await page.screenshot({ path: file });
  if (MARKETPLACE[name]) {
    fs.mkdirSync(path.join(OUT, 'marketplace'), { recursive: true });
    const jpg = path.join(OUT, 'marketplace', name.replace(/^smoke-/, '').replace(/\.png$/, '.jpg'));
    await page.locator(MARKETPLACE[name]).first().screenshot({ path: jpg, type: 'jpeg', quality: 55 });
  }
  return file;
}

async function runCommand(page: PwPage, title: string): Promise<void> {
  const name = title.replace(/^>/, '');
  await page.keyboard.press('F1'); // opens the palette with '>' typed
  await page.waitForSelector('.quick-input-widget input', { state: 'visible' });
  await page.keyboard.type(name);
  // Enter picks the focused row: wait until that is the one we typed.
  await page.waitForSelector(`.quick-input-list .monaco-list-row.focused[aria-label*="${name}"]`, { state: 'visible' });
  await page.keyboard.press('Enter');
}

interface Workbench {
  page: PwPage;
  close(): Promise<void>;
}

/** The packaged VSIX installed into a fresh code-server on `workspace`, opened in Chromium. */
async function openWorkbench(workspace: string, opts: { restricted?: boolean } = {}): Promise<Workbench> {
  const extensionsDir = mkTemp('unscripted-smoke-ext-');
  const userDataDir = mkTemp('unscripted-smoke-user-');
  installVsix(VSIX, extensionsDir, userDataDir);
  const cs: CodeServer = await startCodeServer({ workspace, extensionsDir, userDataDir, restricted: opts.restricted });
  const browser: PwBrowser = await launchBrowser();
  const page = await browser.newPage({ viewport: { width: 1400, height: 860 } });
  await page.goto(workspaceUrl(cs.origin, workspace), { waitUntil: 'domcontentloaded' });
  await page.waitForSelector('.monaco-workbench', { timeout: 60_000 });
  return {
    page,
    async close() {
      await browser.close().catch(() => undefined);
      await cs.stop();
    },
  };
}

/** The Unscripted commands the command palette offers right now (with a post open). */
/**
 * The Unscripted commands the palette offers for `filter`. The list is virtualised (only the rows
 * in view are in the page), so a check for one command filters down to a few rows first.
 */
async function paletteCommands(page: PwPage, filter = 'Unscripted: '): Promise<string[]> {
  await page.keyboard.press('F1');
  await page.waitForSelector('.quick-input-widget input', { state: 'visible' });
  await page.keyboard.type(filter);
  await page
    .locator('.quick-input-list .monaco-list-row', { hasText: 'Unscripted: Preview Post' })
    .first()
    .waitFor({ state: 'visible', timeout: 15_000 });
  const rows = await page.locator('.quick-input-list .monaco-list-row .label-name').allTextContents();
  await page.keyboard.press('Escape');
  return rows
    .map((r: string) => r.trim())
    .filter((r: string) => r.startsWith('Unscripted: '))
    .sort();
}

async function openFile(page: PwPage, name: string): Promise<void> {
  await page.keyboard.press('Control+P');
  await page.waitForSelector('.quick-input-widget input', { state: 'visible' });
  await page.keyboard.type(name);
  await page.waitForSelector(`.quick-input-list .monaco-list-row.focused[aria-label*="${name}"]`, { state: 'visible' });
  await page.keyboard.press('Enter');
  await page.waitForSelector(`.tab.active[aria-label*="${name}"]`, { state: 'visible' });
}

describe('VSIX smoke test (installed into code-server, driven in Chromium)', function () {
  this.timeout(180_000);
  let wb: Workbench;
  let page: PwPage;
  let vsixBytes = 0;
  let workspace = '';

  before(async () => {
    fs.mkdirSync(OUT, { recursive: true });
    execFileSync(process.execPath, [path.join(REPO_ROOT, 'scripts', 'build-extension.mjs'), '--production'], {
      cwd: REPO_ROOT,
      stdio: 'inherit',
    });
    execFileSync(
      process.execPath,
      [
        path.join(REPO_ROOT, 'node_modules', '@vscode', 'vsce', 'vsce'),
        'package',
        '--no-dependencies',
        '--readme-path',
        'docs/extension-readme.md',
        '--no-rewrite-relative-links',
        '--out',
        VSIX,
      ],
      {
        cwd: REPO_ROOT,
        stdio: ['ignore', 'ignore', 'inherit'],
      },
    );
    vsixBytes = fs.statSync(VSIX).size;
    workspace = sampleWorkspace();
    wb = await openWorkbench(workspace);
    page = wb.page;
  });

  after(async () => {
    await wb?.close();
  });

  it('packages a VSIX with the bundle, the grammar and the default playbook, and no sources', () => {
    const listing = zipEntries(fs.readFileSync(VSIX)).join('\n') + '\n';
    // The extension's own README (not the repository's), and the rule pages it links to.
    assert.ok(listing.includes('extension/readme.md\n'), 'the extension README is the details page');
    assert.ok(!listing.includes('extension/README.md\n'), 'the repository README is not packaged');
    for (const f of [
      'extension/dist/extension-main.js',
      'extension/dist/publish.js',
      'extension/dist/rules/authority-voice.md',
      'extension/dist/rules/channel-length.md',
    ])
      assert.ok(listing.includes(f), `${f} is in the VSIX`);
    for (const f of [
      'extension/package.json',
      'extension/dist/extension.js',
      'extension/dist/code-cache.js',
      'extension/dist/cli.js',
      'extension/syntaxes/unscripted-post.injection.tmLanguage.json',
      'extension/playbooks/voice.md',
      'extension/media/icon.png',
    ]) {
      assert.ok(listing.includes(f), `${f} is in the VSIX`);
    }
    for (const f of ['extension/src/', 'extension/test/', 'extension/node_modules/', 'extension/out/', '.ts\n', 'extension/.e2e']) {
      assert.ok(!listing.includes(f), `${f.trim()} is not in the VSIX`);
    }
    console.log(`      VSIX: ${(vsixBytes / 1024).toFixed(0)} KiB`);
  });

  it('shows a finding of an opened post in the Problems panel', async () => {
    await openFile(page, 'bus-delays.md');
    await page.keyboard.press('Control+Shift+M');
    const row = page.locator('.markers-panel .monaco-list-row', { hasText: 'non-apology' }).first();
    await row.waitFor({ state: 'visible', timeout: 30_000 });
    const text = (await page.textContent('.markers-panel')) ?? '';
    assert.match(text, /bus-delays\.md/);
    assert.match(text, /is a non-apology/);
    assert.match(text, /unscripted/);
    await shot(page, 'smoke-problems.png');
  });

  it('shows the finding count and the channel lengths in the status bar', async () => {
    const item = page.locator('.statusbar-item', { hasText: 'Mastodon' }).first();
    await item.waitFor({ state: 'visible', timeout: 30_000 });
    const text = (await item.textContent()) ?? '';
    assert.match(text, /Mastodon \d+\/500/);
  });

  it('offers publishing in a trusted workspace (the control for the Restricted Mode test)', async () => {
    const p = await paletteCommands(page, 'Unscripted: P');
    assert.ok(p.includes('Unscripted: Publish Post'), JSON.stringify(p));
    const commands = await paletteCommands(page);
    assert.ok(commands.includes('Unscripted: Lint Workspace'), JSON.stringify(commands));
  });

  it('lists the posts by status in the Playbook view', async () => {
    await page.click('.activitybar [aria-label^="Unscripted"]');
    const tree = page.locator('[id="workbench.view.extension.unscripted"] .monaco-list', {});
    await tree.first().waitFor({ state: 'visible', timeout: 30_000 });
    const post = page.locator('.monaco-list-row', { hasText: 'Bus delays this morning' }).first();
    await post.waitFor({ state: 'visible', timeout: 30_000 });
    const rows = await page.locator('[id="workbench.view.extension.unscripted"] .monaco-list-row').allTextContents();
    const labels = rows.map((r: string) => r.trim());
    for (const group of ['Draft', 'Ready', 'Scheduled'])
      assert.ok(
        labels.some((l: string) => l.startsWith(group)),
        `group ${group} in ${JSON.stringify(labels)}`,
      );
    assert.ok(labels.some((l: string) => l.includes('Riverside library opens')));
    // The playbook itself: collapse the posts, open the voice rules and the channels.
    const view = page.locator('[id="workbench.view.extension.unscripted"]');
    await view
      .locator('.monaco-list-row', { hasText: /^Posts/ })
      .first()
      .click();
    await view.locator('.monaco-list-row', { hasText: 'Voice rules' }).first().click();
    await view.locator('.monaco-list-row', { hasText: 'authority-voice' }).first().waitFor({ state: 'visible', timeout: 15_000 });
    await view
      .locator('.monaco-list-row', { hasText: /^Channels/ })
      .first()
      .click();
    await view.locator('.monaco-list-row', { hasText: 'Mastodon · 500' }).first().waitFor({ state: 'visible', timeout: 15_000 });
    const playbookRows = (await view.locator('.monaco-list-row').allTextContents()).map((r: string) => r.trim());
    assert.ok(
      playbookRows.some((r: string) => /^authority-voice\d+ · warning$/.test(r)),
      JSON.stringify(playbookRows),
    );
    await shot(page, 'smoke-playbook-view.png');
    await view
      .locator('.monaco-list-row', { hasText: /^Posts/ })
      .first()
      .click();
  });

  it('highlights hashtags, mentions, control comments and thread breaks (TextMate scopes)', async () => {
    await openFile(page, 'grammar.md');
    assert.match(await scopesAt(page, 5, 14), /entity\.name\.tag\.hashtag\.unscripted/);
    assert.match(await scopesAt(page, 5, 35), /variable\.other\.mention\.unscripted/);
    assert.match(await scopesAt(page, 6, 8), /keyword\.control\.directive\.unscripted/);
    await shot(page, 'smoke-grammar.png');
    assert.match(await scopesAt(page, 9, 2), /keyword\.operator\.thread-break\.unscripted/);
    const fmEnd = await scopesAt(page, 4, 2);
    assert.doesNotMatch(fmEnd, /thread-break/);
    assert.match(await scopesAt(page, 7, 3), /meta\.paragraph\.markdown/);
    assert.doesNotMatch(await scopesAt(page, 11, 21), /unscripted/);
  });

  it('marks a talking point and the voice formula before it as two squiggles that do not overlap', async () => {
    await openFile(page, 'library-opening.md');
    await page
      .locator('.statusbar-item', { hasText: /Bluesky \d+\/300/ })
      .first()
      .waitFor({ state: 'visible', timeout: 30_000 });
    await page.keyboard.press('Control+Shift+M');
    const rows = page.locator('.markers-panel .monaco-list-row', { hasText: 'talking point' });
    await rows.first().waitFor({ state: 'visible', timeout: 30_000 });
    const text = (await page.textContent('.markers-panel')) ?? '';
    assert.match(text, /“We are pleased to announce that” → “Good news:” \(authority voice\)/);
    assert.match(text, /“prior to” → “before” \(authority voice\)/);
    await goTo(page, 8, 1);
    await shot(page, 'smoke-squiggles.png');
  });

  it('hover: the suggestion first, one click applies it; the light bulb menu has the fixes', async () => {
    await openFile(page, 'library-opening.md');
    await goTo(page, 11, 3);
    await page.keyboard.press('Control+K');
    await page.keyboard.press('Control+I');
    // The diagnostic's own part renders first; the extension's part (computed async) below it.
    const hover = page.locator('.monaco-hover', { hasText: 'Write “From now on”' }).first();
    await hover.waitFor({ state: 'visible', timeout: 15_000 });
    const text = (await hover.textContent()) ?? '';
    assert.match(text, /Write “From now on”/);
    assert.match(text, /more…/);
    await shot(page, 'smoke-hover.png');
    await hover.locator('a', { hasText: '“From now on”' }).first().click();
    await page.locator('.view-line', { hasText: 'From now on, members' }).first().waitFor({ state: 'visible', timeout: 15_000 });
    await page.keyboard.press('Escape');
    await page.keyboard.press('Control+Z');
    await page.locator('.view-line', { hasText: 'Going forward, members' }).first().waitFor({ state: 'visible', timeout: 15_000 });

    await goTo(page, 12, 3);
    await page.keyboard.press('Control+.');
    const fix = page.locator('.action-widget .monaco-list-row', { hasText: 'Replace with “before”' }).first();
    await fix.waitFor({ state: 'visible', timeout: 15_000 });
    const menu = (await page.locator('.action-widget').first().textContent()) ?? '';
    assert.match(menu, /Allow “prior to” here/);
    assert.match(menu, /Fix all Unscripted problems/);
    await shot(page, 'smoke-quickfix.png');
    await fix.click();
    await page.locator('.view-line', { hasText: 'before visiting' }).first().waitFor({ state: 'visible', timeout: 15_000 });
    await page.keyboard.press('Control+Z');
    await page.locator('.view-line', { hasText: 'prior to visiting' }).first().waitFor({ state: 'visible', timeout: 15_000 });
  });

  it('New Post asks for title, channels and campaign from the playbook, writes the post and lists it', async () => {
    await runCommand(page, 'Unscripted: New Post');
    await page.locator('.quick-input-widget', { hasText: 'New Post (1/3)' }).first().waitFor({ state: 'visible', timeout: 15_000 });
    await page.keyboard.type('Spring fair');
    await page.keyboard.press('Enter');
    await page.locator('.quick-input-widget', { hasText: 'New Post (2/3)' }).first().waitFor({ state: 'visible', timeout: 15_000 });
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'bluesky' }).first().click();
    await shot(page, 'smoke-new-post-channels.png');
    await page.locator('.quick-input-widget .monaco-button', { hasText: 'OK' }).first().click();
    await page.locator('.quick-input-widget', { hasText: 'New Post (3/3)' }).first().waitFor({ state: 'visible', timeout: 15_000 });
    await page.keyboard.type('spring-opening');
    await page
      .locator('.quick-input-list .monaco-list-row.focused[aria-label*="spring-opening"]')
      .first()
      .waitFor({ state: 'visible', timeout: 15_000 });
    await page.keyboard.press('Enter');
    await page.waitForSelector('.tab.active[aria-label*="spring-fair.md"]', { state: 'visible', timeout: 15_000 });
    const file = fs.readdirSync(path.join(workspace, 'posts')).find((f) => f.endsWith('-spring-fair.md'));
    assert.ok(file, 'the post file exists');
    assert.equal(
      fs.readFileSync(path.join(workspace, 'posts', file), 'utf8'),
      '---\ntitle: Spring fair\nchannels: [outbox, bluesky]\nstatus: draft\ncampaign: spring-opening\n---\n\n',
    );
    await page
      .locator('[id="workbench.view.extension.unscripted"] .monaco-list-row', { hasText: 'Spring fair' })
      .first()
      .waitFor({ state: 'visible', timeout: 15_000 });
    await shot(page, 'smoke-new-post.png');
  });

  it('previews the post per channel in a webview', async () => {
    await openFile(page, 'library-opening.md');
    await runCommand(page, '>Unscripted: Preview Post');
    await page.waitForSelector('.tab[aria-label*="Preview: Riverside library opens"]', { state: 'visible', timeout: 30_000 });
    // The webview's document lives in nested iframes.
    const doc = page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
    await doc.locator('section.channel[data-channel="bluesky"]').waitFor({ state: 'visible', timeout: 30_000 });
    const channels = await doc.locator('section.channel h2').allTextContents();
    assert.deepEqual(
      channels.map((c: string) => c.split(' ')[0]),
      ['outbox', 'bluesky'],
    );
    const counts = await doc.locator('section.channel[data-channel="bluesky"] .num').allTextContents();
    assert.deepEqual(counts, ['1/2', '2/2']);
    await shot(page, 'smoke-preview.png');
  });

  it('the publish dialog names who will and will not get the post, and Enter publishes nothing', async () => {
    const before = fs.readFileSync(path.join(workspace, 'posts', 'too-long.md'), 'utf8');
    await openFile(page, 'too-long.md');
    await page
      .locator('.statusbar-item', { hasText: /Bluesky \d+\/300/ })
      .first()
      .waitFor({ state: 'visible', timeout: 30_000 });
    await runCommand(page, '>Unscripted: Publish Post');
    const dialog = page.locator('.monaco-dialog-box').first();
    await dialog.waitFor({ state: 'visible', timeout: 30_000 });
    const text = (await dialog.textContent()) ?? '';
    assert.match(text, /to mastodon only\?/);
    assert.match(text, /Will NOT get the post: bluesky/);
    await shot(page, 'smoke-publish-dialog.png');
    await page.keyboard.press('Enter');
    await dialog.waitFor({ state: 'hidden', timeout: 15_000 });
    // Enter was "Show the problems": nothing went out, nothing was recorded.
    await page.locator('.markers-panel').first().waitFor({ state: 'visible', timeout: 15_000 });
    assert.equal(fs.readFileSync(path.join(workspace, 'posts', 'too-long.md'), 'utf8'), before);
  });
});

describe('VSIX smoke test: a folder without a playbook', function () {
  this.timeout(180_000);
  let wb: Workbench;
  let page: PwPage;
  let workspace: string;

  before(async () => {
    assert.ok(fs.existsSync(VSIX), 'the first smoke suite built the VSIX');
    workspace = path.join(mkTemp('unscripted-smoke-empty-'), 'new-team');
    fs.mkdirSync(workspace);
    wb = await openWorkbench(workspace);
    page = wb.page;
  });

  after(async () => {
    await wb?.close();
  });

  it('says it uses the shipped default playbook and offers Initialize Playbook, which creates the playbook and a sample post', async () => {
    await page.click('.activitybar [aria-label^="Unscripted"]');
    const view = page.locator('[id="workbench.view.extension.unscripted"]');
    await view.locator('text=Using the shipped default playbook').first().waitFor({ state: 'visible', timeout: 30_000 });
    const notice = view.locator('.monaco-list-row', { hasText: 'Initialize Playbook' }).first();
    await notice.waitFor({ state: 'visible', timeout: 30_000 });
    await shot(page, 'smoke-welcome.png');
    await notice.click();
    await page.waitForSelector('.tab[aria-label*="voice.md"]', { state: 'visible', timeout: 30_000 });
    const post = view.locator('.monaco-list-row', { hasText: 'Riverside library opening' }).first();
    await post.waitFor({ state: 'visible', timeout: 30_000 });
    assert.deepEqual(fs.readdirSync(path.join(workspace, 'playbooks')).sort(), [
      'channels.md',
      'examples.md',
      'schedule.md',
      'talking-points.md',
      'voice.md',
    ]);
    assert.deepEqual(fs.readdirSync(path.join(workspace, 'posts')), ['welcome.md']);
    assert.equal(await view.locator('.monaco-list-row', { hasText: 'Initialize Playbook' }).count(), 0);
    await shot(page, 'smoke-initialized.png');
  });
});

describe('VSIX smoke test: Restricted Mode (untrusted folder)', function () {
  this.timeout(180_000);
  let wb: Workbench;
  let page: PwPage;

  before(async () => {
    assert.ok(fs.existsSync(VSIX), 'the first smoke suite built the VSIX');
    const workspace = sampleWorkspace();
    wb = await openWorkbench(workspace, { restricted: true });
    page = wb.page;
  });

  after(async () => {
    await wb?.close();
  });

  it('lints in Restricted Mode, and does not offer publishing', async () => {
    await page.locator('.statusbar-item', { hasText: 'Restricted Mode' }).first().waitFor({ state: 'visible', timeout: 30_000 });
    await openFile(page, 'bus-delays.md');
    await page.keyboard.press('Control+Shift+M');
    await page
      .locator('.markers-panel .monaco-list-row', { hasText: 'non-apology' })
      .first()
      .waitFor({ state: 'visible', timeout: 30_000 });
    const commands = await paletteCommands(page);
    await shot(page, 'smoke-restricted.png');
    assert.ok(commands.includes('Unscripted: Lint Workspace'), JSON.stringify(commands));
    const p = await paletteCommands(page, 'Unscripted: P');
    assert.ok(p.includes('Unscripted: Preview Post') && !p.some((c) => /Publish/.test(c)), JSON.stringify(p));
  });
});
