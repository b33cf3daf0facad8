/** @type {import('jest').Config} */
module.exports = {
  displayName: 'execution-api-contract',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
  coverageDirectory: '../../coverage/libs/execution-api-contract',
};
