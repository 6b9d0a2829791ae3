import { Inject, Module, type OnModuleInit } from '@nestjs/common';
import { collectDefaultMetrics } from 'prom-client';
import type { ReleaseEnv } from '../config/config.js';
import { APP_CONFIG, SERVICE_NAME } from '../config/config.module.js';
import { metricsRegistry } from './instruments.js';

/**
 * The process's metrics setup. They are served on the internal metrics
 * listener (metrics-server.ts), not by a controller on the public port.
 */
@Module({})
export class MetricsModule implements OnModuleInit {
  private static started = false;

  constructor(
    @Inject(SERVICE_NAME) private readonly service: string,
    @Inject(APP_CONFIG) private readonly config: Partial<ReleaseEnv>,
  ) {}

  onModuleInit(): void {
    if (MetricsModule.started) return;
    MetricsModule.started = true;
    // A canary's series are told apart by track="canary" (docs/operations.md, "A canary on this machine").
    metricsRegistry.setDefaultLabels(this.config.RELEASE_TRACK === 'canary' ? { service: this.service, track: 'canary' } : { service: this.service });
    // Process and Node.js runtime metrics: CPU, memory, heap, event-loop lag, GC.
    // The lag monitor is a libuv timer: at prom-client's default 10 ms it wakes an idle process
    // 100 times a second; 100 ms still catches every stall that matters.
    collectDefaultMetrics({ register: metricsRegistry, eventLoopMonitoringPrecision: 100 });
  }
}
