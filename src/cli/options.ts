/**
 * Command-line options with errors a person can act on: an unknown option or command gets one
 * line with a "did you mean", then one line pointing at `--help` (not Node's raw parseArgs text
 * followed by the whole help).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { closest } from '../core/text';

export class UsageError extends Error {
  constructor(
    message: string,
    /** The command whose `--help` to point at ('' for the top level). */
    readonly command = '',
  ) {
    super(message);
  }
}

export interface OptionSpec {
  type: 'string' | 'boolean';
  short?: string;
  multiple?: boolean;
}

/** Parse `argv` against `options`; an unknown option is a UsageError with a suggestion. */
export function parseOptions<T extends Record<string, OptionSpec>>(
  command: string,
  argv: string[],
  options: T,
  allowPositionals = true,
): {
  values: { [K in keyof T]?: T[K]['type'] extends 'string' ? (T[K]['multiple'] extends true ? string[] : string) : boolean };
  positionals: string[];
} {
  const longs = Object.keys(options).map((k) => `--${k}`);
  const shorts = Object.values(options).flatMap((o) => (o.short ? [`-${o.short}`] : []));
  for (const arg of argv) {
    if (arg === '--') break;
    if (!arg.startsWith('-') || arg === '-') continue;
    const name = arg.startsWith('--') ? arg.split('=')[0] : arg.slice(0, 2);
    if (arg.startsWith('--') ? longs.includes(name) : shorts.includes(name)) continue;
    const near = closest(name, arg.startsWith('--') ? longs : [...shorts, ...longs]);
    throw new UsageError(`unknown option ${name}${near ? `; did you mean ${near}?` : ''}`, command);
  }
  try {
    const r = parseArgs({ args: argv, allowPositionals, strict: true, options: options as never });
    return r;
  } catch (e) {
    // What is left is a missing value or a stray argument; say it without Node's quoting.
    const raw = (e as Error).message;
    const missing = /^Option '(-\S+?)(?:, (-\S+?))?(?: <value>)?' argument missing/.exec(raw);
    if (missing) throw new UsageError(`${missing[2] ?? missing[1]} needs a value`, command);
    const stray = /^Unexpected argument '([^']*)'/.exec(raw);
    if (stray) throw new UsageError(`unexpected argument "${stray[1]}": this command takes no paths`, command);
    throw new UsageError(raw.replace(/'/g, '').replace(/\s*To specify.*$/s, ''), command);
  }
}

/** The two lines of a usage error. */
export function usageMessage(e: UsageError): string {
  const help = e.command ? `unscripted ${e.command} --help` : 'unscripted --help';
  return `unscripted${e.command ? ` ${e.command}` : ''}: ${e.message}\nRun \`${help}\` for the options.\n`;
}

/** Write to a stream and wait until it is flushed (nothing for an empty text). */
export function write(stream: NodeJS.WritableStream, text: string): Promise<void> {
  return new Promise((resolve) => {
    if (!text) return resolve();
    stream.write(text, () => resolve());
  });
}

/** Resolve a --playbook value against `cwd`: it must be a folder, or the run is a usage error. */
export function playbookOption(value: string | undefined, cwd: string, command: string): string | undefined {
  if (value === undefined) return undefined;
  const abs = path.resolve(cwd, value);
  let ok = false;
  try {
    ok = fs.statSync(abs).isDirectory();
  } catch {
    ok = false;
  }
  if (!ok) throw new UsageError(`--playbook ${value}: no such folder (give the folder that holds the playbook's .md files)`, command);
  return abs;
}
