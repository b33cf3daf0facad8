/** @type {import('jest').Config} */
module.exports = {
  displayName: 'local-stack',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
  coverageDirectory: '../../coverage/tools/local-stack',
  // The end-to-end suites start real Lambda workers and servers; this is a bound on a hung run, not a timed assertion.
  testTimeout: 60_000,
};
