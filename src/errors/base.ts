/** Shared by every copy of the library in a process (ESM and CJS builds, root and subpath chunks). */
const ERROR_BRAND = Symbol.for('workos-events.error');

/**
 * The base of every error this library throws: match on `code` (stable), never on the message. Subclasses add
 * what their callers need (`status` for webhook and parse errors, `requestId` for API errors, …).
 * Use {@link isWorkOSEventsError} rather than `instanceof` when two copies of the library may be loaded.
 *
 * @example
 * ```ts
 * try {
 *   await reconcile({ handler: webhooks, since: '24h' });
 * } catch (err) {
 *   if (isWorkOSEventsError(err)) console.error(err.name, err.code, err.message);
 *   else throw err;
 * }
 * ```
 */
export class WorkOSEventsError<Code extends string = string> extends Error {
  override readonly name: string = 'WorkOSEventsError';
  /** A stable, machine-readable code. */
  readonly code: Code;

  constructor(code: Code, message: string, options?: { cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
  }

  /**
   * `instanceof` also holds for an error from another copy of the library (Node loads one file per entry, so the
   * root and, say, `workos-events/express` each have their classes): same brand and same class name.
   */
  static override [Symbol.hasInstance](instance: unknown): boolean {
    // biome-ignore lint/complexity/noThisInStatic: `this` is the class right of `instanceof`, a subclass too
    return sameCopyOrBranded(this, instance);
  }
}

Object.defineProperty(WorkOSEventsError.prototype, ERROR_BRAND, { value: true });

function sameCopyOrBranded(cls: abstract new (...args: never[]) => unknown, instance: unknown): boolean {
  if (Function.prototype[Symbol.hasInstance].call(cls, instance)) return true;
  return isWorkOSEventsError(instance) && (cls.name === 'WorkOSEventsError' || instance.name === cls.name);
}

/**
 * True when `error` is any error of this library ({@link WorkOSEventsError} or a subclass), also when it comes from
 * another copy of the library (ESM next to CJS, two installed versions): the check is a `Symbol.for` brand.
 *
 * @example
 * ```ts
 * if (isWorkOSEventsError(err)) return { code: err.code };
 * ```
 */
export function isWorkOSEventsError(error: unknown): error is WorkOSEventsError {
  return typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[ERROR_BRAND] === true;
}

/** True when `error` is a library error named `name` (from this copy or another one). */
export function isNamedError(error: unknown, name: string): boolean {
  return isWorkOSEventsError(error) && error.name === name;
}
