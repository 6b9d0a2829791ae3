import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, type AppLogger, LOGGER, ProblemError, ServiceClient } from '@app/platform';
import type { CommentsConfig } from '../config/comments.config.js';
import type { KnownPost } from './post-projection.repository.js';

/** What posts, the owner, says of a post: live (with its author), absent (never made, or deleted), or nothing (unreachable). */
export type OwnerAnswer = { kind: 'live'; post: KnownPost } | { kind: 'absent' } | { kind: 'unreachable' };

/** The fields of posts' `GET /posts/{id}` answer (a PostView) comments needs. */
interface PostAnswer {
  id: string;
  author: { id: string };
}

/** The one question comments asks posts; a seam for tests. */
export interface PostOwner {
  ask(postId: string): Promise<OwnerAnswer>;
}

/**
 * Asks the posts service whether a post exists, with `GET /posts/{id}` (the
 * route the gateway relays; optional auth, so it is asked without the
 * caller's token). Balanced over POSTS_URL's replicas with one retry of a
 * failed connection on another (ServiceClient). Concurrent questions about
 * one post in a process share one request (docs/api.md, "Comments right
 * after a post").
 */
@Injectable()
export class PostOwnerClient implements PostOwner, OnApplicationShutdown {
  private readonly posts: ServiceClient;
  private readonly inFlight = new Map<string, Promise<OwnerAnswer>>();

  constructor(
    @Inject(APP_CONFIG) config: Pick<CommentsConfig, 'POSTS_URL' | 'COMMENTS_POSTS_TIMEOUT_MS' | 'COMMENTS_POSTS_CONNECTIONS'>,
    @Inject(LOGGER) private readonly logger: AppLogger,
  ) {
    this.posts = new ServiceClient('posts', config.POSTS_URL, config.COMMENTS_POSTS_TIMEOUT_MS, config.COMMENTS_POSTS_CONNECTIONS, {
      onReplicaChange: (origin, inRotation) =>
        inRotation
          ? logger.info({ upstream: 'posts', replica: origin }, 'posts replica back in rotation')
          : logger.warn({ upstream: 'posts', replica: origin }, 'posts replica out of rotation'),
    });
  }

  ask(postId: string): Promise<OwnerAnswer> {
    const pending = this.inFlight.get(postId);
    if (pending) return pending;
    const asked = this.askPosts(postId).finally(() => this.inFlight.delete(postId));
    this.inFlight.set(postId, asked);
    return asked;
  }

  private async askPosts(postId: string): Promise<OwnerAnswer> {
    try {
      const { body } = await this.posts.request<PostAnswer>('GET', `/posts/${postId}`, { anonymous: true });
      if (body?.id !== postId || typeof body.author?.id !== 'string') {
        this.logger.warn({ postId }, 'posts answered GET /posts/{id} with something else than the post');
        return { kind: 'unreachable' };
      }
      return { kind: 'live', post: { postId, authorId: body.author.id } };
    } catch (error) {
      // Only posts' own verdict: a 404 ROUTE_NOT_FOUND would be a wrong POSTS_URL, not a missing post.
      if (error instanceof ProblemError && error.problem.code === 'POST_NOT_FOUND') return { kind: 'absent' };
      // Unreachable, timed out, 5xx, or an unexpected 4xx: posts did not say.
      this.logger.warn({ postId, err: error }, 'posts could not tell whether a post exists');
      return { kind: 'unreachable' };
    }
  }

  onApplicationShutdown(): Promise<void> {
    return this.posts.close();
  }
}
