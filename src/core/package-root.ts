/** Where the installed Unscripted package is: it holds the shipped default playbook and the voice model. */
import * as fs from 'node:fs';
import * as path from 'node:path';

function findPackageRoot(): string {
  let dir = __dirname;
  for (let i = 0; i < 6; i++) {
    if (fs.existsSync(path.join(dir, 'package.json')) && fs.existsSync(path.join(dir, 'playbooks'))) return dir;
    dir = path.dirname(dir);
  }
  return path.resolve(__dirname, '..', '..', '..');
}

/** Root of the installed Unscripted package (holds the shipped default playbook). */
export const PACKAGE_ROOT = findPackageRoot();

/** The installed package's version ("0.1.0"), or "" when its package.json cannot be read. */
export function packageVersion(): string {
  try {
    const pkg = JSON.parse(fs.readFileSync(path.join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version?: unknown };
    return typeof pkg.version === 'string' ? pkg.version : '';
  } catch {
    return '';
  }
}
