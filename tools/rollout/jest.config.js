/** @type {import('jest').Config} */
module.exports = {
  displayName: 'rollout',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
  coverageDirectory: '../../coverage/tools/rollout',
  // The local rehearsal runs on its own target (jest.e2e.config.js).
  testPathIgnorePatterns: ['/node_modules/', '/e2e/'],
};
