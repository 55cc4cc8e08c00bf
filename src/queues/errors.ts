// Moved to src/errors; this path stays for existing imports.
export { WorkOSQueueError, type WorkOSQueueErrorCode } from '../errors/config.js';
