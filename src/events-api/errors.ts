// Moved to src/errors; this path stays for existing imports.
export {
  isWorkOSApiError,
  type WorkOSApiClientErrorCode,
  WorkOSApiError,
  type WorkOSApiFieldError,
} from '../errors/api.js';
