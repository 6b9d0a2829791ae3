import type { AuthorView, Page, PostView } from '@app/api';
import type { PostsConfig } from '../../config/posts.config.js';
import { PostPageJson } from './post-page-json.js';
import { toPostView } from './post-view.js';

const config = (entries: number) => ({ POST_CONTENT_LOCAL_ENTRIES: entries }) as PostsConfig;

/** Texts that JSON escapes or encodes in more than one byte. */
const AWKWARD = ['plain', 'кошка и собака', 'emoji 🐈‍⬛ and 𝄞', 'quotes " and \\ backslash', 'control \u0000\u001f\n\t', 'lone surrogate \ud800 end', '', 'ß'.repeat(280)];

function post(id: number, author: AuthorView, text: string, counts: { likes: number; comments: number; liked: boolean }): PostView {
  return toPostView(
    { id: String(id), authorId: author.id, text, createdAt: `2026-11-29T05:0${id % 10}:00.000Z`, hashtags: text ? [text.slice(0, 3)] : [], mentions: id % 2 ? ['ada'] : [] },
    { version: 1, likeCount: counts.likes, commentCount: counts.comments, deleted: false },
    counts.liked,
    author,
  );
}

describe('PostPageJson', () => {
  const ada: AuthorView = { id: '1', username: 'ada', displayName: 'Ада "Countess" Lovelace' };
  const grace: AuthorView = { id: '2', username: 'grace', displayName: 'Grace 🐛 Hopper' };

  it('writes exactly the bytes JSON.stringify gives, escapes and multi-byte text included', () => {
    const json = new PostPageJson(config(100));
    const page: Page<PostView> = {
      items: AWKWARD.map((text, index) => post(index + 1, index % 2 ? ada : grace, text, { likes: index * 7, comments: index, liked: index % 3 === 0 })),
      nextCursor: 'eyJpIjoiMTIzIn0',
    };
    expect(json.page(page).toString('utf8')).toBe(JSON.stringify(page));
    expect(json.page(page).equals(Buffer.from(JSON.stringify(page)))).toBe(true);
  });

  it('writes the counts and likedByMe of each request, not those of the first page that held the post', () => {
    const json = new PostPageJson(config(100));
    const first = { items: [post(7, ada, 'hello', { likes: 0, comments: 0, liked: false })], nextCursor: null };
    const later = { items: [post(7, ada, 'hello', { likes: 12, comments: 3, liked: true })], nextCursor: null };
    json.page(first);
    expect(JSON.parse(json.page(later).toString())).toEqual(later);
  });

  it('shows a renamed author, who comes from the author cache as a new object', () => {
    const json = new PostPageJson(config(100));
    json.page({ items: [post(7, ada, 'hello', { likes: 0, comments: 0, liked: false })], nextCursor: null });
    const renamed = { ...ada, displayName: 'Ada King' };
    const page = { items: [post(7, renamed, 'hello', { likes: 0, comments: 0, liked: false })], nextCursor: null };
    expect(json.page(page).toString()).toBe(JSON.stringify(page));
  });

  it('writes empty pages and works with no post cache at all', () => {
    expect(new PostPageJson(config(100)).page({ items: [], nextCursor: null }).toString()).toBe('{"items":[],"nextCursor":null}');
    const page = { items: [post(1, ada, 'a', { likes: 1, comments: 2, liked: true }), post(2, grace, 'b', { likes: 0, comments: 0, liked: false })], nextCursor: 'abc' };
    const uncached = new PostPageJson(config(0));
    expect(uncached.page(page).toString()).toBe(JSON.stringify(page));
    expect(uncached.page(page).toString()).toBe(JSON.stringify(page));
  });
});
