import { loadConfig } from './config';

/** Node.js runtime only: print what is wrong with the configuration and stop the server. */
export function checkConfigOrExit(): void {
  try {
    loadConfig();
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  }
}
