import { Global, Inject, Injectable, Module, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, type AppLogger, LOGGER, ServiceClient } from '@app/platform';
import type { GatewayConfig } from '../config/gateway.config.js';
import { CanaryUpstreams } from './canary-upstreams.js';

/**
 * One pooled client per internal service, balanced over its replicas when it
 * has several, and with a canary beside them while UPSTREAM_CANARIES_FILE
 * names one.
 */
@Injectable()
export class Upstreams implements OnApplicationBootstrap, OnApplicationShutdown {
  readonly users: ServiceClient;
  readonly posts: ServiceClient;
  readonly graph: ServiceClient;
  readonly search: ServiceClient;
  readonly comments: ServiceClient;
  private readonly canaries?: CanaryUpstreams;

  constructor(
    @Inject(APP_CONFIG) private readonly config: GatewayConfig,
    @Inject(LOGGER) logger: AppLogger,
  ) {
    const client = (name: string, urls: string[]) =>
      new ServiceClient(name, urls, config.UPSTREAM_TIMEOUT_MS, config.UPSTREAM_CONNECTIONS, {
        healthIntervalMs: config.UPSTREAM_HEALTH_INTERVAL_MS,
        onReplicaChange: (origin, inRotation) =>
          inRotation
            ? logger.info({ upstream: name, replica: origin }, `${name} replica back in rotation`)
            : logger.warn({ upstream: name, replica: origin }, `${name} replica out of rotation`),
      });
    this.users = client('users', config.USERS_URL);
    this.posts = client('posts', config.POSTS_URL);
    this.graph = client('graph', config.GRAPH_URL);
    this.search = client('search', config.SEARCH_URL);
    this.comments = client('comments', config.COMMENTS_URL);
    if (config.UPSTREAM_CANARIES_FILE) this.canaries = new CanaryUpstreams(config.UPSTREAM_CANARIES_FILE, this, logger);
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.canaries?.start(this.config.UPSTREAM_CANARIES_POLL_MS);
  }

  async onApplicationShutdown(): Promise<void> {
    this.canaries?.stop();
    await Promise.all([this.users, this.posts, this.graph, this.search, this.comments].map((client) => client.close()));
  }
}

@Global()
@Module({ providers: [Upstreams], exports: [Upstreams] })
export class UpstreamModule {}
