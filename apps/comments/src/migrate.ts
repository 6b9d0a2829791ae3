import { runMigrationsCommand } from '@app/platform';
import { COMMENTS_DATABASE } from './comments.module.js';

await runMigrationsCommand('comments', COMMENTS_DATABASE);
