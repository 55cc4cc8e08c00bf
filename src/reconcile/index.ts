export * from './duration.js';
export * from './errors.js';
export * from './interval.js';
export * from './reconcile.js';
