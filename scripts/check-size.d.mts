/** Types of scripts/check-size.mjs, for the cold-start bench that reports the same sizes. */
export interface SizeFixture {
  /** Bytes loaded up front allowed by issue 13. */
  budget: number;
  /** The app bundled for the check. */
  code: string;
}
export const FIXTURES: Record<'verify-only' | 'handler+fetch', SizeFixture>;
export interface UpFront {
  bytes: number;
  chunks: string[];
  lazyChunks: string[];
  inputs: [string, number][];
}
export function measure(name: string, code: string): Promise<UpFront>;
