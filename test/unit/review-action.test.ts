/**
 * The GitHub Action's script, run for real: a shallow clone of a pull request's head (as
 * actions/checkout makes it), the script fetching the base, annotations on stdout, the review in
 * the job summary file and the step outputs in the outputs file.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import YAML from 'yaml';
import { buildPrRepo, GIT_ENV, NOW, sh, TempRepo } from './review-fixtures';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const SCRIPT = path.join(ROOT, 'scripts', 'action-review.sh');
const CLI = `node ${path.join(ROOT, 'bin', 'unscripted.js')}`;

interface ActionRun {
  code: number | null;
  stdout: string;
  stderr: string;
  summary: string;
  outputs: Record<string, string>;
}

function runAction(cwd: string, env: Record<string, string>): ActionRun {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'unscripted-runner-'));
  const summaryFile = path.join(tmp, 'step_summary.md');
  const outputFile = path.join(tmp, 'output.txt');
  fs.writeFileSync(summaryFile, '');
  fs.writeFileSync(outputFile, '');
  try {
    const res = spawnSync('bash', [SCRIPT], {
      cwd,
      encoding: 'utf8',
      env: {
        ...GIT_ENV,
        UNSCRIPTED_CLI: CLI,
        GITHUB_STEP_SUMMARY: summaryFile,
        GITHUB_OUTPUT: outputFile,
        RUNNER_TEMP: tmp,
        INPUT_NOW: NOW.toISOString(),
        ...env,
      },
      timeout: 60000,
    });
    const outputs = Object.fromEntries(
      fs
        .readFileSync(outputFile, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
    );
    return { code: res.status, stdout: res.stdout, stderr: res.stderr, summary: fs.readFileSync(summaryFile, 'utf8'), outputs };
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

describe('review: the GitHub Action script', function () {
  this.timeout(60000);
  let origin: TempRepo;
  let clone: string;
  before(() => {
    origin = buildPrRepo();
  });
  after(() => origin.cleanup());
  beforeEach(() => {
    // actions/checkout's default: one commit deep, only the head branch.
    clone = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'unscripted-checkout-')));
    sh(os.tmpdir(), ['clone', '-q', '--depth=1', '--branch', 'feature', `file://${origin.dir}`, clone]);
  });
  afterEach(() => fs.rmSync(clone, { recursive: true, force: true }));

  it('fetches the base into a shallow checkout, annotates changed lines and writes the job summary', () => {
    assert.throws(() => sh(clone, ['rev-parse', '--verify', '-q', 'origin/main']), 'the base is not there before the run');
    const r = runAction(clone, { GITHUB_BASE_REF: 'main' });
    assert.equal(r.code, 1, `findings at error level fail the step\n${r.stderr}`);
    assert.match(r.stderr, /fetching main from origin/);
    const annotations = r.stdout.split('\n').filter((l) => l.startsWith('::'));
    assert.ok(annotations.length > 0, r.stdout);
    for (const a of annotations) assert.match(a, /^::(error|warning|notice) file=posts\/(edited|moved|new|status|park)\.md,line=\d+/);
    assert.ok(
      annotations.some((a) => a.startsWith('::error ') && a.includes('file=posts/new.md')),
      'the pause flags the new scheduled post',
    );
    assert.ok(!r.stdout.includes('posts/untouched.md'), 'no annotations outside the changed lines');

    assert.match(r.summary, /^<!-- unscripted-review -->\n## Unscripted review/);
    assert.match(r.summary, /### Schedule changes/);
    assert.match(r.summary, /#### Impact across the workspace/);
    assert.match(r.summary, /`posts\/untouched\.md` \(Council visit\) \*\(not changed\)\*/);
    assert.equal(r.outputs.base, 'origin/main');
    assert.equal(r.outputs['lint-exit-code'], '1');
    assert.match(r.outputs['summary-file'], /unscripted-review\.md$/);
  });

  it('with fail-on never, reports but passes', () => {
    const r = runAction(clone, { GITHUB_BASE_REF: 'main', INPUT_FAIL_ON: 'never' });
    assert.equal(r.code, 0, r.stderr);
    assert.ok(r.stdout.includes('::error '));
    assert.match(r.summary, /## Unscripted review/);
  });

  it('takes an explicit base, can skip the summary and writes SARIF when asked', () => {
    sh(clone, ['fetch', '-q', '--depth=1', 'origin', 'main:refs/remotes/origin/main']);
    const sarif = path.join(clone, 'unscripted.sarif');
    const r = runAction(clone, { INPUT_BASE: 'origin/main', INPUT_SUMMARY: 'false', INPUT_FAIL_ON: 'never', INPUT_SARIF_FILE: sarif });
    assert.equal(r.code, 0, r.stderr);
    assert.doesNotMatch(r.stderr, /fetching/);
    assert.equal(r.summary, '');
    assert.equal(r.outputs['summary-file'], undefined);
    assert.equal(r.outputs['sarif-file'], sarif);
    const doc = JSON.parse(fs.readFileSync(sarif, 'utf8'));
    assert.equal(doc.version, '2.1.0');
    assert.ok(doc.runs[0].results.length > 0);
  });

  it('fails with a clear error annotation when the base cannot be found', () => {
    const r = runAction(clone, { GITHUB_BASE_REF: 'no-such-branch' });
    assert.equal(r.code, 2);
    assert.match(
      r.stdout,
      /^::error title=Unscripted::the base 'origin\/no-such-branch' is not in this checkout and could not be fetched/m,
    );
    assert.equal(r.summary, '');
  });

  it('fails with a clear error when there is no base at all', () => {
    const r = runAction(clone, {});
    assert.equal(r.code, 2);
    assert.match(r.stdout, /no base to compare with/);
  });

  it('rejects a bad fail-on value', () => {
    const r = runAction(clone, { GITHUB_BASE_REF: 'main', INPUT_FAIL_ON: 'sometimes' });
    assert.equal(r.code, 2);
    assert.match(r.stdout, /fail-on must be error, warning or never/);
  });

  it('action.yml runs the script with every input passed through', () => {
    const yml = fs.readFileSync(path.join(ROOT, 'action.yml'), 'utf8');
    const doc = YAML.parse(yml);
    assert.equal(doc.runs.using, 'composite');
    for (const step of doc.runs.steps) if (step.run) assert.equal(step.shell, 'bash', 'composite run steps need a shell');
    assert.deepEqual(Object.keys(doc.outputs).sort(), ['base', 'lint-exit-code', 'sarif-file', 'summary-file']);
    assert.match(yml, /using: composite/);
    assert.match(yml, /run: bash "\$GITHUB_ACTION_PATH\/scripts\/action-review\.sh"/);
    const inputsSection = yml.slice(yml.indexOf('\ninputs:'), yml.indexOf('\noutputs:'));
    const inputs = [...inputsSection.matchAll(/^ {2}([a-z-]+):$/gm)].map((m) => m[1]);
    assert.ok(inputs.length >= 8);
    const passed = new Map([...yml.matchAll(/INPUT_([A-Z_]+): \$\{\{ inputs\.([a-z-]+) \}\}/g)].map((m) => [m[2], m[1]]));
    const script = fs.readFileSync(SCRIPT, 'utf8');
    for (const input of inputs) {
      if (input === 'node-version') continue; // used by the setup-node step
      const envName = input.toUpperCase().replace(/-/g, '_');
      assert.equal(passed.get(input), envName, `input ${input} reaches the script as INPUT_${envName}`);
      assert.ok(script.includes(`INPUT_${envName}`), `the script reads ${input}`);
    }
  });
});
