export * from './definitions.js';
export * from './definitions-file.js';
export * from './evaluator.js';
export * from './experiment-headers.js';
export * from './peer-trust.js';
export * from './subject.js';
export * from './assignment-reader.js';
