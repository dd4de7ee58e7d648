/**
 * The machine formats a pull request meets: SARIF 2.1.0 (validated against the published JSON
 * schema), GitHub workflow-command annotations, and the compact format read by the `$unscripted`
 * problem matcher in VS Code.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Writable } from 'node:stream';
import { Workspace, type LintResult, type Finding } from '../../src/core';
import { formatResults } from '../../src/formats';
import { main } from '../../src/cli/main';
import { buildPrRepo, NOW, TempRepo } from './review-fixtures';

const Ajv04 = require('ajv-draft-04');

const addFormats = require('ajv-formats');

/**
 * The SARIF 2.1.0 schema as published (SchemaStore's sarif-2.1.0-rtm.5.json, the one GitHub's code
 * scanning docs point to), shipped in the @microsoft/jest-sarif package. No npm package ships the
 * OASIS file under its own name (sarif-schema-2.1.0.json).
 */
const SCHEMA_FILE = require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json');

function sarifValidator() {
  const schema = JSON.parse(fs.readFileSync(SCHEMA_FILE, 'utf8'));
  // The schema's language-tag pattern is not valid as a Unicode regular expression
  // (`...{2}]?$`): compile patterns without the u flag, as draft-04 validators did.
  const ajv = new Ajv04({ allErrors: true, strict: false, validateFormats: true, unicodeRegExp: false });
  addFormats(ajv);
  const validate = ajv.compile(schema);
  return (doc: unknown) => {
    const ok = validate(doc) as boolean;
    return { ok, errors: ajv.errorsText(validate.errors, { separator: '\n' }) as string };
  };
}

function collect(): { stream: Writable; text: () => string } {
  let buf = '';
  return {
    stream: new Writable({
      write(chunk, _e, cb) {
        buf += chunk.toString();
        cb();
      },
    }),
    text: () => buf,
  };
}

async function cli(cwd: string, argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out = collect();
  const err = collect();
  const code = await main(argv, { cwd, stdout: out.stream, stderr: err.stream, env: {}, isTTY: false });
  return { code, out: out.text(), err: err.text() };
}

describe('review: SARIF 2.1.0', function () {
  this.timeout(30000);
  const validate = sarifValidator();
  let repo: TempRepo;
  before(() => {
    repo = buildPrRepo();
  });
  after(() => repo.cleanup());

  it('the validator rejects a broken log (so a pass means something)', () => {
    assert.equal(validate({ version: '2.1.0', runs: [{ tool: { driver: {} } }] }).ok, false);
    assert.equal(validate({ version: '2.0.0', runs: [] }).ok, false);
    assert.equal(validate({ version: '2.1.0', runs: [{ tool: { driver: { name: 'x' } }, results: [{ message: {} }] }] }).ok, false);
  });

  it('lint --format sarif is valid against the schema and carries rule metadata', async () => {
    const { code, out, err } = await cli(repo.dir, ['lint', '--format', 'sarif', '--now', NOW.toISOString()]);
    assert.ok(code === 0 || code === 1, err);
    const doc = JSON.parse(out);
    const v = validate(doc);
    assert.ok(v.ok, v.errors);
    const run = doc.runs[0];
    assert.equal(run.tool.driver.name, 'unscripted');
    const rules: { id: string; shortDescription: { text: string }; help: { text: string }; helpUri?: string }[] = run.tool.driver.rules;
    assert.ok(run.results.length > 0, 'the fixture has findings');
    const ruleIds = new Set<string>();
    for (const r of run.results) {
      ruleIds.add(r.ruleId);
      assert.equal(rules[r.ruleIndex].id, r.ruleId, 'ruleIndex points at the rule');
      const loc = r.locations[0].physicalLocation;
      assert.match(loc.artifactLocation.uri, /^posts\/[^/]+\.md$/, 'paths relative to the checkout, as code scanning wants');
      assert.ok(loc.region.startLine >= 1 && loc.region.startColumn >= 1);
    }
    for (const id of ruleIds) {
      const rule = rules.find((x) => x.id === id)!;
      assert.ok(rule.shortDescription.text.trim(), `${id} has a short description`);
      assert.ok(rule.help.text.trim(), `${id} has help text`);
      if (!id.startsWith('voice/')) assert.match(rule.helpUri ?? '', /^https:\/\/.+\/[a-z-]+\.md$/, `${id} links to its docs`);
    }
    assert.ok(ruleIds.has('voice/jargon-watch'), 'playbook rules are in the log too');
  });

  it('lint --changed-since --format sarif is valid and holds only changed-line findings', async () => {
    const all = JSON.parse((await cli(repo.dir, ['lint', '--format', 'sarif', '--now', NOW.toISOString()])).out);
    const { out } = await cli(repo.dir, ['lint', '--changed-since', 'main', '--format', 'sarif', '--now', NOW.toISOString()]);
    const doc = JSON.parse(out);
    const v = validate(doc);
    assert.ok(v.ok, v.errors);
    const files = new Set<string>(
      doc.runs[0].results.map(
        (r: { locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }) =>
          r.locations[0].physicalLocation.artifactLocation.uri,
      ),
    );
    assert.ok(!files.has('posts/untouched.md'), 'an untouched post has no changed lines');
    assert.ok(files.has('posts/new.md'), 'a new post counts whole');
    assert.ok(doc.runs[0].results.length < all.runs[0].results.length);
  });

  it('an empty result set is a valid log', () => {
    const doc = JSON.parse(formatResults([], 'sarif', { cwd: repo.dir }));
    const v = validate(doc);
    assert.ok(v.ok, v.errors);
    assert.deepEqual(doc.runs[0].results, []);
  });

  it('findings with suggestions carry valid fixes', async () => {
    const ws = Workspace.open(repo.dir);
    const results = ws.lintFiles(undefined, { now: NOW });
    const withEdits = results.flatMap((r) => r.findings).filter((f) => f.suggestions.some((s) => s.edit));
    assert.ok(withEdits.length > 0, 'the fixture has a finding with a suggested edit');
    const doc = JSON.parse(formatResults(results, 'sarif', { cwd: repo.dir, rules: ws.rules, playbook: ws.playbook }));
    const v = validate(doc);
    assert.ok(v.ok, v.errors);
    assert.ok(doc.runs[0].results.some((r: { fixes?: unknown[] }) => (r.fixes ?? []).length > 0));
  });
});

