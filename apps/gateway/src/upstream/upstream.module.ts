import { Global, Inject, Injectable, Module, type OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG } from '@app/platform';
import type { GatewayConfig } from '../config/gateway.config.js';
import { ServiceClient } from './service-client.js';

/** One pooled client per internal service. */
@Injectable()
export class Upstreams implements OnApplicationShutdown {
  readonly users: ServiceClient;
  readonly posts: ServiceClient;
  readonly graph: ServiceClient;
  readonly search: ServiceClient;
  readonly comments: ServiceClient;

  constructor(@Inject(APP_CONFIG) config: GatewayConfig) {
    const client = (name: string, url: string) => new ServiceClient(name, url, config.UPSTREAM_TIMEOUT_MS, config.UPSTREAM_CONNECTIONS);
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
