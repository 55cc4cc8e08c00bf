import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseEnv } from 'node:util';
import { CliError, EXIT } from './io.js';

/**
 * Reads a `.env` file (KEY=value lines, as Node's `--env-file` understands them) and merges it under `env`:
 * variables already set win. With no `file`, `.env` in `cwd` is read if it exists; a named file must exist.
 */
export function withDotEnv(
  env: Record<string, string | undefined>,
  cwd: string,
  file?: string,
): Record<string, string | undefined> {
  const target = path.resolve(cwd, file ?? '.env');
  if (!existsSync(target)) {
    if (file) throw new CliError(`env file not found: ${target}`, EXIT.usage);
    return env;
  }
  const parsed = parseEnv(readFileSync(target, 'utf8')) as Record<string, string>;
  const merged: Record<string, string | undefined> = { ...parsed };
  for (const [key, value] of Object.entries(env)) if (value !== undefined) merged[key] = value;
  return merged;
}
