/**
 * bin/code-cache.js, the V8 code cache that bin/unscripted.js (and the extension's dist/extension.js)
 * load their bundle through: it must serve only the code it was made from, survive a corrupt or
 * rejected cache file and an unwritable folder, follow the compiled-playbook cache's folder rules,
 * and really be used by the CLI.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { defaultCacheDir } from '../../src/core/playbook-cache';

const REPO = path.resolve(__dirname, '..', '..', '..');
const cc = require(path.join(REPO, 'bin', 'code-cache.js'));

interface Loaded {
  exports: Record<string, unknown>;
  status: 'off' | 'miss' | 'hit' | 'rejected';
  save(): boolean;
}
const load = (file: string, dir: string | undefined, tag = 't'): Loaded => cc.loadBundle(file, { dir, tag });
const cacheFiles = (dir: string) => (fs.existsSync(dir) ? fs.readdirSync(dir).filter((n) => /^code-[0-9a-f]{64}\.bin$/.test(n)) : []);

describe('code cache of a bundle (bin/code-cache.js)', () => {
  let tmp: string;
  let dir: string;
  let bundle: string;
  // A bundle as esbuild writes one: CommonJS, with require of a relative file and __dirname.
  const source = (answer: string) =>
    `'use strict';\nconst helper = require('./helper.js');\nfunction f(x) { return x * 2; }\nexports.answer = ${answer};\nexports.doubled = f(helper.n);\nexports.dir = __dirname;\nexports.same = require.cache[__filename] === module;\n`;

  beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'unscripted-code-cache-'));
    dir = path.join(tmp, 'cache', 'code-cache');
    bundle = path.join(tmp, 'dist', 'bundle.js');
    fs.mkdirSync(path.dirname(bundle));
    fs.writeFileSync(path.join(tmp, 'dist', 'helper.js'), 'exports.n = 21;\n');
    fs.writeFileSync(bundle, source('"first"'));
  });
  afterEach(() => {
    delete require.cache[bundle];
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('runs the bundle as require would, writes the cache after the run, and serves it next time', () => {
    const first = load(bundle, dir);
    assert.equal(first.status, 'miss');
    assert.deepEqual(first.exports, { answer: 'first', doubled: 42, dir: path.dirname(bundle), same: true });
    assert.equal(cacheFiles(dir).length, 0, 'nothing is written before save()');
    assert.equal(first.save(), true);
    assert.equal(first.save(), false, 'once per run');
    assert.equal(cacheFiles(dir).length, 1);
    const second = load(bundle, dir);
    assert.equal(second.status, 'hit');
    assert.deepEqual(second.exports, first.exports);
    assert.equal(second.save(), false, 'a hit writes nothing');
  });

  it('never serves the cache of other code: a changed bundle of the same length is compiled anew', () => {
    load(bundle, dir).save();
    // Same length on purpose: V8's own check of cached data looks at the source length only.
    fs.writeFileSync(bundle, source('"other"'));
    assert.equal(fs.statSync(bundle).size, Buffer.byteLength(source('"first"')));
    const changed = load(bundle, dir);
    assert.equal(changed.status, 'miss');
    assert.equal(changed.exports.answer, 'other');
    changed.save();
    assert.equal(cacheFiles(dir).length, 2, 'one cache per bundle content');
  });

  it('keeps one cache per tag (a command), so each holds what that command compiled', () => {
    load(bundle, dir, 'lint').save();
    assert.equal(load(bundle, dir, 'init').status, 'miss');
    assert.equal(load(bundle, dir, 'lint').status, 'hit');
  });

  it('ignores a corrupt cache file (payload changed, or cut short) and replaces it', () => {
    load(bundle, dir).save();
    const [name] = cacheFiles(dir);
    const file = path.join(dir, name);
    const good = fs.readFileSync(file);
    const flipped = Buffer.from(good);
    flipped[flipped.length - 10] ^= 0xff;
    fs.writeFileSync(file, flipped);
    const corrupt = load(bundle, dir);
    assert.equal(corrupt.status, 'miss');
    assert.equal(corrupt.exports.answer, 'first');
    assert.equal(corrupt.save(), true);
    assert.equal(load(bundle, dir).status, 'hit', 'the rewritten cache is good');
    fs.writeFileSync(file, good.subarray(0, 20));
    assert.equal(load(bundle, dir).status, 'miss');
    fs.writeFileSync(file, '');
    assert.equal(load(bundle, dir).status, 'miss');
  });

  it('handles data V8 rejects (a well-formed file of other code): runs the bundle, then rewrites the file', () => {
    const other = path.join(tmp, 'dist', 'other.js');
    fs.writeFileSync(other, 'exports.answer = "a different script, a different length";\n');
    load(other, dir).save();
    // Put the other script's cache under this bundle's name: checksum fine, code wrong.
    const mine = cc.cacheFile(dir, fs.readFileSync(bundle, 'utf8'), 't') as string;
    fs.renameSync(path.join(dir, cacheFiles(dir)[0]), mine);
    const rejected = load(bundle, dir);
    assert.equal(rejected.status, 'rejected');
    assert.equal(rejected.exports.answer, 'first');
    assert.equal(rejected.save(), true);
    assert.equal(load(bundle, dir).status, 'hit');
  });

  it('takes no code from a cache file or folder that others can write (V8 runs what it reads)', function () {
    if (process.platform === 'win32') this.skip();
    load(bundle, dir).save();
    const file = path.join(dir, cacheFiles(dir)[0]);
    assert.equal(fs.statSync(file).mode & 0o077, 0, 'written for the user alone');
    assert.equal(load(bundle, dir).status, 'hit');
    fs.chmodSync(file, 0o666);
    assert.equal(load(bundle, dir).status, 'miss');
    fs.chmodSync(file, 0o600);
    assert.equal(load(bundle, dir).status, 'hit');
    fs.chmodSync(dir, 0o777);
    const shared = load(bundle, dir);
    assert.equal(shared.status, 'miss');
    assert.equal(shared.exports.answer, 'first');
    assert.equal(shared.save(), false, 'nor writes into it');
  });

  it('never fails, and writes nothing, when the cache folder cannot be made or written', () => {
    const blocker = path.join(tmp, 'a-file');
    fs.writeFileSync(blocker, 'not a folder');
    const under = path.join(blocker, 'code-cache');
    const r = load(bundle, under);
    assert.equal(r.status, 'miss');
    assert.equal(r.exports.answer, 'first');
    assert.equal(r.save(), false);
    assert.equal(fs.readFileSync(blocker, 'utf8'), 'not a folder');
    assert.deepEqual(
      fs.readdirSync(tmp).filter((n) => n.includes('.tmp')),
      [],
    );
  });

  it('with caches off (no folder), runs the bundle and never writes', () => {
    const r = load(bundle, undefined);
    assert.equal(r.status, 'off');
    assert.equal(r.exports.answer, 'first');
    assert.equal(r.save(), false);
  });

  it('keeps at most KEEP cache files, removing the oldest', () => {
    const base = Date.now() - 1e6;
    for (let i = 0; i < cc.KEEP + 3; i++) {
      fs.writeFileSync(bundle, source(String(i)));
      load(bundle, dir).save();
      // Distinct mtimes, oldest first, whatever the file system's clock resolution.
      fs.utimesSync(cc.cacheFile(dir, source(String(i)), 't'), new Date(), new Date(base + i * 1000));
    }
    assert.equal(cacheFiles(dir).length, cc.KEEP);
    fs.writeFileSync(bundle, source(String(cc.KEEP + 2)));
    assert.equal(load(bundle, dir).status, 'hit', 'the newest is kept');
    fs.writeFileSync(bundle, source('0'));
    assert.equal(load(bundle, dir).status, 'miss', 'the oldest went');
  });

  it('finds its folder by the compiled-playbook cache rules (UNSCRIPTED_CACHE_DIR, XDG_CACHE_HOME, ~/.cache; UNSCRIPTED_CACHE=0)', () => {
    const envs: NodeJS.ProcessEnv[] = [
      { UNSCRIPTED_CACHE_DIR: '/tmp/x' },
      { XDG_CACHE_HOME: '/tmp/xdg' },
      { XDG_CACHE_HOME: '/tmp/xdg', UNSCRIPTED_CACHE_DIR: '/tmp/y' },
      {},
      { UNSCRIPTED_CACHE: '0', UNSCRIPTED_CACHE_DIR: '/tmp/x' },
      { UNSCRIPTED_CACHE: 'false' },
    ];
    for (const env of envs) {
      const pb = defaultCacheDir(env);
      assert.equal(cc.codeCacheDir(env), pb === undefined ? undefined : path.join(pb, 'code-cache'), JSON.stringify(env));
    }
  });
});

describe('code cache through the real CLI (bin/unscripted.js)', function () {
  this.timeout(60000);
  const bundle = path.join(REPO, 'dist', 'cli-bundle.js');
  const built = path.join(REPO, 'out', 'src', 'cli', 'main.js');
  // bin/unscripted.js loads the bundle only when it is at least as new as the tsc build.
  const bundleRuns = fs.existsSync(bundle) && fs.statSync(bundle).mtimeMs >= fs.statSync(built).mtimeMs;

  it('writes a cache on the first lint and gives the same output from it; UNSCRIPTED_CACHE=0 writes none', function () {
    if (!bundleRuns) this.skip();
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'unscripted-code-cache-cli-'));
    try {
      fs.mkdirSync(path.join(tmp, 'posts'));
      fs.writeFileSync(path.join(tmp, 'posts', 'a.md'), '---\ntitle: A\nchannels: [outbox]\nstatus: draft\n---\nPrior to nine we open.\n');
      const cache = path.join(tmp, 'cache');
      const run = (env: NodeJS.ProcessEnv) =>
        spawnSync(process.execPath, [path.join(REPO, 'bin', 'unscripted.js'), 'lint', 'posts/a.md'], {
          cwd: tmp,
          encoding: 'utf8',
          env: { ...process.env, NO_COLOR: '1', UNSCRIPTED_CACHE: '', ...env },
        });
      const first = run({ UNSCRIPTED_CACHE_DIR: cache });
      assert.match(first.stdout, /authority-voice/);
      assert.equal(cacheFiles(path.join(cache, 'code-cache')).length, 1);
      const stamp = fs.statSync(path.join(cache, 'code-cache', cacheFiles(path.join(cache, 'code-cache'))[0])).mtimeMs;
      const second = run({ UNSCRIPTED_CACHE_DIR: cache });
      assert.equal(second.stdout, first.stdout);
      assert.equal(second.status, first.status);
      assert.equal(
        fs.statSync(path.join(cache, 'code-cache', cacheFiles(path.join(cache, 'code-cache'))[0])).mtimeMs,
        stamp,
        'a hit does not rewrite the cache',
      );
      const off = path.join(tmp, 'off');
      const third = run({ UNSCRIPTED_CACHE: '0', XDG_CACHE_HOME: off, UNSCRIPTED_CACHE_DIR: '' });
      assert.equal(third.stdout, first.stdout);
      assert.equal(fs.existsSync(off), false);
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });
});
