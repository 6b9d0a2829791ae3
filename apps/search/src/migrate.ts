import { runMigrationsCommand } from '@app/platform';
import { SEARCH_DATABASE } from './search.module.js';

await runMigrationsCommand('search', SEARCH_DATABASE);
