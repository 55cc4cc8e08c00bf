/**
 * Whether an edge suite can run here, decided once per file and always said out loud: the suites need the built
 * `dist/edge/` (CI builds before testing; locally a missing or stale build skips with a message, under CI=true it
 * fails), and some runtimes need a newer Node than the Node 20 leg has (they run on the Node 22/24 legs).
 */
import { edgeDistProblem } from '../../scripts/edge-bundle.js';

const CI = process.env.CI === 'true';
const nodeMajor = Number(process.versions.node.split('.')[0]);

export interface EdgeGate {
  /** False when the suite must be skipped (a message has been printed). */
  run: boolean;
  /** Throws when dist/edge is not usable: reached only under CI=true, where the build is guaranteed. */
  requireDist(): void;
}

export function edgeGate(label: string, needs: { node?: { major: number; why: string } } = {}): EdgeGate {
  const distProblem = edgeDistProblem();
  let run = true;
  if (needs.node && nodeMajor < needs.node.major) {
    console.warn(
      `[${label}] SKIPPED on Node ${process.version}: ${needs.node.why} needs Node >= ${needs.node.major} (runs on the Node 22/24 legs of .ci/run).`,
    );
    run = false;
  } else if (distProblem && !CI) {
    console.warn(`[${label}] SKIPPED: ${distProblem} (under CI=true this fails instead).`);
    run = false;
  }
  return {
    run,
    requireDist() {
      if (distProblem) throw new Error(`${distProblem}. CI=true requires it: .ci/run builds before the tests.`);
    },
  };
}
