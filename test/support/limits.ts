/**
 * Helpers for the limit suites: the production settings of .env.example
 * (not the test profile), requests from chosen loopback addresses, and apps
 * started without waiting for readiness (a gateway without Redis is live but
 * not ready).
 */
import { randomInt } from 'node:crypto';
import { Agent, request } from 'undici';
import { readEnvFile } from './env.js';
import { startApp, type TestProcess } from './processes.js';

/** The values `.env.example` gives, i.e. what `make up` runs with: the production defaults. */
export function productionSettings(): Record<string, string> {
  return readEnvFile('.env.example');
}

/** A random loopback address other than 127.0.0.1 (the whole of 127.0.0.0/8 is this host). */
export function randomLoopback(): string {
  return `127.${randomInt(1, 255)}.${randomInt(0, 256)}.${randomInt(1, 255)}`;
}

export interface Answer<T = Record<string, unknown>> {
  status: number;
  headers: Record<string, string | undefined>;
  body: T;
}

/** Sends requests from fixed source addresses, one keep-alive pool per address. */
export class SourceAddresses {
  private readonly agents = new Map<string, Agent>();

  constructor(private readonly baseUrl: string) {}

  async call<T = Record<string, unknown>>(from: string, method: string, path: string, options: { body?: unknown; token?: string } = {}): Promise<Answer<T>> {
    let agent = this.agents.get(from);
    if (!agent) {
      // undici takes the source address as a pool option (its `connect.localAddress` is not applied).
      agent = new Agent({ localAddress: from });
      this.agents.set(from, agent);
    }
    const headers: Record<string, string> = {};
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    const response = await request(`${this.baseUrl}${path}`, {
      method: method as 'GET',
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      dispatcher: agent,
    });
    const text = await response.body.text();
    const flat: Record<string, string | undefined> = {};
    for (const [name, value] of Object.entries(response.headers)) flat[name] = Array.isArray(value) ? value.join(', ') : value;
    return { status: response.statusCode, headers: flat, body: (text ? JSON.parse(text) : undefined) as T };
  }

  async close(): Promise<void> {
    await Promise.all([...this.agents.values()].map((agent) => agent.close()));
    this.agents.clear();
  }
}

/** Starts a built app and waits until /health/live answers 200 (readiness may need what the test took away). */
export function startLiveApp(app: string, port: number, env: Record<string, string>, timeoutMs = 90_000): Promise<TestProcess> {
  return startApp(app, port, env, timeoutMs, '/health/live');
}
