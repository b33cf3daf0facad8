/** @type {import('jest').Config} */
module.exports = {
  displayName: 'rollout',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
  coverageDirectory: '../../coverage/tools/rollout',
};
