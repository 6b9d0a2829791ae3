import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger, ServiceClient } from '@app/platform';
import { CANARY_SERVICES, type CanaryService, CanaryUpstreams, parseCanaries } from './canary-upstreams.js';

const logger = createLogger('canary-spec', 'silent');

describe('the canaries file', () => {
  it('names a canary and its share per service', () => {
    expect(parseCanaries('{"posts":{"url":"http://127.0.0.1:3022","percent":10}}')).toEqual({ ok: true, canaries: { posts: { url: 'http://127.0.0.1:3022', percent: 10 } } });
    expect(parseCanaries('')).toEqual({ ok: true, canaries: {} });
  });

  it('refuses what it cannot apply, naming the field', () => {
    const problems = (text: string) => {
      const parsed = parseCanaries(text);
      return parsed.ok ? [] : parsed.problems;
    };
    expect(problems('{"posts":{"url":"http://127.0.0.1:3022","percent":101}}').join()).toMatch(/^posts\.percent/);
    expect(problems('{"billing":{"url":"http://127.0.0.1:3022","percent":10}}').join()).toMatch(/billing/);
    expect(problems('{"posts":{"url":"ftp://x","percent":10}}').join()).toMatch(/^posts\.url/);
    expect(problems('{"posts":{"url":"http://x","percent":10,"sticky":true}}').join()).toMatch(/sticky/);
    expect(problems('{posts').join()).toMatch(/not JSON/);
  });
});

describe('CanaryUpstreams', () => {
  let dir: string;
  let clients: Record<CanaryService, ServiceClient>;
  let canaries: CanaryUpstreams;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'canaries-'));
    clients = Object.fromEntries(CANARY_SERVICES.map((name) => [name, new ServiceClient(name, 'http://127.0.0.1:1', 1_000, 1)])) as Record<CanaryService, ServiceClient>;
    canaries = new CanaryUpstreams(join(dir, 'upstreams.json'), clients, logger);
  });
  afterEach(async () => {
    canaries.stop();
    await Promise.all(Object.values(clients).map((client) => client.close()));
    rmSync(dir, { recursive: true, force: true });
  });

  const write = (canaries: unknown) => writeFileSync(join(dir, 'upstreams.json'), typeof canaries === 'string' ? canaries : JSON.stringify(canaries));

  it('applies the file, keeps the last good one when a change is bad, and removes the canary with the file', async () => {
    await canaries.read();
    expect(clients.posts.canaryTarget).toBeUndefined();

    write({ posts: { url: 'http://127.0.0.1:3022/', percent: 10 } });
    await canaries.read();
    expect(clients.posts.canaryTarget).toEqual({ url: 'http://127.0.0.1:3022', percent: 10 });
    expect(clients.users.canaryTarget).toBeUndefined();

    write({ posts: { url: 'http://127.0.0.1:3022', percent: 'ten' } });
    await canaries.read();
    expect(clients.posts.canaryTarget).toEqual({ url: 'http://127.0.0.1:3022', percent: 10 });

    write({ posts: { url: 'http://127.0.0.1:3022', percent: 0 } });
    await canaries.read();
    expect(clients.posts.canaryTarget).toEqual({ url: 'http://127.0.0.1:3022', percent: 0 });

    rmSync(join(dir, 'upstreams.json'));
    await canaries.read();
    expect(clients.posts.canaryTarget).toBeUndefined();
  });

  it('sees a change without being asked, within the polling interval', async () => {
    await canaries.start(100);
    write({ search: { url: 'http://127.0.0.1:3024', percent: 25 } });
    const deadline = Date.now() + 5_000;
    while (clients.search.canaryTarget === undefined && Date.now() < deadline) await new Promise((wait) => setTimeout(wait, 50));
    expect(clients.search.canaryTarget).toEqual({ url: 'http://127.0.0.1:3024', percent: 25 });
  });
});
