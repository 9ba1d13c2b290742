'use strict';

// Entry point of an engine worker thread. The engine is written in
// TypeScript and the package runs from its sources, so the worker registers
// Backstage's Node.js transform unless the parent's `--require` already did
// (worker threads inherit the parent's execArgv, jest workers do not).
// NOTE: a compiled build of this package would need this file to load
// workerTasks.js instead; the package is only run from source today.
if (!require.extensions['.ts']) {
  // Only needed when running from sources, where dev dependencies exist.
  // eslint-disable-next-line @backstage/no-undeclared-imports
  require('@backstage/cli/config/nodeTransform.cjs');
}
require('./workerTasks.ts');
