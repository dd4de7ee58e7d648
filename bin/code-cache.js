'use strict';
/**
 * Loads one CommonJS bundle (the CLI's dist/cli-bundle.js, the extension's dist/extension-main.js)
 * with a V8 code cache, so a start does not parse and compile half a megabyte of JavaScript again.
 *
 * Why our own and not a library: Node 22+'s module.enableCompileCache() is process-wide (in the
 * editor that would be every extension's code) and missing on Node 20; v8-compile-cache hooks every
 * require, produces its cache before the code runs (so without the functions V8 compiles lazily,
 * most of a bundle) and keeps it in its own folder outside our cache rules. One bundle, one file:
 *
 * - The cache is V8's data from script.createCachedData() taken after the run (so it holds the
 *   functions the command actually compiled), one file per bundle content and `tag` (a command).
 * - It never serves stale code: the file name is a SHA-256 of the bundle's full text, the tag, the
 *   Node and V8 versions, the architecture and this loader's format; the file holds a SHA-256 of
 *   its payload, checked before V8 sees it (V8 itself checks only the source length). A file that
 *   fails the check, or that V8 rejects (cachedDataRejected, e.g. other V8 flags), is replaced.
 * - Used only from a folder and file of the user's own that no one else can write (V8 runs what it
 *   reads); written atomically (a temporary file, then rename), only when there was no usable cache; an
 *   unwritable folder costs one failed open, never an error. At most KEEP files are kept.
 * - Where: the compiled-playbook cache's folder (src/core/playbook-cache.ts, defaultCacheDir: the
 *   same rules, kept equal by test/unit/code-cache.test.ts), under code-cache/.
 *   UNSCRIPTED_CACHE=0 turns it off; so does a missing folder rule (no home, no XDG_CACHE_HOME).
 */
const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const vm = require('node:vm');
// The CommonJS loader's Module class (require('node:module') is the same class, but loading that
// builtin also sets up the ES module loader, which a bundle does not need).
const Module = module.constructor;

/** Bump when what goes into a cache file changes. */
const FORMAT = 1;
const MAGIC = Buffer.from('UNSCRIPTED-V8CACHE\n');
/** Code caches kept (each bundle version × command); the oldest beyond this are removed. */
const KEEP = 16;
const NAME = /^code-[0-9a-f]{64}\.bin$/;

/** The compiled-playbook cache's folder, by the rules of src/core/playbook-cache.ts (defaultCacheDir). */
function cacheBase(env = process.env) {
  if (env.UNSCRIPTED_CACHE === '0' || env.UNSCRIPTED_CACHE === 'false') return undefined;
  if (env.UNSCRIPTED_CACHE_DIR) return env.UNSCRIPTED_CACHE_DIR;
  const base = env.XDG_CACHE_HOME || (os.homedir() ? path.join(os.homedir(), '.cache') : os.tmpdir());
  return path.join(base, 'unscripted');
}

/** Where code caches go, or undefined when caches are off. */
function codeCacheDir(env = process.env) {
  const base = cacheBase(env);
  return base === undefined ? undefined : path.join(base, 'code-cache');
}

const sha256 = (...parts) => {
  const h = crypto.createHash('sha256');
  for (const p of parts) h.update(p);
  return h.digest();
};

/** The cache file for this source and tag, under this Node. */
function cacheFile(dir, source, tag) {
  const id = [FORMAT, process.version, process.versions.v8, process.arch, tag].join('\0');
  return path.join(dir, `code-${sha256(id, '\0', source).toString('hex')}.bin`);
}

/**
 * Whether a cache file or folder is safe to take code from: V8 runs what it deserialises, so on
 * POSIX it must be the user's own and writable by no one else (a cache under a shared os.tmpdir()
 * must not let another account plant code).
 */
function trusted(st) {
  if (typeof process.getuid !== 'function') return true;
  return st.uid === process.getuid() && (st.mode & 0o022) === 0;
}

