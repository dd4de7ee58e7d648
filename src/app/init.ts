/**
 * Initialize a workspace (`unscripted init`, the editor's Initialize Playbook): one behaviour.
 *
 * - playbooks/ gets a copy of every .md file of the shipped default playbook;
 * - posts/welcome.md gets a sample post that lints clean — only when posts/ holds no post yet
 *   (a folder of real posts needs no sample among them);
 * - a file that already holds exactly that text is left alone ("unchanged");
 * - a file that differs is never overwritten silently: init refuses and changes nothing, unless
 *   `force`, which keeps the old one as FILE.bak ("replaced");
 * - nothing is written through a symbolic link (force would overwrite the link's target,
 *   perhaps outside the workspace).
 * Before this, the editor skipped existing files and copied a sample only into an empty posts/,
 * while the CLI always wrote its sample: the CLI's overwrite rules and sample are the safer ones,
 * the editor's "no sample among real posts" the kinder one.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DEFAULT_PLAYBOOK_DIR } from '../core/playbook';
import { newPostText } from '../core/scaffold';

export interface InitFile {
  to: string;
  text: string;
}

export type InitOutcome =
  | { kind: 'done'; created: string[]; replaced: string[]; unchanged: string[] }
  /** Files that exist and differ from what init would write; nothing was changed. */
  | { kind: 'differ'; files: string[] }
  /** Symbolic links init would write through; nothing was changed. */
  | { kind: 'links'; files: string[] };

const SAMPLE_BODY = `The riverside library opens on Saturday at 9. We've kept it open until 8pm on weekdays,
because that's when most of you told us you could come.

---

Bring the kids: the story corner runs every Saturday morning, no booking needed.
`;

export function samplePostText(): string {
  return newPostText({
    title: 'Riverside library opening',
    channels: ['outbox'],
    campaign: 'spring-opening',
    author: 'you',
    body: SAMPLE_BODY,
  });
}

function hasPosts(dir: string): boolean {
  try {
    return (fs.readdirSync(dir, { recursive: true }) as string[]).some((n) => /\.(md|markdown)$/i.test(n));
  } catch {
    return false;
  }
}

/** What init would write in `root`. */
export function initPlan(root: string): InitFile[] {
  const plan: InitFile[] = [];
  for (const name of fs
    .readdirSync(DEFAULT_PLAYBOOK_DIR)
    .filter((n) => n.endsWith('.md'))
    .sort()) {
    plan.push({ to: path.join(root, 'playbooks', name), text: fs.readFileSync(path.join(DEFAULT_PLAYBOOK_DIR, name), 'utf8') });
  }
  const posts = path.join(root, 'posts');
  const sample = path.join(posts, 'welcome.md');
  if (!hasPosts(posts) || fs.existsSync(sample)) plan.push({ to: sample, text: samplePostText() });
  return plan;
}

function current(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

function isLink(file: string): boolean {
  try {
    return fs.lstatSync(file).isSymbolicLink();
  } catch {
    return false;
  }
}

export function initWorkspace(root: string, opts: { force?: boolean } = {}): InitOutcome {
  const plan = initPlan(root);
  const differ = plan.filter((p) => {
    const c = current(p.to);
    return c !== undefined && c !== p.text;
  });
  if (differ.length && !opts.force) return { kind: 'differ', files: differ.map((p) => p.to) };
  const links = [...plan.map((p) => p.to), path.join(root, 'playbooks'), path.join(root, 'posts')].filter(isLink);
  if (links.length) return { kind: 'links', files: links };
  const out = { kind: 'done' as const, created: [] as string[], replaced: [] as string[], unchanged: [] as string[] };
  for (const p of plan) {
    const c = current(p.to);
    if (c === p.text) {
      out.unchanged.push(p.to);
      continue;
    }
    fs.mkdirSync(path.dirname(p.to), { recursive: true });
    if (c !== undefined) {
      fs.copyFileSync(p.to, `${p.to}.bak`);
      out.replaced.push(p.to);
    } else out.created.push(p.to);
    fs.writeFileSync(p.to, p.text);
  }
  return out;
}
