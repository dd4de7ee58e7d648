/**
 * Secrets under every failure (issue 12): a distinctive token for every platform that takes one
 * (Bluesky, Mastodon, webhooks), and every way to fail the fakes allow: refused, dropped before
 * and after acting, hung, 429, 5xx, and a hostile server that echoes the request (headers and
 * body, where the Bluesky password travels) into its error answers. The token, and the forms it
 * takes on the wire, never appear in stdout, stderr, the post (ledger), the outbox or the feed.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { run } from '../../src/cli/publish';
import { startMastodonFake, type MastodonFake } from '../fakes/mastodon-fake';
import { startWebhookFake, type WebhookFake } from '../fakes/webhook-fake';
import { Capture, makeWorkspace, tokenEnv, writePost } from './publish-helpers';
import type { FaultKind } from '../fakes/faults';

const BSKY = 'bsky-app-pass-Zq81-distinctive';
const MASTO = 'masto-token-Kx42-distinctive';
const HOOK_SECRET = 'hooksecretWv93distinctive';

/** A server that answers every request with an error quoting the request back (a badly behaved proxy). */
async function startEcho(mode: () => string): Promise<{ host: string; close: () => Promise<void> }> {
  const server: Server = createServer((req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const echo = JSON.stringify({
        error: 'InternalError',
        message: `echo ${req.method} ${req.url} ${JSON.stringify(req.headers)} ${Buffer.concat(chunks).toString()}`,
      });
      const m = mode();
      if (m === 'drop') return req.socket.destroy();
      if (m === 'hang') return;
      res.writeHead(m === '401' ? 401 : m === '429' ? 429 : m === '400' ? 400 : 500, {
        'Content-Type': 'application/json',
        'Retry-After': '0',
        'X-Echo-Auth': String(req.headers.authorization ?? ''),
      });
      res.end(echo);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    host: `127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

function forms(secret: string): string[] {
  return [secret, encodeURIComponent(secret), Buffer.from(secret).toString('base64')];
}

function allFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile())
    .map((e) => path.join(e.parentPath ?? (e as unknown as { path: string }).path, e.name));
}

describe('secrets: no token in any output, whatever fails', function () {
  this.timeout(120_000);
  let masto: MastodonFake;
  let hooks: WebhookFake;
  let echo: Awaited<ReturnType<typeof startEcho>>;
  let echoMode = '500';
  let root: string;

  before(async () => {
    masto = await startMastodonFake({ tokens: { [MASTO]: 'news' }, echoAuthOn401: true });
    hooks = await startWebhookFake();
    echo = await startEcho(() => echoMode);
  });
  after(async () => {
    await masto.close();
    await hooks.close();
    await echo.close();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('Bluesky, Mastodon and webhooks, failing every way: the tokens stay secret', async () => {
    const hookUrl = hooks.newHook('slack', HOOK_SECRET);
    root = makeWorkspace([
      { id: 'bsky', platform: 'bluesky', account: 'alice.test', host: echo.host },
      { id: 'masto', platform: 'mastodon', account: '@news', host: masto.host },
      { id: 'masto-echo', platform: 'mastodon', account: '@news', host: echo.host },
      { id: 'hook', platform: 'webhook', account: 'team', host: hooks.host },
      { id: 'hook-echo', platform: 'webhook', account: 'team', host: echo.host },
    ]);
    const env = {
      ...tokenEnv([
        [{ platform: 'bluesky', host: echo.host, account: 'alice.test' }, BSKY],
        [{ platform: 'mastodon', host: masto.host, account: '@news' }, MASTO],
        [{ platform: 'mastodon', host: echo.host, account: '@news' }, MASTO],
        [{ platform: 'webhook', host: hooks.host, account: 'team' }, hookUrl],
        [{ platform: 'webhook', host: echo.host, account: 'team' }, `http://${echo.host}/services/T1/B1/${HOOK_SECRET}`],
      ]),
      UNSCRIPTED_PUBLISH_RETRY_BASE_MS: '1',
      UNSCRIPTED_PUBLISH_MAX_ATTEMPTS: '2',
      UNSCRIPTED_PUBLISH_TIMEOUT_MS: '300',
    };
    const fakeFaults: FaultKind[] = ['drop-before', 'drop-after', 'hang-before', 'hang-after', 'status', 'rate-limit'];
    const echoModes = ['401', '400', '429', '500', 'drop', 'hang'];
    const outputs: string[] = [];
    let runs = 0;
    const publishOnce = async (channel: string, i: number, extra: string[] = []) => {
      const file = writePost(
        root,
        `s-${channel}-${i}.md`,
        { title: 'S', channels: [channel], status: 'ready' },
        'A post that will not go out.\n',
      );
      const stdout = new Capture();
      const stderr = new Capture();
      await run([path.relative(root, file), '--channel', channel, '--yes', ...extra], { cwd: root, stdout, stderr, env, isTTY: false });
      outputs.push(stdout.text, stderr.text);
      runs++;
      // Settle an unknown outcome both ways, as a user would.
      if (/--mark-sent/.test(stdout.text + stderr.text)) {
        for (const flag of ['--resend', '--mark-sent']) {
          const o = new Capture();
          const e = new Capture();
          await run([path.relative(root, file), '--channel', channel, '--yes', flag], {
            cwd: root,
            stdout: o,
            stderr: e,
            env,
            isTTY: false,
          });
          outputs.push(o.text, e.text);
        }
      }
    };
    for (let i = 0; i < fakeFaults.length; i++) {
      for (const [channel, fake] of [
        ['masto', masto],
        ['hook', hooks],
      ] as const) {
        fake.faults.clear();
        fake.addFault({ kind: fakeFaults[i], times: 10, status: 503, retryAfterSeconds: 0 });
        await publishOnce(channel, i);
        fake.faults.releaseAll();
      }
    }
    masto.faults.clear();
    hooks.faults.clear();
    // Wrong credentials on the real fakes: Mastodon echoes the Authorization header on 401.
    const wrong = { ...env, ...tokenEnv([[{ platform: 'mastodon', host: masto.host, account: '@news' }, `${MASTO}-wrong`]]) };
    {
      const file = writePost(root, 's-wrong.md', { title: 'S', channels: ['masto'], status: 'ready' }, 'Words.\n');
      const o = new Capture();
      const e = new Capture();
      await run([path.relative(root, file), '--yes'], { cwd: root, stdout: o, stderr: e, env: wrong, isTTY: false });
      outputs.push(o.text, e.text);
      assert.match(o.text + e.text, /401|invalid/i);
    }
    for (let i = 0; i < echoModes.length; i++) {
      echoMode = echoModes[i];
      for (const channel of ['bsky', 'masto-echo', 'hook-echo']) await publishOnce(channel, 100 + i);
    }
    assert.ok(runs >= 30);
    const files = [...allFiles(path.join(root, 'posts')), ...allFiles(path.join(root, 'outbox')), ...allFiles(path.join(root, 'feed'))];
    const haystacks = [...outputs, ...files.map((f) => fs.readFileSync(f, 'utf8'))];
    assert.ok(outputs.join('').length > 1000, 'the failures were reported');
    for (const secret of [BSKY, MASTO, HOOK_SECRET, hookUrl]) {
      for (const form of forms(secret)) {
        const leak = haystacks.find((h) => h.includes(form));
        assert.equal(leak, undefined, `a form of a token leaked: ${leak?.slice(0, 300)}`);
      }
    }
  });
});
