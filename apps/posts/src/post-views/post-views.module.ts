import { Module } from '@nestjs/common';
import { UserDirectoryModule } from '@app/domain';
import { PostCache } from './repositories/post.cache.js';
import { PostRepository } from './repositories/post.repository.js';
import { ViewerLikesRepository } from './repositories/viewer-likes.repository.js';
import { AuthorCache } from './services/author-cache.js';
import { PostCacheRepair } from './services/post-cache-repair.js';
import { PostHydrator } from './services/post-hydrator.js';
import { PostPageJson } from './services/post-page-json.js';

/**
 * Post ids to Post objects (PostHydrator) and pages of them to JSON bytes
 * (PostPageJson), over the post rows, the Redis post cache and the author
 * cache. The other features build on it: the feed and timelines hydrate
 * through it, writers keep its caches up to date (PostCacheRepair retries
 * the updates Redis did not take).
 */
@Module({
  imports: [UserDirectoryModule],
  providers: [PostRepository, ViewerLikesRepository, PostCache, PostCacheRepair, AuthorCache, PostHydrator, PostPageJson],
  exports: [PostRepository, PostCache, PostCacheRepair, AuthorCache, PostHydrator, PostPageJson],
})
export class PostViewsModule {}
