import { Injectable } from '@nestjs/common';
import { idFromCursor, type Page, pageOf, type PageQueryDto, toUserView, type UserView } from '@app/api';
import type { Caller } from '@app/platform';
import { type FollowDirection, FollowRepository } from '../repositories/follow.repository.js';
import { ProfileRepository } from '../repositories/profile.repository.js';
import { requireProfile } from './profile-lookup.js';

/** Public profile reads: a User with counts, and followers/following pages; all may lag (docs/scaling.md, "Postgres standby"). */
@Injectable()
export class ProfileService {
  constructor(
    private readonly profiles: ProfileRepository,
    private readonly follows: FollowRepository,
  ) {}

  async byUsername(username: string, caller?: Caller): Promise<UserView> {
    const profile = await requireProfile(this.profiles, username, 'lag-tolerant');
    const followed = caller ? await this.follows.followedAmong(caller.id, [profile.id]) : undefined;
    return toUserView(profile, followed?.has(profile.id));
  }

  /** Newest follow first; one query for the page and, for a caller, one for `followedByMe`. */
  async list(direction: FollowDirection, username: string, page: PageQueryDto, caller?: Caller): Promise<Page<UserView>> {
    // Follow lists page on the follow edge's id, not the user's.
    const beforeId = idFromCursor(page.cursor);
    const user = await requireProfile(this.profiles, username, 'lag-tolerant');
    const rows = await this.follows.list(direction, user.id, page.limit + 1, beforeId);
    const shown = rows.slice(0, page.limit).map((row) => row.id);
    const followed = caller ? await this.follows.followedAmong(caller.id, shown) : undefined;
    return pageOf(rows, page.limit, (row) => toUserView(row, followed?.has(row.id)), (row) => row.followId);
  }
}
