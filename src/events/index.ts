export * from './created-at.js';
export * from './envelope.js';
export * from './generated/names.js';
export type * from './generated/types.js';
export * from './guards.js';
export type { SchemaKit } from './kit.js';
export * from './parse.js';
export { workosEventSchema } from './schemas.js';
export type * from './types.js';