/** The V8 data in a cache file, or undefined when it is missing, not trusted, short or fails its checksum. */
function readCache(file) {
  let buf;
  try {
    if (!trusted(fs.statSync(path.dirname(file)))) return undefined;
    const fd = fs.openSync(file, 'r');
    try {
      if (!trusted(fs.fstatSync(fd))) return undefined;
      buf = fs.readFileSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return undefined;
  }
  const head = MAGIC.length + 32;
  if (buf.length <= head || !buf.subarray(0, MAGIC.length).equals(MAGIC)) return undefined;
  const data = buf.subarray(head);
  return sha256(data).equals(buf.subarray(MAGIC.length, head)) ? data : undefined;
}

function writeCache(dir, file, script) {
  let fd;
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    if (!trusted(fs.statSync(dir))) return false;
    // Open first: an unwritable folder costs this one call, not a serialisation of the code.
    fd = fs.openSync(tmp, 'wx', 0o600);
    const data = script.createCachedData();
    fs.writeSync(fd, Buffer.concat([MAGIC, sha256(data), data]));
    fs.closeSync(fd);
    fd = undefined;
    fs.renameSync(tmp, file);
    prune(dir);
    return true;
  } catch {
    try {
      if (fd !== undefined) {
        fs.closeSync(fd);
        fs.rmSync(tmp, { force: true });
      }
    } catch {
      /* nothing more to tidy */
    }
    return false;
  }
}

function prune(dir) {
  const entries = [];
  for (const n of fs.readdirSync(dir)) {
    if (!NAME.test(n)) continue;
    try {
      entries.push({ n, t: fs.statSync(path.join(dir, n)).mtimeMs });
    } catch {
      /* removed meanwhile */
    }
  }
  entries.sort((a, b) => b.t - a.t);
  for (const e of entries.slice(KEEP)) fs.rmSync(path.join(dir, e.n), { force: true });
}

/**
 * Runs the CommonJS file `file` as require() would (its own module, require, __dirname) and
 * returns { exports, status, save }. status: 'off' (no cache dir), 'miss', 'hit', 'rejected'.
 * Call save() once the work is done (a miss or a rejection then writes the cache, with every
 * function compiled so far); it returns true when it wrote one.
 *
 * @param {string} file absolute path of the bundle
 * @param {{ dir?: string, tag?: string }} [opts] cache folder (default: codeCacheDir()), what
 *   the run does (e.g. the CLI command), so each command's cache holds that command's code
 */
function loadBundle(file, opts = {}) {
  const dir = 'dir' in opts ? opts.dir : codeCacheDir();
  const tag = opts.tag || '';
  const source = fs.readFileSync(file, 'utf8');
  const cfile = dir === undefined ? undefined : cacheFile(dir, source, tag);
  const cachedData = cfile && readCache(cfile);
  const script = new vm.Script(Module.wrap(source), {
    filename: file,
    cachedData,
    importModuleDynamically: vm.constants && vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
  });
  const status = dir === undefined ? 'off' : !cachedData ? 'miss' : script.cachedDataRejected ? 'rejected' : 'hit';
  const mod = new Module(file, module);
  mod.filename = file;
  mod.paths = Module._nodeModulePaths(path.dirname(file));
  const req = Module.createRequire(file);
  Module._cache[file] = mod;
  try {
    script.runInThisContext({ displayErrors: true }).call(mod.exports, mod.exports, req, mod, file, path.dirname(file));
  } catch (e) {
    delete Module._cache[file];
    throw e;
  }
  mod.loaded = true;
  let saved = false;
  return {
    exports: mod.exports,
    status,
    save() {
      if (saved || status === 'off' || status === 'hit') return false;
      saved = true;
      return writeCache(dir, cfile, script);
    },
  };
}

module.exports = { loadBundle, codeCacheDir, cacheBase, cacheFile, KEEP };
