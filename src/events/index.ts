export * from './created-at.js';
export type * from './envelope.js';
export * from './generated/names.js';
export type * from './generated/types.js';
export * from './guards.js';
export * from './parse.js';
export { preloadWorkOSEventSchemas } from './schema-loader.js';
export type * from './types.js';
