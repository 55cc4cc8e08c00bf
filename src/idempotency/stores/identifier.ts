// Table names end up inside SQL text (they cannot be bound parameters), so they are validated, then quoted.
const PART = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

/**
 * Validates `name` as `table` or `schema.table` (letters, digits, underscores; ≤ 63 characters each) and returns
 * it double-quoted for SQL. Throws a TypeError otherwise.
 */
export function quoteTableName(name: string, allowSchema: boolean): string {
  const parts = typeof name === 'string' ? name.split('.') : [];
  const valid = parts.length >= 1 && parts.length <= (allowSchema ? 2 : 1) && parts.every((p) => PART.test(p));
  if (!valid) {
    throw new TypeError(
      `Invalid table name ${JSON.stringify(String(name))}: use ${allowSchema ? '[schema.]table' : 'a table name'} made of letters, digits and underscores.`,
    );
  }
  return parts.map((p) => `"${p}"`).join('.');
}

/** A name derived from the table for an index (unquoted, ≤ 63 characters). */
export function derivedName(table: string, suffix: string): string {
  const base = table.split('.').pop() ?? table;
  return `${base.slice(0, 63 - suffix.length - 1)}_${suffix}`;
}
