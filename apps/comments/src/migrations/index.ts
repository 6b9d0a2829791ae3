import { CreateCommentsBase1764300000000 } from './1764300000000-create-comments-base.js';

export const commentsMigrations = [CreateCommentsBase1764300000000];
