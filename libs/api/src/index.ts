export * from './text.js';
export * from './users.dto.js';
export * from './pagination.js';
export * from './auth.dto.js';
