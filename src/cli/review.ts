/**
 * `unscripted review --base REF [--format markdown|json]`: one summary of what a change does to
 * the plan, fit to post as a pull-request comment (see docs/reviewing.md).
 * Exit codes: 0 the summary was written, 2 usage errors, a missing ref or not a git repository.
 */
import { UsageError, parseOptions, usageMessage, write } from './options';
import { parseClock, clockError } from '../app/clock';
import { buildReview } from '../review/summary';
import { renderReviewJson, renderReviewMarkdown } from '../review/summary-output';
import { NotAGitRepositoryError, RefNotFoundError } from '../review/changed-lines';

export const REVIEW_USAGE = `Usage: unscripted review --base REF [options]

Summarises a change for a pull request: posts added, changed and removed; status and schedule
changes; findings new, fixed and unchanged per post; playbook changes and what they flag or clear
across every post. Compares the working tree with the merge base of REF and HEAD.

Options:
  --base REF              Git ref or commit to compare with (e.g. origin/main)   [required]
  --format markdown|json  Output format (default: markdown)
  --playbook DIR          Playbook folder (default: ./playbooks, else the shipped default)
  --now ISO               The clock for schedule rules and "how far ahead" (default: now)
  --committed-only        Compare with HEAD, leaving out uncommitted and untracked work
`;

export interface ReviewIo {
  cwd: string;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

export async function run(argv: string[], io: ReviewIo): Promise<number> {
  let values: { base?: string; format?: string; playbook?: string; now?: string; 'committed-only'?: boolean; help?: boolean };
  try {
    ({ values } = parseOptions(
      'review',
      argv,
      {
        base: { type: 'string' },
        format: { type: 'string', short: 'f' },
        playbook: { type: 'string' },
        now: { type: 'string' },
        'committed-only': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      false,
    ));
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    await write(io.stderr, usageMessage(e));
    return 2;
  }
  if (values.help) {
    await write(io.stdout, REVIEW_USAGE);
    return 0;
  }
  const usage = async (msg: string) => {
    await write(io.stderr, `unscripted review: ${msg}\n\n${REVIEW_USAGE}`);
    return 2;
  };
  if (!values.base) return usage('--base REF is required (the branch or commit the change is compared with, e.g. origin/main)');
  const format = values.format ?? 'markdown';
  if (format !== 'markdown' && format !== 'json') return usage(`unknown format "${format}": use markdown or json`);
  let now: Date | undefined;
  if (values.now !== undefined) {
    now = parseClock(values.now);
    if (!now) return usage(clockError('--now', values.now));
  }

  try {
    const summary = await buildReview({
      cwd: io.cwd,
      base: values.base,
      playbookDir: values.playbook,
      now,
      includeWorkingTree: !values['committed-only'],
    });
    await write(io.stdout, format === 'json' ? renderReviewJson(summary) : renderReviewMarkdown(summary));
    for (const note of summary.notes) await write(io.stderr, `unscripted review: note: ${note}\n`);
    return 0;
  } catch (e) {
    if (e instanceof RefNotFoundError || e instanceof NotAGitRepositoryError) {
      await write(io.stderr, `unscripted review: ${e.message}\n`);
      return 2;
    }
    await write(io.stderr, `unscripted review: ${(e as Error).message}\n`);
    return 2;
  }
}
