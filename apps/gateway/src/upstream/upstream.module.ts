import { Global, Inject, Injectable, Module, type OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, type AppLogger, LOGGER, ServiceClient } from '@app/platform';
import type { GatewayConfig } from '../config/gateway.config.js';

/** One pooled client per internal service, balanced over its replicas when it has several. */
@Injectable()
export class Upstreams implements OnApplicationShutdown {
  readonly users: ServiceClient;
  readonly posts: ServiceClient;
  readonly graph: ServiceClient;
  readonly search: ServiceClient;
  readonly comments: ServiceClient;

  constructor(@Inject(APP_CONFIG) config: GatewayConfig, @Inject(LOGGER) logger: AppLogger) {
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
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all([this.users, this.posts, this.graph, this.search, this.comments].map((client) => client.close()));
  }
}

@Global()
@Module({ providers: [Upstreams], exports: [Upstreams] })
export class UpstreamModule {}
