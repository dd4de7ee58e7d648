/**
 * `npm run soak`: publishing under injected faults, counted (see test/soak.ts). Bounded: at most
 * SOAK_POSTS posts (default 300) and SOAK_SECONDS seconds (default 240); loopback only.
 */
import { runSoak } from '../test/soak';

async function main(): Promise<void> {
  const posts = Number(process.env.SOAK_POSTS ?? 300);
  const seconds = Number(process.env.SOAK_SECONDS ?? 240);
  const seed = Number(process.env.SOAK_SEED ?? Date.now() % 2 ** 31);
  console.log(`Soak: up to ${posts} posts or ${seconds} s, seed ${seed} (outbox, feed, Mastodon fake, webhook fake; faults and kill -9)`);
  const c = await runSoak({
    posts,
    seed,
    maxMs: seconds * 1000,
    killEvery: 10,
    log: process.env.SOAK_VERBOSE ? (l) => console.log(`  ${l}`) : undefined,
  });
  console.log(`posts attempted ${c.attempted}, sent ${c.sent}, duplicates ${c.duplicates}, lost ${c.lost}`);
  console.log(`faults injected ${c.faults}, kills ${c.kills}, unknown outcomes settled ${c.unknownSettled}, ${(c.ms / 1000).toFixed(1)} s`);
  for (const p of c.problems) console.log(`  problem: ${p}`);
  process.exitCode = c.duplicates === 0 && c.lost === 0 && c.problems.length === 0 ? 0 : 1;
}

void main();
