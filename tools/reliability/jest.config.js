/** @type {import('jest').Config} */
module.exports = {
  displayName: 'reliability',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
  coverageDirectory: '../../coverage/tools/reliability',
  // One file at a time: every suite starts a whole local stack whose Lambda containers are worker threads on a
  // 2-core machine, and the secrets scan must run after every other suite (src/jest/sequencer.js).
  maxWorkers: 1,
  testSequencer: '<rootDir>/src/jest/sequencer.js',
  globalSetup: '<rootDir>/src/jest/global-setup.ts',
  globalTeardown: '<rootDir>/src/jest/global-teardown.ts',
  // A bound on a hung scenario, not a timed assertion.
  testTimeout: 120_000,
};
