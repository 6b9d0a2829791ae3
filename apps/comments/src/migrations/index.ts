import { CreateCommentsBase1764300000000 } from './1764300000000-create-comments-base.js';
import { CreateComments1764300000001 } from './1764300000001-create-comments.js';

export const commentsMigrations = [CreateCommentsBase1764300000000, CreateComments1764300000001];
