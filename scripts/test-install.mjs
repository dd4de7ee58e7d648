#!/usr/bin/env node
/**
 * The README's "In your own repo" path and its cron recipe, end to end, as a new user meets them:
 * `npm pack` this repo, install the tarball into a fresh git repo, `npx unscripted init`, lint
 * from the root and from posts/, run the README's publish example as written, then run the
 * GitHub Actions recipe's steps (taken from the README, not copied here) in a clone and check
 * that the ledger and outbox/ reach the remote. Needs the npm registry (for the dependencies).
 * Prints the tarball size. Exit 0 when every step did what the README says.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(path.join(ROOT, 'package.json'));
const YAML = require('yaml');
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'unscripted-install-'));
const keep = process.env.KEEP_TMP === '1';
let failed = 0;

function sh(cmd, args, cwd, opts = {}) {
  const r = spawnSync(cmd, args, {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', npm_config_fund: 'false', npm_config_audit: 'false', ...opts.env },
    shell: opts.shell ?? false,
  });
  if (opts.expect !== undefined && r.status !== opts.expect) {
    throw new Error(`${cmd} ${args.join(' ')} (in ${cwd}) exited ${r.status}, expected ${opts.expect}\n${r.stdout}\n${r.stderr}`);
  }
  return r;
}
function check(name, ok, detail = '') {
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${name}${ok || !detail ? '' : `\n${detail}`}`);
  if (!ok) failed++;
}

try {
  // 1. Pack (prepare builds), as the README says.
  const vendor = path.join(work, 'our-comms', 'vendor');
  fs.mkdirSync(vendor, { recursive: true });
  sh('npm', ['pack', '--silent', '--pack-destination', vendor], ROOT, { expect: 0 });
  const tgz = fs.readdirSync(vendor).find((n) => /^unscripted-.*\.tgz$/.test(n));
  const size = fs.statSync(path.join(vendor, tgz)).size;
  console.log(`tarball: ${tgz}, ${(size / 1024).toFixed(1)} kB`);
  const listing = execFileSync('tar', ['tzf', path.join(vendor, tgz)], { encoding: 'utf8' });
  check('the tarball holds no tests, sources or editor code', !/\.test\.js|\.ts$|\/extension\/|\/test\/|bench\//m.test(listing), listing);
  check(
    'the tarball holds the CLI bundle and its lint worker',
    /dist\/cli-bundle\.js$/m.test(listing) && /dist\/lint-worker\.js$/m.test(listing),
    listing,
  );

  // 2. A fresh repo of the team's own.
  const repo = path.join(work, 'our-comms');
  sh('git', ['init', '-q', '-b', 'main'], repo, { expect: 0 });
  sh('git', ['config', 'user.email', 'lead@example.org'], repo);
  sh('git', ['config', 'user.name', 'Lead'], repo);
  sh('npm', ['init', '-y'], repo, { expect: 0 });
  sh('npm', ['install', '-D', `./vendor/${tgz}`], repo, { expect: 0 });
  const version = sh('npx', ['unscripted', '--version'], repo, { expect: 0 }).stdout.trim();
  check('npx unscripted --version', version === JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version, version);
  const init = sh('npx', ['unscripted', 'init'], repo, { expect: 0 });
  check('init creates playbooks/ and posts/welcome.md', /Created:[\s\S]*posts\/welcome\.md/.test(init.stdout), init.stdout);
  const lint = sh('npx', ['unscripted', 'lint'], repo);
  check(
    'npx unscripted lint: exit 0, one success line and the playbook',
    lint.status === 0 && lint.stdout === '✔ 1 post, no problems\nPlaybook: playbooks/\n',
    lint.stdout + lint.stderr,
  );
  const sub = sh('npx', ['unscripted', 'lint', 'welcome.md'], path.join(repo, 'posts'));
  check(
    'lint from posts/ finds the playbook above',
    sub.status === 0 && sub.stdout.includes('Playbook: ../playbooks/'),
    sub.stdout + sub.stderr,
  );

  // 3. The README's publish example, as written.
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const examples = [...readme.matchAll(/^unscripted (publish posts\/\S+[^#\n]*?)\s*(?:#.*)?$/gm)].map((m) => m[1].trim().split(/\s+/));
  check('the README has a publish example', examples.length >= 2, String(examples));
  for (const args of examples) {
    const r = sh('npx', ['unscripted', ...args], repo);
    check(`README: unscripted ${args.join(' ')}`, r.status === 0, r.stdout + r.stderr);
  }
  check('the published post is in outbox/', fs.existsSync(path.join(repo, 'outbox', 'outbox')), fs.readdirSync(repo).join(' '));
  sh('git', ['add', '-A'], repo, { expect: 0 });
  sh('git', ['commit', '-qm', 'Unscripted'], repo, { expect: 0 });

  // 4. A post that is due, and the cron recipe's steps from the README, in a clone.
  const now = new Date();
  const iso = (d) => d.toISOString().replace(/\.\d{3}Z$/, 'Z');
  fs.writeFileSync(
    path.join(repo, 'posts', 'due.md'),
    `---\ntitle: Pool reopens\nchannels: [outbox]\nstatus: scheduled\npublish_at: ${iso(new Date(now.getTime() - 60_000))}\nreviewed_at: ${iso(new Date(now.getTime() - 3_600_000))}\n---\nThe pool reopens today at nine.\n`,
  );
  sh('git', ['add', '-A'], repo, { expect: 0 });
  sh('git', ['commit', '-qm', 'A due post'], repo, { expect: 0 });
  const remote = path.join(work, 'remote.git');
  sh('git', ['clone', '-q', '--bare', repo, remote], work, { expect: 0 });
  const ci = path.join(work, 'ci');
  sh('git', ['clone', '-q', remote, ci], work, { expect: 0 });
  const block = /```yaml\n(# \.github\/workflows\/publish\.yml[\s\S]*?)```/.exec(readme);
  check('the README has the Actions recipe', !!block);
  const steps = YAML.parse(block[1]).jobs.publish.steps.filter((s) => s.run);
  check(
    'the recipe sets up Node 22 like engines',
    JSON.stringify(YAML.parse(block[1])).includes('"node-version":22') &&
      /^>=22/.test(JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).engines.node),
  );
  for (const step of steps) {
    const r = sh('bash', ['-e', '-c', step.run], ci);
    check(`recipe step: ${step.name ?? step.run.split('\n')[0]}`, r.status === 0, r.stdout + r.stderr);
  }
  const files = execFileSync('git', ['ls-tree', '-r', '--name-only', 'main'], { cwd: remote, encoding: 'utf8' });
  check('the remote has the due post in outbox/ (committed by the recipe)', /^outbox\/outbox\/due\/1\.txt$/m.test(files), files);
  const due = execFileSync('git', ['show', 'main:posts/due.md'], { cwd: remote, encoding: 'utf8' });
  check('the remote has the ledger: status published', /^status: published$/m.test(due), due);
} catch (e) {
  console.error(e.message);
  failed++;
} finally {
  // git may still be writing in the bare remote (auto gc) when we get here: retry the removal.
  if (!keep) fs.rmSync(work, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
  else console.log(`kept ${work}`);
}
console.log(failed ? `${failed} failed` : 'install path: all ok');
process.exit(failed ? 1 : 0);
