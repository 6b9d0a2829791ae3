/*
 * Domain read models several services keep from events, each in its own
 * schema: the user directory, the record of counted posts and the per-user
 * follow/post counters. Infrastructure they use comes from @app/platform.
 */
export * from './user-directory/user-directory.js';
export * from './user-directory/user-directory.module.js';
export * from './counts/counted-posts.js';
export * from './counts/user-counters.js';
