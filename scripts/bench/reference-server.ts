/**
 * The ceiling for the feed benchmark: bare Fastify in one process, no
 * NestJS, no auth, serving the same feed pages (same posts, same JSON shape)
 * for the same users straight from the posts service's Redis structures,
 * with one sorted-set read and one multi-get per request.
 *
 *   node dist/scripts/bench/reference-server.js PORT AUTHORS_JSON [REDIS_URL]
 * AUTHORS_JSON maps user id → { username, displayName } (what posts keeps in memory).
 * With AUTHORS_JSON = "hello" it only answers "hello" (the bare-Fastify context figure).
 */
import { readFileSync } from 'node:fs';
import Fastify from 'fastify';
import { Redis } from 'ioredis';

const [port, authorsFile, redisUrl = 'redis://127.0.0.1:6379'] = process.argv.slice(2);
const app = Fastify({ logger: false });

if (authorsFile === 'hello') {
  app.get('/hello', () => ({ hello: 'world' }));
} else {
  const authors = JSON.parse(readFileSync(authorsFile, 'utf8')) as Record<string, { username: string; displayName: string }>;
  const redis = new Redis(redisUrl);
  const SENTINEL = '0'.repeat(20);
  app.get<{ Params: { userId: string } }>('/feed/:userId', async (request) => {
    const limit = 20;
    const members = await redis.zrevrangebylex(`warble:feed:{u${request.params.userId}}`, '+', '-', 'LIMIT', 0, limit + 2);
    const ids = members.filter((member) => member !== SENTINEL && /^\d+$/.test(member)).map((member) => BigInt(member).toString());
    const values = ids.length ? await redis.mget(...ids.map((id) => `warble:post:{p${id}}`), ...ids.map((id) => `warble:post:{p${id}}:state`)) : [];
    const items = [];
    for (let i = 0; i < ids.length && items.length < limit; i++) {
      const content = values[i];
      const state = values[ids.length + i];
      if (!content || !state) continue;
      const post = JSON.parse(content) as { id: string; authorId: string; text: string; createdAt: string; hashtags: string[]; mentions: string[] };
      const [, likeCount, commentCount, deleted] = state.split(':').map(Number);
      if (deleted === 1) continue;
      const author = authors[post.authorId] ?? { username: '', displayName: '' };
      items.push({
        id: post.id,
        author: { id: post.authorId, username: author.username, displayName: author.displayName },
        text: post.text,
        createdAt: post.createdAt,
        likeCount,
        commentCount,
        likedByMe: false,
        hashtags: post.hashtags,
        mentions: post.mentions,
      });
    }
    return { items, nextCursor: null };
  });
}

await app.listen({ port: Number(port), host: '127.0.0.1' });
process.stdout.write(`ready ${port}\n`);
