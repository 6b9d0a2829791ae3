import { CreatePostsBase1764300000000 } from './1764300000000-create-posts-base.js';

export const postsMigrations = [CreatePostsBase1764300000000];