describe('review: GitHub annotations (--format github)', function () {
  this.timeout(30000);
  const finding = (over: Partial<Finding>): Finding => ({
    ruleId: 'authority-voice',
    severity: 'warning',
    message: 'msg',
    line: 3,
    column: 5,
    endLine: 3,
    endColumn: 9,
    offset: 0,
    endOffset: 4,
    suggestions: [],
    ...over,
  });

  it('writes one workflow command per finding, escaped as the runner requires', () => {
    const cwd = '/ws';
    const results: LintResult[] = [
      {
        file: '/ws/posts/a, b: c.md',
        findings: [
          finding({ severity: 'error', message: '100% sure\r\nnext line', ruleId: 'blind-statement' }),
          finding({ severity: 'warning', message: 'plain', suggestions: [{ text: 'here is' }] }),
          finding({ severity: 'info', message: 'fyi', line: 7, endLine: 8, column: 1, endColumn: 2 }),
        ],
      },
    ];
    const lines = formatResults(results, 'github', { cwd }).trimEnd().split('\n');
    assert.equal(lines.length, 3);
    const re = /^::(error|warning|notice) ((?:[a-zA-Z]+=[^,:]*)(?:,[a-zA-Z]+=[^,:]*)*)::(.*)$/;
    const parsed = lines.map((l) => {
      const m = re.exec(l);
      assert.ok(m, `not a workflow command: ${l}`);
      const props = Object.fromEntries(m[2].split(',').map((kv) => kv.split('=') as [string, string]));
      return { level: m[1], props, data: m[3] };
    });
    assert.deepEqual(
      parsed.map((p) => p.level),
      ['error', 'warning', 'notice'],
    );
    assert.equal(parsed[0].props.file, 'posts/a%2C b%3A c.md', 'commas and colons in a property are escaped');
    assert.equal(parsed[0].props.line, '3');
    assert.equal(parsed[0].props.col, '5');
    assert.equal(parsed[0].props.endColumn, '9');
    assert.match(parsed[0].props.title, /blind-statement/);
    assert.equal(parsed[0].data, '100%25 sure%0D%0Anext line', 'percent, CR and LF in the message are escaped');
    assert.match(parsed[1].data, /here is/, 'suggestions are in the annotation');
    assert.equal(parsed[2].props.endLine, '8');
    for (const l of lines) assert.ok(!/[\r]/.test(l));
  });

  it('lint --changed-since --format github annotates only changed lines of a real PR repo', async () => {
    const repo = buildPrRepo();
    try {
      const { out } = await cli(repo.dir, ['lint', '--changed-since', 'main', '--format', 'github', '--now', NOW.toISOString()]);
      const lines = out.trimEnd().split('\n').filter(Boolean);
      assert.ok(lines.length > 0);
      for (const l of lines) assert.match(l, /^::(error|warning|notice) file=posts\/(edited|moved|new|status|park)\.md,line=\d+,/);
      // In edited.md the rewritten paragraph is annotated; untouched posts are not.
      assert.ok(lines.some((l) => l.includes('file=posts/edited.md') && l.includes('at this time')));
      assert.ok(!lines.some((l) => l.includes('file=posts/untouched.md')));
    } finally {
      repo.cleanup();
    }
  });
});

