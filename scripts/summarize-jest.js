// Prints `N passed, N failed` from the jest JSON reports in artifacts/, and
// exits non-zero when a test failed, a suite failed to run, or a step named
// on the command line failed.
const fs = require('node:fs');
const path = require('node:path');

const failedSteps = process.argv.slice(2);
const artifacts = path.resolve(__dirname, '..', 'artifacts');
let passed = 0;
let failed = 0;

for (const name of ['jest-unit.json', 'jest-e2e.json']) {
  const file = path.join(artifacts, name);
  if (!fs.existsSync(file)) {
    console.log(`No jest report at ${file}: that step did not finish`);
    failed += 1;
    continue;
  }
  const report = JSON.parse(fs.readFileSync(file, 'utf8'));
  passed += report.numPassedTests;
  // A suite that fails to load has no failed tests, so count it as one.
  failed += report.numFailedTests + report.numRuntimeErrorTestSuites;
}

if (failedSteps.length > 0) {
  console.log(`Failed steps: ${failedSteps.join(', ')}`);
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 || failedSteps.length > 0 ? 1 : 0);
