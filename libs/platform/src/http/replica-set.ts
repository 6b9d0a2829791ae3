import { BalancedPool, type Dispatcher, Pool, request } from 'undici';

export interface ReplicaSetOptions {
  connections: number;
  timeoutMs: number;
  /** How often each replica's /health/ready is asked (several replicas only). */
  healthIntervalMs: number;
  /** Told when a replica leaves or rejoins the rotation. */
  onChange?: (origin: string, inRotation: boolean) => void;
}

const HEALTH_PATH = '/health/ready';

/**
 * The replicas of one service behind one dispatcher. One URL is a plain
 * keep-alive pool (the single-node topology pays nothing extra). Several are
 * an undici BalancedPool: weighted round robin over the replicas that are in
 * rotation. A replica leaves the rotation as soon as a connection to it fails
 * and whenever its /health/ready does not answer 200 (a service that is
 * stopping answers 503 there), and comes back once it answers 200 again, so
 * a killed or stopping replica stops getting requests within one health
 * interval (docs/scaling.md, "Balancing").
 */
export class ReplicaSet {
  readonly dispatcher: Dispatcher;
  readonly size: number;
  private readonly balanced?: BalancedPool;
  private readonly inRotation = new Set<string>();
  private readonly origins: string[];
  private readonly probe?: Pool[];
  private timer?: NodeJS.Timeout;

  constructor(
    urls: readonly string[],
    private readonly options: ReplicaSetOptions,
  ) {
    const poolOptions = {
      connections: options.connections,
      keepAliveTimeout: 30_000,
      connectTimeout: Math.min(options.timeoutMs, 2_000),
      headersTimeout: options.timeoutMs,
      bodyTimeout: options.timeoutMs,
    };
    this.origins = urls.map((url) => new URL(url).origin);
    this.size = this.origins.length;
    if (this.size === 1) {
      this.dispatcher = new Pool(this.origins[0], poolOptions);
      return;
    }
    this.balanced = new BalancedPool(this.origins, poolOptions);
    this.dispatcher = this.balanced;
    for (const origin of this.origins) this.inRotation.add(origin);
    // A refused or timed-out connect takes the replica out at once; the health probe brings it back.
    this.balanced.on('connectionError', (origin: URL | string) => this.leave(String(new URL(String(origin)).origin)));
    this.probe = this.origins.map((origin) => new Pool(origin, { connections: 1, connectTimeout: 1_000, headersTimeout: 1_000, bodyTimeout: 1_000 }));
    this.timer = setInterval(() => void this.checkAll(), options.healthIntervalMs);
    this.timer.unref();
  }

  /** Replicas currently in rotation (all of them for a single URL). */
  get available(): number {
    return this.balanced ? this.inRotation.size : 1;
  }

  private async checkAll(): Promise<void> {
    await Promise.all(this.origins.map((origin, index) => this.check(origin, this.probe![index])));
  }

  private async check(origin: string, probe: Pool): Promise<void> {
    let healthy: boolean;
    try {
      const answer = await request(`${origin}${HEALTH_PATH}`, { dispatcher: probe, method: 'GET', signal: AbortSignal.timeout(this.options.healthIntervalMs) });
      healthy = answer.statusCode === 200;
      await answer.body.dump();
    } catch {
      healthy = false;
    }
    if (healthy) this.join(origin);
    else this.leave(origin);
  }

  private leave(origin: string): void {
    // The last replica stays: with none in rotation every request would fail without a try.
    if (!this.balanced || !this.inRotation.has(origin) || this.inRotation.size === 1) return;
    this.inRotation.delete(origin);
    this.balanced.removeUpstream(origin);
    this.options.onChange?.(origin, false);
  }

  private join(origin: string): void {
    if (!this.balanced || this.inRotation.has(origin)) return;
    this.inRotation.add(origin);
    this.balanced.addUpstream(origin);
    this.options.onChange?.(origin, true);
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await Promise.all([this.dispatcher.close(), ...(this.probe ?? []).map((pool) => pool.close())]);
  }
}
