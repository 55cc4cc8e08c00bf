/**
 * `npm run demo`: shows the library end to end. Each section returns true when everything behaved as expected;
 * the process exits non-zero otherwise, so CI can run it.
 */
import { runPipelineDemo } from './demo/pipeline.js';
import { runVerifyDemo } from './demo/verify.js';

const sections: [string, () => Promise<boolean>][] = [
  ['verification', runVerifyDemo],
  ['pipeline', runPipelineDemo],
];

let ok = true;
for (const [name, run] of sections) {
  try {
    ok = (await run()) && ok;
  } catch (err) {
    ok = false;
    console.error(`\ndemo section "${name}" crashed:`, err);
  }
}
process.exitCode = ok ? 0 : 1;