describe('review: lint --changed-since exit codes', function () {
  this.timeout(30000);
  it('exits 2 with a clear message when the ref is missing, 0/1 by the changed-line findings otherwise', async () => {
    const repo = buildPrRepo();
    try {
      const missing = await cli(repo.dir, ['lint', '--changed-since', 'origin/nope']);
      assert.equal(missing.code, 2);
      assert.match(missing.err, /git ref "origin\/nope" was not found/);
      assert.equal(missing.out, '');
      const head = await cli(repo.dir, ['lint', '--changed-since', 'HEAD', '--format', 'json', '--now', NOW.toISOString()]);
      assert.equal(head.code, 0, 'nothing changed since HEAD: nothing to report, even with old findings around');
      assert.deepEqual(JSON.parse(head.out), []);
      const main = await cli(repo.dir, ['lint', '--changed-since', 'main', '--format', 'json', '--now', NOW.toISOString()]);
      assert.equal(main.code, 1, 'the pause makes the newly scheduled post an error');
      const files = (JSON.parse(main.out) as { file: string }[]).map((r) => r.file).sort();
      assert.deepEqual(files, ['posts/edited.md', 'posts/moved.md', 'posts/new.md', 'posts/park.md', 'posts/status.md']);
    } finally {
      repo.cleanup();
    }
  });
});

describe('review: the $unscripted problem matcher reads the compact format', function () {
  this.timeout(30000);
  const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', '..', 'package.json'), 'utf8'));
  const matcher = pkg.contributes.problemMatchers.find((m: { name: string }) => m.name === 'unscripted');

  it('is contributed with a task type', () => {
    assert.ok(matcher, 'contributes.problemMatchers has "unscripted"');
    assert.equal(matcher.owner, 'unscripted');
    const def = pkg.contributes.taskDefinitions.find((d: { type: string }) => d.type === 'unscripted');
    assert.ok(def);
    assert.deepEqual(Object.keys(def.properties).sort(), ['args', 'changedSince', 'command', 'paths', 'playbook']);
  });

  it('captures file, line, column, severity, message and rule of every compact line', async () => {
    const repo = buildPrRepo();
    try {
      repo.write(
        'posts/odd: name [x].md',
        '---\ntitle: Odd\nchannels: [outbox]\nstatus: draft\n---\nPlease be advised: the [bins] go out at 7.\n',
      );
      const ws = Workspace.open(repo.dir);
      const results = ws.lintFiles(undefined, { now: NOW });
      const out = formatResults(results, 'compact', { cwd: repo.dir });
      const re = new RegExp(matcher.pattern.regexp);
      const p = matcher.pattern;
      const expected = results.flatMap((r) => r.findings.map((f) => ({ r, f })));
      const lines = out.trimEnd().split('\n');
      assert.equal(lines.length, expected.length);
      assert.ok(expected.length > 3);
      lines.forEach((line, i) => {
        const m = re.exec(line);
        assert.ok(m, `the matcher does not read: ${line}`);
        const { r, f } = expected[i];
        assert.equal(m[p.file], path.relative(repo.dir, r.file).split(path.sep).join('/'));
        assert.equal(Number(m[p.line]), f.line);
        assert.equal(Number(m[p.column]), f.column);
        assert.equal(m[p.severity], f.severity);
        assert.equal(m[p.message], f.message);
        assert.equal(m[p.code], f.ruleId);
      });
      assert.ok(
        lines.some((l) => l.startsWith('posts/odd: name [x].md:')),
        'odd file names are read too',
      );
    } finally {
      repo.cleanup();
    }
  });
});
