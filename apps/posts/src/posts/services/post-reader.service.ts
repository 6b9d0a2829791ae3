import { Injectable } from '@nestjs/common';
import { encodeIdCursor, idFromCursor, type Page, type PostView } from '@app/api';
import { UserDirectory } from '@app/domain';
import { type Caller, DomainError } from '@app/platform';
import { PostRepository } from '../../post-views/repositories/post.repository.js';
import { PostHydrator } from '../../post-views/services/post-hydrator.js';
import { postNotFound } from '../../shared/post-not-found.js';

/** One post, and an author's timeline (newest first, keyset pagination). */
@Injectable()
export class PostReader {
  constructor(
    private readonly posts: PostRepository,
    private readonly hydrator: PostHydrator,
    private readonly directory: UserDirectory,
  ) {}

  async get(postId: string, viewer: Caller | undefined): Promise<PostView> {
    const [post] = await this.hydrator.hydrate([postId], viewer);
    if (!post) throw postNotFound();
    return post;
  }

  async byAuthor(username: string, viewer: Caller | undefined, limit: number, cursor: string | undefined): Promise<Page<PostView>> {
    const before = idFromCursor(cursor);
    const author = await this.directory.findByUsername(username);
    if (!author) throw new DomainError('USER_NOT_FOUND', 'No such user.');
    // Another user's timeline may lag; the author's own stays on the primary.
    const ids = await this.posts.idsByAuthor(author.id, before, limit + 1, viewer?.id === author.id ? 'primary' : 'lag-tolerant');
    const views = await this.hydrator.hydrate(ids, viewer);
    const items = views.slice(0, limit);
    const last = items.at(-1);
    return { items, nextCursor: ids.length > limit && last ? encodeIdCursor(last.id) : null };
  }
}
