import { runMigrationsCommand } from '@app/platform';
import { POSTS_DATABASE } from './posts.module.js';

await runMigrationsCommand('posts', POSTS_DATABASE);
