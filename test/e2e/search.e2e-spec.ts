/** "Search" of the API contract through the running gateway; the index is fed by events only. */
import { type Account, newAccount } from '../support/accounts.js';
import { api } from '../support/api.js';
import { uniqueUsername } from '../support/env.js';
import { eventually } from '../support/eventually.js';

interface Post {
  id: string;
  text: string;
  likeCount: number;
  commentCount: number;
  likedByMe: boolean;
  hashtags: string[];
}
interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

const searchPosts = (q: string, token?: string) => api<Page<Post>>('GET', `/api/v1/search/posts?q=${encodeURIComponent(q)}&limit=100`, { token });

async function post(author: Account, text: string): Promise<Post> {
  const response = await api<Post>('POST', '/api/v1/posts', { token: author.accessToken, body: { text } });
  expect(response.status).toBe(201);
  return response.body;
}

/** Waits until a query finds (or stops finding) a post. */
function found(q: string, postId: string, present = true, token?: string) {
  return eventually(async () => {
    const page = await searchPosts(q, token);
    const hit = page.body.items.find((item) => item.id === postId);
    return Boolean(hit) === present ? (hit ?? ({} as Post)) : undefined;
  }, { what: `"${q}" ${present ? 'finding' : 'not finding'} ${postId}` });
}

describe('GET /api/v1/search/posts', () => {
  let author: Account;
  // A marker word makes every query of this run unique to its own posts.
  const marker = `m${uniqueUsername('s').slice(2)}`;
  beforeAll(async () => {
    author = await newAccount('srch');
  });

  it('matches Russian and English word forms', async () => {
    const russian = await post(author, `Мои кошки любят молоко ${marker}`);
    const english = await post(author, `I was running in the park ${marker}`);
    await found(`кошка ${marker}`, russian.id);
    await found(`молоком ${marker}`, russian.id);
    await found(`run ${marker}`, english.id);
    await found(`parks ${marker}`, english.id);
    const both = await searchPosts(`running moon ${marker}`);
    expect(both.body.items.map((p) => p.id)).not.toContain(english.id);
  });

  it('matches hashtags exactly and returns newest first', async () => {
    const tag = `t${marker}`;
    const older = await post(author, `first #${tag.toUpperCase()}`);
    const newer = await post(author, `second #${tag} #другой`);
    // Posts are keyed by id, so their events may reach search in either order.
    await found(`#${tag}`, older.id);
    await found(`#${tag}`, newer.id);
    const page = await searchPosts(`#${tag}`);
    expect(page.body.items.map((p) => p.id)).toEqual([newer.id, older.id]);
    const partial = await searchPosts(`#${tag.slice(0, -2)}`);
    expect(partial.body.items).toEqual([]);
  });

  it('returns the same Post object as GET /posts/{id}, with likedByMe for the caller', async () => {
    const reader = await newAccount('srchr');
    const target = await post(author, `likeable ${marker} words`);
    expect((await api('POST', `/api/v1/posts/${target.id}/like`, { token: reader.accessToken })).status).toBe(204);
    const direct = await api<Post>('GET', `/api/v1/posts/${target.id}`, { token: reader.accessToken });
    const hit = await eventually(async () => {
      const item = (await searchPosts(`likeable ${marker}`, reader.accessToken)).body.items.find((p) => p.id === target.id);
      return item?.likeCount === 1 ? item : undefined;
    }, { what: 'the like in search' });
    expect(hit).toEqual(direct.body);
    expect(hit.likedByMe).toBe(true);
  });

  it('drops a deleted post from the results', async () => {
    const doomed = await post(author, `ephemeral ${marker}`);
    await found(`ephemeral ${marker}`, doomed.id);
    expect((await api('DELETE', `/api/v1/posts/${doomed.id}`, { token: author.accessToken })).status).toBe(204);
    await found(`ephemeral ${marker}`, doomed.id, false);
  });

  it('folds diacritics both ways: "café" and "cafe" find each other', async () => {
    const accented = await post(author, `un café noir ${marker}`);
    const plain = await post(author, `a plain cafe ${marker}`);
    const decomposed = await post(author, `Cafe\u0301 decomposed ${marker}`);
    for (const q of [`cafe ${marker}`, `café ${marker}`, `CAFÉ ${marker}`, `cafe\u0301 ${marker}`]) {
      for (const target of [accented, plain, decomposed]) await found(q, target.id);
    }
    // Folding does not loosen the words: every word must still be there.
    const page = await searchPosts(`café noir ${marker}`);
    expect(page.body.items.map((p) => p.id)).toEqual([accented.id]);
  });

  it('NFC-normalises #tags in the query, as hashtags are stored', async () => {
    const tagged = await post(author, `#Ångström${marker} talk`);
    expect(tagged.hashtags).toEqual([`ångström${marker}`]);
    await found(`#Ångström${marker}`, tagged.id);
    // The same tag typed with combining marks (A + ring, o + diaeresis).
    await found(`#A\u030Angstro\u0308m${marker}`, tagged.id);
  });

  it('treats the query as data and validates it', async () => {
    for (const q of [`' OR 1=1 --`, 'a & b | !c', '<script>alert(1)</script>', '))))((((', '日本語', `%_\\`, '#', '#!!!']) {
      const response = await searchPosts(q);
      expect({ q, status: response.status }).toEqual({ q, status: 200 });
    }
    for (const path of ['/api/v1/search/posts', '/api/v1/search/posts?q=', '/api/v1/search/posts?q=%20', `/api/v1/search/posts?q=${'x'.repeat(201)}`]) {
      expect((await api('GET', path)).status).toBe(400);
    }
  });
});

