import { unwatchFile, watchFile } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { type AppLogger, parseJsonSettings, type ServiceClient } from '@app/platform';
import { z } from 'zod';

/** The services a canary can stand beside (the gateway's upstreams). */
export const CANARY_SERVICES = ['users', 'posts', 'graph', 'search', 'comments'] as const;
export type CanaryService = (typeof CANARY_SERVICES)[number];

const canaryEntry = z.strictObject({
  url: z.url({ protocol: /^https?$/ }),
  percent: z.number().min(0).max(100),
});
const canariesFile = z.partialRecord(z.enum(CANARY_SERVICES), canaryEntry);
export type Canaries = z.infer<typeof canariesFile>;

/**
 * Parses the canaries file: per service, the canary's URL and its share in
 * percent, e.g. `{"posts": {"url": "http://127.0.0.1:3022", "percent": 10}}`.
 * An empty file (or `{}`) means no canary.
 */
export function parseCanaries(text: string): { ok: true; canaries: Canaries } | { ok: false; problems: string[] } {
  if (text.trim() === '') return { ok: true, canaries: {} };
  const parsed = parseJsonSettings(canariesFile, text);
  return parsed.ok ? { ok: true, canaries: parsed.value } : parsed;
}

/**
 * Canaries beside the replicas of the services, without a restart
 * (docs/operations.md, "A canary on this machine"): `make canary` writes
 * UPSTREAM_CANARIES_FILE, and every gateway polls its status and applies it
 * to its service clients. Polling the status (fs.watchFile) rather than
 * watching events sees a file that is created, replaced or removed alike;
 * a missing file means no canary. A file that does not parse keeps what
 * was applied before and logs an error.
 */
export class CanaryUpstreams {
  private applied = '';
  private reading: Promise<void> = Promise.resolve();
  private readonly onChange = () => void this.read();
  readonly path: string;

  constructor(
    path: string,
    private readonly clients: Readonly<Record<CanaryService, ServiceClient>>,
    private readonly logger: AppLogger,
  ) {
    this.path = resolve(path);
  }

  /** Reads the file now and then whenever its status changes (checked every intervalMs). */
  async start(intervalMs: number): Promise<void> {
    await this.read();
    watchFile(this.path, { interval: intervalMs, persistent: false }, this.onChange);
  }

  stop(): void {
    unwatchFile(this.path, this.onChange);
  }

  /** Reads and applies the file (never throws); reads are queued, so the last one wins. */
  read(): Promise<void> {
    this.reading = this.reading.then(async () => {
      let text: string;
      try {
        text = await readFile(this.path, 'utf8');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
          this.logger.error({ file: this.path, err: error }, 'canaries: file unreadable; keeping the canaries applied before');
          return;
        }
        text = '';
      }
      if (text === this.applied) return;
      const parsed = parseCanaries(text);
      if (!parsed.ok) {
        this.logger.error({ file: this.path, problems: parsed.problems }, 'canaries: file rejected; keeping the canaries applied before');
        return;
      }
      this.apply(parsed.canaries);
      this.applied = text;
    });
    return this.reading;
  }

  private apply(canaries: Canaries): void {
    for (const service of CANARY_SERVICES) {
      const wanted = canaries[service];
      const current = this.clients[service].canaryTarget;
      if (wanted === undefined && current === undefined) continue;
      if (wanted !== undefined && current?.url === new URL(wanted.url).origin && current.percent === wanted.percent) continue;
      this.clients[service].setCanary(wanted?.url, wanted?.percent ?? 0);
      if (wanted) this.logger.info({ upstream: service, canary: wanted.url, percent: wanted.percent }, `canaries: ${service} canary gets ${wanted.percent} % of the requests`);
      else this.logger.info({ upstream: service }, `canaries: ${service} canary removed`);
    }
  }
}
