/** The CLI as a user runs it: a real process, real files, exit codes and every output format. */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPO_ROOT, tempWorkspace, tempDir } from '../helpers';

const BIN = path.join(REPO_ROOT, 'bin', 'unscripted.js');

function run(args: string[], cwd: string, input?: string) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, input, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const DRAFT = '---\ntitle: t\nchannels: [outbox]\nstatus: draft\n---\n';

describe('CLI: unscripted lint', () => {
  it('exits 0 on a clean workspace: one success line and the playbook in stylish, nothing in machine formats', () => {
    const ws = tempWorkspace({ 'posts/ok.md': `${DRAFT}The 42 runs again from Monday.\n` });
    const r = run(['lint'], ws);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, '✔ 1 post, no problems\nPlaybook: playbooks/\n');
    for (const f of ['compact', 'github']) assert.equal(run(['lint', '-f', f], ws).stdout, '', f);
    assert.deepEqual(JSON.parse(run(['lint', '-f', 'json'], ws).stdout), [{ file: 'posts/ok.md', messages: [] }]);
  });

  it('prints stylish findings and exits 0 for warnings only, 1 past --max-warnings', () => {
    const ws = tempWorkspace({ 'posts/a.md': `${DRAFT}Going forward, we are pleased to announce a new bus.\n` });
    let r = run(['lint'], ws);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /posts\/a\.md\n {2}6:1 +warning {2}“Going forward” → “From now on” \(authority voice\)/);
    assert.match(r.stdout, /✖ 2 problems \(0 errors, 2 warnings\)/);
    r = run(['lint', '--max-warnings', '1'], ws);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /Too many warnings: 2 \(the limit is 1\)/);
    assert.equal(run(['lint', '--max-warnings', '2'], ws).code, 0);
  });

  it('exits 1 on an error-level finding; --quiet shows errors only', () => {
    const ws = tempWorkspace({ 'posts/a.md': `${DRAFT}Going forward, we apologise for any inconvenience.\n` });
    const r = run(['lint', '--quiet', '--format', 'compact'], ws);
    assert.equal(r.code, 1);
    assert.equal(
      r.stdout,
      'posts/a.md:6:29: error “for any inconvenience” is a non-apology: say what went wrong, that you are sorry for it, and what you are doing about it [non-apology]\n',
    );
  });

  it('prints the JSON format: positions, suggestions with their edits, the safe fix, rationale, definedAt, docsUrl; valid against the schema', () => {
    const ws = tempWorkspace({ 'posts/a.md': `${DRAFT}Going forward it is open.\n`, 'posts/b.md': `${DRAFT}Open.\n` });
    const r = run(['lint', '--format', 'json', 'posts'], ws);

    const out: any[] = JSON.parse(r.stdout);
    const data: unknown = out;
    const Ajv = require('ajv') as typeof import('ajv').default;
    const validate = new Ajv({ allErrors: true, strict: true }).compile(
      JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'docs', 'lint-output.schema.json'), 'utf8')),
    );
    assert.ok(validate(data), JSON.stringify(validate.errors));
    assert.deepEqual(
      out.map((x: { file: string }) => x.file),
      ['posts/a.md', 'posts/b.md'],
    );
    assert.deepEqual(out[1].messages, []);
    const m = out[0].messages[0];
    const { message, rationale, ...rest } = m;
    assert.match(message, /^“Going forward”/);
    assert.match(rationale, /desk between us/);
    const at = DRAFT.length;
    assert.deepEqual(rest, {
      ruleId: 'authority-voice',
      severity: 'warning',
      line: 6,
      column: 1,
      endLine: 6,
      endColumn: 14,
      offset: at,
      endOffset: at + 13,
      suggestions: ['From now on'],
      edits: [{ offset: at, endOffset: at + 13, text: 'From now on' }],
      definedAt: { file: 'playbooks/voice.md', line: 14 },
      docsUrl: 'https://github.com/unscripted/unscripted/blob/main/src/core/rules/authority-voice.md',
    });
    assert.equal(m.fix, undefined, '"going forward" is not marked (auto-fix)');
  });

  it('the JSON schema rejects what the format must not print (the test can fail)', () => {
    const Ajv = require('ajv') as typeof import('ajv').default;
    const validate = new Ajv({ strict: true }).compile(
      JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'docs', 'lint-output.schema.json'), 'utf8')),
    );
    const ok = {
      ruleId: 'r',
      severity: 'warning',
      message: 'm',
      line: 1,
      column: 1,
      endLine: 1,
      endColumn: 2,
      offset: 0,
      endOffset: 1,
      suggestions: [],
      edits: [],
    };
    assert.equal(validate([{ file: 'a.md', messages: [ok] }]), true);
    assert.equal(validate([{ file: 'a.md', messages: [{ ...ok, severity: 'fatal' }] }]), false);
    assert.equal(validate([{ file: 'a.md', messages: [{ ...ok, line: 0 }] }]), false);
    assert.equal(validate([{ file: 'a.md', messages: [{ ...ok, extra: 1 }] }]), false);
  });

  it('prints GitHub workflow annotations with escaped properties', () => {
    const ws = tempWorkspace({ 'posts/a.md': `${DRAFT}Going forward it is open.\n` });
    const r = run(['lint', '--format', 'github'], ws);
    assert.equal(
      r.stdout,
      '::warning file=posts/a.md,line=6,col=1,endLine=6,endColumn=14,title=unscripted(authority-voice)::“Going forward” → “From now on” (authority voice)\n',
    );
  });

  it('prints SARIF 2.1.0 with rule metadata and fixes', () => {
    const ws = tempWorkspace({ 'posts/a.md': `${DRAFT}Going forward it is open.\n` });
    const sarif = JSON.parse(run(['lint', '--format', 'sarif'], ws).stdout);
    assert.equal(sarif.version, '2.1.0');
    const run0 = sarif.runs[0];
    const rule = run0.tool.driver.rules.find((r: { id: string }) => r.id === 'authority-voice');
    assert.match(rule.shortDescription.text, /Institutional formulas/);
    assert.match(rule.helpUri, /authority-voice\.md$/);
    assert.equal(run0.results.length, 1);
    assert.equal(run0.results[0].locations[0].physicalLocation.region.startLine, 6);
    assert.equal(run0.results[0].fixes[0].artifactChanges[0].replacements[0].insertedContent.text, 'From now on');
    assert.equal(run0.tool.driver.rules[run0.results[0].ruleIndex].id, 'authority-voice');
  });

  it('lints standard input under --stdin-filename', () => {
    const ws = tempWorkspace();
    const r = run(
      ['lint', '--stdin', '--stdin-filename', 'posts/new.md', '--format', 'json'],
      ws,
      `${DRAFT}Please be advised the pool is shut.\n`,
    );
    const out = JSON.parse(r.stdout);
    assert.equal(out[0].file, 'posts/new.md');
    assert.equal(out[0].messages[0].ruleId, 'authority-voice');
    assert.deepEqual(out[0].messages[0].suggestions, ['Note']);
  });

  it('uses --now as the clock for schedule rules', () => {
    const ws = tempWorkspace({
      'posts/s.md': '---\ntitle: t\nchannels: [outbox]\nstatus: scheduled\npublish_at: 2026-04-01T09:00:00Z\n---\nHi.\n',
    });
    assert.match(run(['lint', '--now', '2026-03-01T00:00:00Z'], ws).stdout, /schedule-horizon/);
    assert.doesNotMatch(run(['lint', '--now', '2026-03-25T00:00:00Z'], ws).stdout, /schedule-horizon/);
  });

  it('exits 2 on usage errors', () => {
    const ws = tempWorkspace();
    for (const args of [
      ['lint', '--format', 'xml'],
      ['lint', '--max-warnings', 'many'],
      ['lint', '--now', 'tomorrow'],
      ['lint', '--bogus'],
      ['frobnicate'],
      ['lint', 'missing.md'],
    ]) {
      const r = run(args, ws);
      assert.equal(r.code, 2, args.join(' '));
      assert.match(r.stderr, /^unscripted( lint)?: .*\nRun `unscripted (lint )?--help` for the options\.\n$/, args.join(' '));
    }
  });

  it('exits 2 on playbook mistakes, naming file and line, and still lints', () => {
    const ws = tempWorkspace({ 'posts/a.md': `${DRAFT}Going forward.\n` });
    fs.appendFileSync(path.join(ws, 'playbooks', 'channels.md'), '| odd | myspace | | |\n');
    const r = run(['lint'], ws);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^playbooks\/channels\.md:12:1: playbook error: Channel "odd": unknown platform "myspace"/m);
    assert.match(r.stdout, /authority-voice/);
  });

  it('reports malformed front matter, binary and huge files at the right file, without crashing', () => {
    const ws = tempWorkspace({
      'posts/bad.md': '---\ntitle: [oops\nstatus: draft\n---\nHi.\n',
      'posts/bin.md': Buffer.from([0x2d, 0x2d, 0x2d, 0x0a, 0x00, 0xff, 0x00]),
      'posts/huge.md': `${DRAFT}${'word '.repeat(250_000)}`,
    });
    const r = run(['lint', '--format', 'json'], ws);
    assert.equal(r.code, 1);
    const byFile = Object.fromEntries(JSON.parse(r.stdout).map((x: { file: string; messages: unknown[] }) => [x.file, x.messages]));
    assert.equal(byFile['posts/bad.md'][0].ruleId, 'front-matter');
    assert.equal(byFile['posts/bad.md'][0].line, 3);
    assert.match(byFile['posts/bin.md'][0].message, /binary/);
    assert.match(byFile['posts/huge.md'][0].message, /too large/);
  });

  it('lints the shipped sample posts out of the box: `unscripted lint playbooks`', () => {
    const r = run(['lint', 'playbooks'], REPO_ROOT);
    assert.equal(r.code, 0, r.stderr); // warnings only, and the shipped playbook has no mistakes
    assert.equal(r.stderr, '');
    assert.match(r.stdout, /playbooks\/posts\/library-opening\.md/);
    assert.match(r.stdout, /authority-voice/);
  });
});

describe('CLI: unscripted init', () => {
  it('scaffolds playbooks/ and posts/, and the result lints', () => {
    const dir = tempDir();
    const r = run(['init'], dir);
    assert.equal(r.code, 0, r.stderr);
    for (const f of [
      'playbooks/voice.md',
      'playbooks/channels.md',
      'playbooks/schedule.md',
      'playbooks/talking-points.md',
      'posts/welcome.md',
    ])
      assert.ok(fs.existsSync(path.join(dir, f)), f);
    const l = run(['lint', '--format', 'json'], dir);
    assert.equal(l.code, 0, l.stderr + l.stdout);
    assert.equal(JSON.parse(l.stdout)[0].file, 'posts/welcome.md');
  });
  it('refuses to overwrite, exit 2', () => {
    const dir = tempDir({ 'posts/welcome.md': 'mine' });
    const r = run(['init'], dir);
    assert.equal(r.code, 2);
    assert.equal(fs.readFileSync(path.join(dir, 'posts/welcome.md'), 'utf8'), 'mine');
  });
});
