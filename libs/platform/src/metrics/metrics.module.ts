import { Controller, Get, Header, Inject, Module, type OnModuleInit } from '@nestjs/common';
import { collectDefaultMetrics } from 'prom-client';
import { Public } from '../auth/auth.guard.js';
import { SERVICE_NAME } from '../config/config.module.js';
import { metricsRegistry, renderMetrics } from './instruments.js';

/** Prometheus text format for scrapers; outside /api/v1 and never rate-limited. */
@Public()
@Controller('metrics')
export class MetricsController {
  @Get()
  @Header('content-type', metricsRegistry.contentType)
  @Header('cache-control', 'no-store')
  scrape(): Promise<string> {
    return renderMetrics();
  }
}

@Module({ controllers: [MetricsController] })
export class MetricsModule implements OnModuleInit {
  private static started = false;

  constructor(@Inject(SERVICE_NAME) private readonly service: string) {}

  onModuleInit(): void {
    if (MetricsModule.started) return;
    MetricsModule.started = true;
    metricsRegistry.setDefaultLabels({ service: this.service });
    // Process and Node.js runtime metrics: CPU, memory, heap, event-loop lag, GC.
    // The lag monitor is a libuv timer: at prom-client's default 10 ms it wakes an idle process
    // 100 times a second; 100 ms still catches every stall that matters.
    collectDefaultMetrics({ register: metricsRegistry, eventLoopMonitoringPrecision: 100 });
  }
}
