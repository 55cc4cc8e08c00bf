import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAssignment, setPath } from '../../src/cli/set-path.js';
import { WORKOS_EVENT_NAMES } from '../../src/events/index.js';
import {
  cli,
  deadUrl,
  type Endpoint,
  expectNoSecrets,
  SECRET,
  spawnCli,
  startEndpoint,
  startStaticEndpoint,
} from './helpers.js';

let endpoint: Endpoint;
beforeAll(async () => {
  endpoint = await startEndpoint();
});
afterAll(() => endpoint.close());

const env = { WORKOS_WEBHOOK_SECRET: SECRET };

describe('workos-events send', () => {
  it('posts a realistic signed event, prints the response and exits 0', async () => {
    const before = endpoint.received.length;
    const result = await cli(['send', 'dsync.user.created', '--url', endpoint.url], { env });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(
      /dsync\.user\.created event_[0-9A-Z]{26} → POST http:\/\/127\.0\.0\.1:\d+\/webhooks\/workos/,
    );
    expect(result.stdout).toMatch(/✔ 200 OK \(\d+ ms\) {2}\{"status":"processed"\}/);
    expect(endpoint.received.length).toBe(before + 1);
    const event = endpoint.received.at(-1)!;
    expect(event.event).toBe('dsync.user.created');
    expect(result.stdout).toContain(event.id);
    expectNoSecrets(result, SECRET);
  });

  it('--set changes fields (JSON values parsed, others as strings)', async () => {
    const result = await cli(
      [
        'send',
        'user.created',
        '--url',
        endpoint.url,
        '--set',
        'data.email=ada@example.com',
        '--set',
        'data.email_verified=false',
        '--set',
        'data.metadata={"plan":"pro"}',
      ],
      { env },
    );
    expect(result.code, result.stdout + result.stderr).toBe(0);
    const data = endpoint.received.at(-1)!.data as Record<string, unknown>;
    expect(data.email).toBe('ada@example.com');
    expect(data.email_verified).toBe(false);
    expect(data.metadata).toEqual({ plan: 'pro' });
  });

  it('--duplicate N re-delivers the same event id: the endpoint answers duplicate, the handler ran once', async () => {
    const before = endpoint.received.length;
    const result = await cli(['send', 'user.created', '--url', endpoint.url, '--duplicate', '2'], { env });
    expect(result.code).toBe(0);
    const lines = result.stdout.split('\n').filter((l) => l.startsWith('✔'));
    expect(lines).toHaveLength(3);
    expect(lines[0]).toContain('#1 200');
    expect(lines[0]).toContain('"processed"');
    expect(lines[1]).toContain('#2 (duplicate) 200');
    expect(lines[1]).toContain('"duplicate"');
    expect(lines[2]).toContain('"duplicate"');
    expect(endpoint.received.length).toBe(before + 1);
  });

  it('--stale and --bad-signature: a correct endpoint answers 401, which is the expected outcome (exit 0)', async () => {
    const before = endpoint.received.length;
    const stale = await cli(['send', 'user.created', '--url', endpoint.url, '--stale'], { env });
    expect(stale.code).toBe(0);
    expect(stale.stdout).toContain('signed 15 minutes ago');
    expect(stale.stdout).toMatch(/✔ 401 Unauthorized .*timestamp_too_old/);
    const forged = await cli(['send', 'user.created', '--url', endpoint.url, '--bad-signature']);
    expect(forged.code).toBe(0); // no secret needed to forge
    expect(forged.stdout).toMatch(/✔ 401 Unauthorized .*signature_mismatch/);
    expect(endpoint.received.length).toBe(before);
  });

  it('exits 1 when an endpoint accepts a forged delivery, or refuses a good one', async () => {
    const open = await startStaticEndpoint(200);
    const broken = await startStaticEndpoint(500, '{"error":"crash"}');
    try {
      const forged = await cli(['send', 'user.created', '--url', open.url, '--bad-signature']);
      expect(forged.code).toBe(1);
      expect(forged.stdout).toContain('✘ 200 OK');
      expect(forged.stdout).toContain('expected 401');
      const good = await cli(['send', 'user.created', '--url', broken.url], { env });
      expect(good.code).toBe(1);
      expect(good.stdout).toContain('expected 2xx');
    } finally {
      await open.close();
      await broken.close();
    }
  });

  it('exits 3 when nothing listens, 2 on usage errors', async () => {
    const down = await cli(['send', 'user.created', '--url', await deadUrl()], { env });
    expect(down.code).toBe(3);
    expect(down.stdout).toContain('no response: ECONNREFUSED');
    expect(down.stderr).toContain('is the app running');

    const unknown = await cli(['send', 'dsync.user.created_typo', '--url', endpoint.url], { env });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("Unknown event type 'dsync.user.created_typo'");
    expect(unknown.stderr).toContain('dsync.user.created');

    const noSecret = await cli(['send', 'user.created', '--url', endpoint.url]);
    expect(noSecret.code).toBe(2);
    expect(noSecret.stderr).toContain('WORKOS_WEBHOOK_SECRET');

    expect((await cli(['send', 'user.created'], { env })).code).toBe(2);
    expect((await cli(['send', 'user.created', '--url', endpoint.url, '--duplicate', 'x'], { env })).code).toBe(2);
    expect((await cli(['send', 'user.created', '--url', endpoint.url, '--set', 'noequals'], { env })).code).toBe(2);
    expect((await cli(['send', 'user.created', '--url', endpoint.url, '--set', '__proto__.x=1'], { env })).code).toBe(
      2,
    );
  });

  it('--list prints every event type', async () => {
    const result = await cli(['send', '--list']);
    expect(result.code).toBe(0);
    expect(result.stdout.trim().split('\n')).toEqual([...WORKOS_EVENT_NAMES]);
  });

  it('works as a real process, with the secret from a .env file', async () => {
    const { mkdtemp, writeFile, rm } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const path = await import('node:path');
    const dir = await mkdtemp(path.join(tmpdir(), 'workos-cli-'));
    try {
      await writeFile(path.join(dir, '.env'), `WORKOS_WEBHOOK_SECRET="${SECRET}"\n`);
      const run = spawnCli(['send', 'organization.created', '--url', endpoint.url, '--duplicate', '1'], { cwd: dir });
      const result = await run.done;
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).toContain('"processed"');
      expect(result.stdout).toContain('"duplicate"');
      expectNoSecrets(result, SECRET);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('--set parsing', () => {
  it('reads JSON values and falls back to strings', () => {
    expect(parseAssignment('data.count=42')).toEqual({ path: ['data', 'count'], value: 42 });
    expect(parseAssignment('data.id="42"')).toEqual({ path: ['data', 'id'], value: '42' });
    expect(parseAssignment('data.name=Ada Lovelace')).toEqual({ path: ['data', 'name'], value: 'Ada Lovelace' });
    expect(parseAssignment('data.x=a=b')).toEqual({ path: ['data', 'x'], value: 'a=b' });
    expect(parseAssignment('data.n=null').value).toBeNull();
  });

  it('creates intermediate objects and replaces non-objects on the way', () => {
    const target: Record<string, unknown> = { data: { a: 1, list: [1] } };
    setPath(target, ['data', 'deep', 'x'], 1);
    setPath(target, ['data', 'list', 'y'], 2);
    expect(target).toEqual({ data: { a: 1, deep: { x: 1 }, list: { y: 2 } } });
  });
});
