import { execFile } from 'node:child_process';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { promisify } from 'node:util';
import { parseSamples } from './request-stats.js';

const execFileAsync = promisify(execFile);

/** One process of an app: its name for scripts/apps.sh (posts@2) and its ports. */
export interface Instance {
  name: string;
  port: number;
  metricsPort: number;
}

/** Runs one of the repository's scripts (scripts/<name>) and returns what it printed on stdout. */
export async function script(name: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<string> {
  const { stdout } = await execFileAsync(`scripts/${name}`, args, { env: { ...process.env, ...env }, timeout: 180_000, maxBuffer: 4 * 1024 * 1024 });
  return stdout;
}

export const pause = (ms: number) => new Promise((done) => setTimeout(done, ms));

/** Asks `check` every half second until it says true, or fails with `what` after timeoutMs. */
async function until(what: string, timeoutMs: number, check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
    await pause(500);
  }
}

export async function metricsText(instance: Instance): Promise<string> {
  const response = await fetch(`http://127.0.0.1:${instance.metricsPort}/metrics`, { signal: AbortSignal.timeout(5_000) });
  if (response.status !== 200) throw new Error(`${instance.name}: /metrics answered ${response.status}`);
  return response.text();
}

/** How a share of an app's traffic reaches its canary, and how it stops. */
export interface Traffic {
  /** Sends the share to the canary; resolves once every balancer applies it. */
  on(): Promise<void>;
  /** Sends the canary nothing more; resolves once every balancer applies that. */
  off(): Promise<void>;
}

/**
 * The gateway's canary: HAProxy draws the share per request (the map entry
 * "gateway", changed through its runtime API) while its canary server is up.
 */
export function haproxyTraffic(share: number): Traffic {
  return {
    async on() {
      await script('haproxy.sh', ['canary', 'on', String(share)]);
      // Two passed checks (a second apart) and the server is UP.
      await until('HAProxy to see the canary gateway up', 30_000, async () => (await script('haproxy.sh', ['canary', 'status'])).includes('server UP'));
    },
    async off() {
      await script('haproxy.sh', ['canary', 'off']);
    },
  };
}

/**
 * A service's canary: the canaries file every gateway polls
 * (UPSTREAM_CANARIES_FILE), confirmed on each gateway's
 * upstream_canary_percent gauge.
 */
export function upstreamsFileTraffic(app: string, canary: Instance, share: number, gateways: readonly Instance[], file: string): Traffic {
  const path = resolve(file);
  const write = async (percent: number | undefined) => {
    let canaries: Record<string, unknown> = {};
    try {
      canaries = JSON.parse(await readFile(path, 'utf8')) as Record<string, unknown>;
    } catch {
      // No file yet (or an unreadable one, replaced here): no other canary.
    }
    if (percent === undefined) delete canaries[app];
    else canaries[app] = { url: `http://127.0.0.1:${canary.port}`, percent };
    await mkdir(dirname(path), { recursive: true });
    // Written beside and renamed: a gateway never reads half a file.
    await writeFile(`${path}.tmp`, `${JSON.stringify(canaries, null, 2)}\n`);
    await rename(`${path}.tmp`, path);
  };
  const applied = (percent: number) =>
    until(`every gateway to send ${percent} % of ${app} to the canary`, 15_000, async () => {
      const shares = await Promise.all(
        gateways.map(async (gateway) => parseSamples(await metricsText(gateway)).find((s) => s.name === 'upstream_canary_percent' && s.labels.upstream === app)?.value ?? 0),
      );
      return shares.every((value) => value === percent);
    });
  return {
    async on() {
      await write(share);
      await applied(share);
    },
    async off() {
      await write(undefined);
      await applied(0);
    },
  };
}
