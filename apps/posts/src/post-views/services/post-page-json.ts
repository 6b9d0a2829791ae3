import { Inject, Injectable } from '@nestjs/common';
import type { AuthorView, Page, PostView } from '@app/api';
import { APP_CONFIG, BoundedCache } from '@app/platform';
import type { PostsConfig } from '../../config/posts.config.js';

/** A post's JSON around its author and counts; all of it fixed for the post's life. */
interface ContentJson {
  /** `{"id":…,"author":` */
  head: Buffer;
  /** `,"text":…,"createdAt":…` */
  body: Buffer;
  /** `,"hashtags":[…],"mentions":[…]}` */
  tail: Buffer;
}

/** Bytes, or a string known to be ASCII (numbers, booleans, base64url cursors). */
type Piece = Buffer | string;

const ITEMS_OPEN = '{"items":[';
const COMMA = ',';

/**
 * Pages of posts as JSON bytes, the same bytes `JSON.stringify` would give,
 * assembled from pieces serialised once: a post's text, time and tags never
 * change (posts are not edited), and authors come from a cache that hands
 * out the same object until a name changes. Serialising and UTF-8-encoding
 * every page from scratch was about a quarter of a feed read's CPU; only
 * the counts and `likedByMe` are written per request.
 */
@Injectable()
export class PostPageJson {
  private readonly contents: BoundedCache<string, ContentJson>;
  private readonly authors = new WeakMap<AuthorView, Buffer>();

  constructor(@Inject(APP_CONFIG) config: PostsConfig) {
    this.contents = new BoundedCache({ name: 'post-json', maxEntries: config.POST_CONTENT_LOCAL_ENTRIES });
  }

  page(page: Page<PostView>): Buffer {
    const pieces: Piece[] = [ITEMS_OPEN];
    page.items.forEach((post, index) => {
      const content = this.contentJson(post);
      if (index > 0) pieces.push(COMMA);
      pieces.push(
        content.head,
        this.authorJson(post.author),
        content.body,
        `,"likeCount":${post.likeCount},"commentCount":${post.commentCount},"likedByMe":${post.likedByMe}`,
        content.tail,
      );
    });
    pieces.push(`],"nextCursor":${JSON.stringify(page.nextCursor)}}`);
    return join(pieces);
  }

  private contentJson(post: PostView): ContentJson {
    let content = this.contents.get(post.id);
    if (!content) {
      content = {
        head: Buffer.from(`{"id":${JSON.stringify(post.id)},"author":`),
        body: Buffer.from(`,"text":${JSON.stringify(post.text)},"createdAt":${JSON.stringify(post.createdAt)}`),
        tail: Buffer.from(`,"hashtags":${JSON.stringify(post.hashtags)},"mentions":${JSON.stringify(post.mentions)}}`),
      };
      this.contents.set(post.id, content);
    }
    return content;
  }

  /** Keyed by the object itself: a renamed author arrives as a new object. */
  private authorJson(author: AuthorView): Buffer {
    let bytes = this.authors.get(author);
    if (!bytes) {
      bytes = Buffer.from(JSON.stringify(author));
      this.authors.set(author, bytes);
    }
    return bytes;
  }
}

/** One allocation and one copy per piece. */
function join(pieces: Piece[]): Buffer {
  let size = 0;
  for (const piece of pieces) size += piece.length;
  const out = Buffer.allocUnsafe(size);
  let offset = 0;
  for (const piece of pieces) offset += typeof piece === 'string' ? out.write(piece, offset, 'latin1') : piece.copy(out, offset);
  return out;
}