describe('GET /api/v1/search/users', () => {
  /** Follows the pages of a user search until the user shows up. */
  function findsUser(q: string, userId: string) {
    return eventually(async () => {
      let path = `/api/v1/search/users?q=${encodeURIComponent(q)}&limit=100`;
      for (let pages = 0; pages < 10; pages++) {
        const page = await api<Page<{ id: string; displayName: string }>>('GET', path);
        expect(page.status).toBe(200);
        const hit = page.body.items.find((user) => user.id === userId);
        if (hit) return hit;
        if (!page.body.nextCursor) return undefined;
        path = `/api/v1/search/users?q=${encodeURIComponent(q)}&limit=100&cursor=${page.body.nextCursor}`;
      }
      return undefined;
    }, { what: `"${q}" finding user ${userId}` });
  }

  it('folds diacritics both ways in display names: "Ångström" and "Angstrom" find each other', async () => {
    const register = (displayName: string) => {
      const username = uniqueUsername('angs');
      return api<{ id: string }>('POST', '/api/v1/auth/register', { body: { username, email: `${username}@example.com`, password: 'correct horse battery', displayName } });
    };
    const alice = await register('Alice Ångström');
    const bob = await register('Bob Angstrom');
    expect([alice.status, bob.status]).toEqual([201, 201]);
    for (const q of ['Angstrom', 'angstrom', 'Ångström', 'ÅNGSTRÖM', 'A\u030Angstro\u0308m']) {
      expect(await findsUser(q, alice.body.id)).toMatchObject({ displayName: 'Alice Ångström' });
      expect(await findsUser(q, bob.body.id)).toMatchObject({ displayName: 'Bob Angstrom' });
    }
    // A prefix matches folded too, and ranks above mere similarity.
    const unique = uniqueUsername('x').slice(2, 10);
    const named = await register(`Ëlodie ${unique}`);
    const prefix = await eventually(async () => {
      const page = await api<Page<{ id: string }>>('GET', `/api/v1/search/users?q=${encodeURIComponent(`elodie ${unique}`)}`);
      return page.body.items[0]?.id === named.body.id ? page.body : undefined;
    }, { what: 'the folded prefix match first' });
    expect(prefix.items[0].id).toBe(named.body.id);
  });

  it('finds by prefix and by similarity, best match first, with counts', async () => {
    const base = uniqueUsername('zebra');
    const exact = await api<{ id: string }>('POST', '/api/v1/auth/register', { body: { username: base, email: `${base}@example.com`, password: 'correct horse battery' } });
    const longer = `${base}x`.slice(0, 30);
    await api('POST', '/api/v1/auth/register', { body: { username: longer, email: `${longer}@example.com`, password: 'correct horse battery' } });
    const page = await eventually(async () => {
      const result = await api<Page<{ id: string; username: string; followersCount: number }>>('GET', `/api/v1/search/users?q=${base}`);
      return result.body.items.length >= 2 ? result.body : undefined;
    }, { what: 'both users indexed' });
    expect(page.items[0]).toMatchObject({ id: exact.body.id, username: base, followersCount: 0 });
    // A typo still finds the user by trigram similarity.
    const typo = `${base.slice(0, -2)}${base.at(-1)}${base.at(-2)}`;
    const similar = await api<Page<{ id: string }>>('GET', `/api/v1/search/users?q=${typo}`);
    expect(similar.body.items.map((u) => u.id)).toContain(exact.body.id);
  });

  it('paginates ranked results without duplicates', async () => {
    const prefix = uniqueUsername('pg').slice(0, 14);
    for (let i = 0; i < 5; i++) {
      const name = `${prefix}${i}`;
      await api('POST', '/api/v1/auth/register', { body: { username: name, email: `${name}@example.com`, password: 'correct horse battery' } });
    }
    await eventually(async () => ((await api<Page<unknown>>('GET', `/api/v1/search/users?q=${prefix}&limit=100`)).body.items.length >= 5 ? true : undefined));
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = `/api/v1/search/users?q=${prefix}&limit=2${cursor ? `&cursor=${cursor}` : ''}`;
      const result = await api<Page<{ id: string }>>('GET', query);
      expect(result.status).toBe(200);
      seen.push(...result.body.items.map((u) => u.id));
      cursor = result.body.nextCursor;
    } while (cursor);
    expect(seen.length).toBeGreaterThanOrEqual(5);
    expect(new Set(seen).size).toBe(seen.length);
  });
});
