/** @type {import('jest').Config} */
module.exports = {
  displayName: 'workspace-checks',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
  coverageDirectory: '../../coverage/tools/workspace-checks',
};
