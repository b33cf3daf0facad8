/** @type {import('jest').Config} */
module.exports = {
  displayName: 'execution-lambda',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
  coverageDirectory: '../../coverage/apps/execution-lambda',
};
