export * from './tracing.js';
export * from './setup.js';
export * from './propagation.js';
export * from './spans.js';
export * from './tracing.module.js';
