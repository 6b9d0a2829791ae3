import { randomBytes } from 'node:crypto';
import { ApiClient } from './client.js';
import type { FollowGraph } from './graph-source.js';
import { mulberry32 } from './graph-source.js';
import { pool } from './stats.js';

export interface BenchUser {
  index: number;
  id: string;
  username: string;
  accessToken: string;
  refreshToken: string;
  /** When accessToken was issued (ms): tokens live 15 minutes, long seeding outlasts them. */
  tokenAt: number;
}

/** Seeding renews a user's access token once it is this old. */
const TOKEN_RENEW_AFTER_MS = 10 * 60_000;

export const PASSWORD = 'bench-password-not-secret';
const WORDS = ['кошка', 'собака', 'молоко', 'coffee', 'running', 'garden', 'music', 'travel', 'книга', 'погода', 'sunset', 'mountain', 'ocean', 'code', 'pizza'];
const TAGS = ['nestjs', 'kafka', 'музыка', 'travel', 'food', 'code'];

/** A post text from a small vocabulary, so search has real words and tags to find. */
export function postText(random: () => number, n: number): string {
  const word = () => WORDS[Math.floor(random() * WORDS.length)];
  const tag = random() < 0.4 ? ` #${TAGS[Math.floor(random() * TAGS.length)]}` : '';
  return `${word()} ${word()} ${word()} post ${n}${tag}`;
}

export const SEARCH_TERMS = [...WORDS, ...TAGS.map((tag) => `#${tag}`)];

/**
 * Seeds through the public API, so every write goes through the same
 * validation, services, outbox and events as real traffic.
 */
export class Seeder {
  readonly run = randomBytes(3).toString('hex');
  private readonly random = mulberry32(7);
  private postCounter = 0;
  /** Renewals in flight: a refresh token works once, so a user is renewed by one job at a time. */
  private readonly renewing = new Map<BenchUser, Promise<void>>();

  constructor(private readonly api: ApiClient) {}

  async registerAndLogin(count: number): Promise<BenchUser[]> {
    const users: BenchUser[] = new Array<BenchUser>(count);
    await pool(
      Array.from({ length: count }, (_, i) => i),
      8,
      async (index) => {
        const username = `b${this.run}_${index}`;
        const user = await this.api.expect<{ id: string }>(201, 'POST', '/api/v1/auth/register', {
          body: { username, email: `${username}@bench.example`, password: PASSWORD },
        });
        const tokens = await this.api.expect<{ accessToken: string; refreshToken: string }>(200, 'POST', '/api/v1/auth/login', { body: { login: username, password: PASSWORD } });
        users[index] = { index, id: user.id, username, ...tokens, tokenAt: Date.now() };
      },
      'users registered',
    );
    return users;
  }

  async follow(users: BenchUser[], graph: FollowGraph): Promise<void> {
    await pool(graph.follows, 16, async ([follower, followee]) => {
      await this.api.expect(204, 'POST', `/api/v1/users/${users[followee].username}/follow`, { token: await this.token(users[follower]) });
    }, 'follows');
  }

  /** Each user writes `perUser` posts; returns the ids in creation order. */
  async post(users: BenchUser[], perUser: number, label = 'posts'): Promise<string[]> {
    const jobs = Array.from({ length: users.length * perUser }, (_, i) => users[i % users.length]);
    const ids: string[] = [];
    await pool(jobs, 16, async (user) => {
      const post = await this.api.expect<{ id: string }>(201, 'POST', '/api/v1/posts', { token: await this.token(user), body: { text: postText(this.random, this.postCounter++) } });
      ids.push(post.id);
    }, label);
    return ids;
  }

  /** Fresh access tokens (they live 15 minutes) without paying for argon2 again. */
  async refreshTokens(users: BenchUser[]): Promise<void> {
    await pool(users, 16, (user) => this.renew(user));
  }

  /** Renews only the access tokens that are getting old (users kept from an earlier run). */
  async refreshStaleTokens(users: BenchUser[]): Promise<void> {
    await pool(users, 16, async (user) => void (await this.token(user)));
  }

  /** The user's access token, renewed first when it is getting old. */
  private async token(user: BenchUser): Promise<string> {
    if (Date.now() - user.tokenAt > TOKEN_RENEW_AFTER_MS) await this.renew(user);
    return user.accessToken;
  }

  private renew(user: BenchUser): Promise<void> {
    let renewal = this.renewing.get(user);
    if (!renewal) {
      renewal = this.api
        .expect<{ accessToken: string; refreshToken: string }>(200, 'POST', '/api/v1/auth/refresh', { body: { refreshToken: user.refreshToken } })
        .then((tokens) => {
          user.accessToken = tokens.accessToken;
          user.refreshToken = tokens.refreshToken;
          user.tokenAt = Date.now();
        })
        .finally(() => this.renewing.delete(user));
      this.renewing.set(user, renewal);
    }
    return renewal;
  }
}
