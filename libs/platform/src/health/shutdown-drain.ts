import { type BeforeApplicationShutdown, Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG } from '../config/config.module.js';
import type { ServiceEnv } from '../config/config.js';

/**
 * Drains a stopping process out of its balancers: on SIGTERM /health/ready
 * turns 503 at once, and the listener keeps serving for SHUTDOWN_DRAIN_MS
 * before Nest closes it, so HAProxy and the gateway's replica checks take the
 * process out of rotation before it refuses anything (docs/scaling.md,
 * "Balancing"). Nest runs this before it closes the HTTP server.
 */
@Injectable()
export class ShutdownDrain implements BeforeApplicationShutdown {
  private stopping = false;
  private readonly drainMs: number;

  constructor(@Inject(APP_CONFIG) config: Pick<ServiceEnv, 'SHUTDOWN_DRAIN_MS'>) {
    this.drainMs = config.SHUTDOWN_DRAIN_MS;
  }

  get draining(): boolean {
    return this.stopping;
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    if (this.drainMs > 0) await new Promise((done) => setTimeout(done, this.drainMs));
  }
}
