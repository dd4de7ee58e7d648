/** institutional-voice through the real CLI: the finding, its explanation in JSON, and the playbook's controls. */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPO_ROOT, tempWorkspace } from '../helpers';

const BIN = path.join(REPO_ROOT, 'bin', 'unscripted.js');
const run = (args: string[], cwd: string) =>
  spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
const POST =
  '---\ntitle: t\nchannels: [outbox]\nstatus: draft\n---\nSam here. We are aware of the issue and our teams are working hard to resolve it. Further updates will follow.\n';

describe('CLI: institutional-voice', () => {
  it('reports one finding with its score and evidence in --format json', () => {
    const ws = tempWorkspace({ 'posts/a.md': POST });
    const r = run(['lint', '--format', 'json'], ws);
    assert.equal(r.status, 0, r.stderr);
    const [{ messages }] = JSON.parse(r.stdout) as {
      messages: {
        ruleId: string;
        message: string;
        line: number;
        column: number;
        explanation?: {
          score: number;
          threshold: number;
          phrases: { text: string; offset: number }[];
          sentences: { offset: number; endOffset: number }[];
        };
      }[];
    }[];
    const iv = messages.filter((m) => m.ruleId === 'institutional-voice');
    assert.equal(iv.length, 1);
    const e = iv[0].explanation!;
    assert.ok(e.score >= e.threshold);
    assert.equal(iv[0].line, 6);
    assert.equal(iv[0].column, 11, 'starts at the scripted sentence, after "Sam here."');
    assert.equal(
      POST.slice(e.sentences[0].offset, e.sentences[0].endOffset),
      'We are aware of the issue and our teams are working hard to resolve it.',
    );
    for (const p of e.phrases) assert.equal(POST.slice(p.offset, p.offset + p.text.length), p.text);
    assert.ok(iv[0].message.startsWith(`Reads institutional (${e.score.toFixed(2)}): “${e.phrases[0].text}”`));
  });

  it('a threshold in the playbook and an inline comment silence it; a bad option exits 2 at its line', () => {
    const ws = tempWorkspace({ 'posts/a.md': POST });
    const schedule = path.join(ws, 'playbooks', 'schedule.md');
    const original = fs.readFileSync(schedule, 'utf8');
    fs.writeFileSync(schedule, original.replace(/^---\n/, '---\nrules:\n  institutional-voice: { threshold: 0.95 }\n'));
    let r = run(['lint', '--format', 'compact'], ws);
    assert.equal(r.status, 0, r.stderr);
    assert.doesNotMatch(r.stdout, /institutional-voice/);
    fs.writeFileSync(schedule, original.replace(/^---\n/, '---\nrules:\n  institutional-voice: { treshold: 0.95 }\n'));
    r = run(['lint', '--format', 'compact'], ws);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /playbooks\/schedule\.md:3.*rules\.institutional-voice: unknown option "treshold"/);
    assert.match(r.stdout, /\[institutional-voice\]/, 'still lints with the default threshold');
    fs.writeFileSync(schedule, original);
    fs.writeFileSync(
      path.join(ws, 'posts', 'a.md'),
      POST.replace('Sam here. ', 'Sam here.\n<!-- unscripted-disable-next-line institutional-voice -->\n'),
    );
    r = run(['lint', '--format', 'compact'], ws);
    assert.equal(r.status, 0, r.stderr);
    assert.doesNotMatch(r.stdout, /institutional-voice/);
  });

  it("`unscripted playbook` shows the threshold in effect and the team's examples with their lines", () => {
    const ws = tempWorkspace({
      'posts/a.md': POST,
      'playbooks/examples.md':
        '---\nkind: examples\n---\n## Sounds like us\n\n- Sam here: the 42 is ten minutes late, sorry folks.\n\n## Not us\n\n- Customers are advised that delays may occur.\n',
    });
    const schedule = path.join(ws, 'playbooks', 'schedule.md');
    fs.writeFileSync(
      schedule,
      fs.readFileSync(schedule, 'utf8').replace(/^---\n/, '---\nrules:\n  institutional-voice: { threshold: 0.7 }\n'),
    );
    const r = run(['playbook'], ws);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /institutional-voice +warning +threshold 0\.7 +\(built in\)/);
    assert.match(
      r.stdout,
      /Examples \(teach institutional-voice\): 1 sound like us, 1 not us\n {2}playbooks\/examples\.md:6 {2}sounds like us: Sam here: the 42 is ten minutes late, sorry folks\.\n {2}playbooks\/examples\.md:10 {2}not us: Customers are advised that delays may occur\./,
    );
    const json = JSON.parse(run(['playbook', '--format', 'json'], ws).stdout) as {
      rules: { id: string; options?: Record<string, { value: number; fromPlaybook: boolean }> }[];
      examples: { side: string }[];
    };
    assert.deepEqual(json.rules.find((x) => x.id === 'institutional-voice')?.options, { threshold: { value: 0.7, fromPlaybook: true } });
    assert.deepEqual(
      json.examples.map((e) => e.side),
      ['us', 'not-us'],
    );
  });
});
