import { CreateUsers1764300000000 } from './1764300000000-create-users.js';
import { CreateRefreshTokens1764300000001 } from './1764300000001-create-refresh-tokens.js';

export const usersMigrations = [CreateUsers1764300000000, CreateRefreshTokens1764300000001];
