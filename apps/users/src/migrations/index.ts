import { CreateUsers1764300000000 } from './1764300000000-create-users.js';

export const usersMigrations = [CreateUsers1764300000000];
