// The runner-agnostic compliance suite takes the `describe`/`it` of node:test and vitest as they are (Jest's and
// mocha's have the same shapes): a type error here would force users into casts.
import * as nodeTest from 'node:test';
import { describe, expectTypeOf, it } from 'vitest';
import type { TestRunner } from '../../src/testing/index.js';

expectTypeOf({ describe: nodeTest.describe, it: nodeTest.it }).toExtend<TestRunner>();
expectTypeOf({ describe: nodeTest.describe, it: nodeTest.test }).toExtend<TestRunner>();
expectTypeOf({ describe, it }).toExtend<TestRunner>();
expectTypeOf({ describe }).not.toExtend<TestRunner>();
