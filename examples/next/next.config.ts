import path from 'node:path';
import type { NextConfig } from 'next';

// This example lives inside the workos-events repository and uses the package through `file:../..` (a symlink in
// node_modules), so the bundler's root is the repository: it must see files outside examples/next.
const root = path.resolve(__dirname, '../..');

const nextConfig: NextConfig = {
  turbopack: { root },
  outputFileTracingRoot: root,
};

export default nextConfig;
