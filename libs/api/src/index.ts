export * from './text.js';
export * from './users.dto.js';
export * from './pagination.js';
export * from './auth.dto.js';
export * from './views.js';
export * from './user-view.js';
export * from './cursor.js';
export * from './posts.dto.js';
