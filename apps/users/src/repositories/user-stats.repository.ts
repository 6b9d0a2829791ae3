import { Injectable } from '@nestjs/common';
import { UserCounters } from '@app/domain';

/**
 * All SQL on users.user_stats: the shared UserCounters upserts (addFollow,
 * addPosts), so a user's row appears with its first count.
 */
@Injectable()
export class UserStatsRepository extends UserCounters {
  constructor() {
    super({ table: 'users.user_stats', key: 'user_id' });
  }
}
