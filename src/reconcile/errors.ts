// Moved to src/errors; this path stays for existing imports.
export { WorkOSReconcileError, type WorkOSReconcileErrorCode } from '../errors/config.js';
