import { runMigrationsCommand } from '@app/platform';
import { USERS_DATABASE } from './users.module.js';

await runMigrationsCommand('users', USERS_DATABASE);
