/**
 * docs/edge.md shows the recipes the edge tests run: each fixture's code (after its header comment) appears in the
 * page as written, under the file name a user would give it, and the page's wrangler.jsonc uses the test's
 * compatibility date.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { COMPATIBILITY_DATE, FIXTURES } from './cases.js';

const page = readFileSync(path.resolve(FIXTURES, '../../../docs/edge.md'), 'utf8');

/** The fixture without its leading comment (a block comment or `//` lines), which says where it is tested. */
function code(fixture: string): string {
  const text = readFileSync(path.join(FIXTURES, fixture), 'utf8');
  return text.replace(/^\/\*\*[\s\S]*?\*\/\n/, '').replace(/^(\/\/.*\n)+/, '');
}

it.each([
  ['worker.ts', 'src/worker.ts'],
  ['vercel/lib/webhooks.ts', 'lib/webhooks.ts'],
  ['vercel/app/api/webhooks/workos/route.ts', 'app/api/webhooks/workos/route.ts'],
])('docs/edge.md shows fixtures/%s as %s', (fixture, shownAs) => {
  expect(page).toContain(`// ${shownAs}\n${code(fixture)}`);
});

it('docs/edge.md uses the compatibility date the workerd test runs with, and no compatibility flags', () => {
  expect(page).toContain(`"compatibility_date": "${COMPATIBILITY_DATE}"`);
  expect(page).not.toMatch(/"compatibility_flags":\s*\[/);
});
