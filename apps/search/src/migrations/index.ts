import { CreateSearchUsers1764300000000 } from './1764300000000-create-search-users.js';

export const searchMigrations = [CreateSearchUsers1764300000000];
