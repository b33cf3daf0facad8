/** @type {import('jest').Config} */
module.exports = {
  displayName: 'stack-contract',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
  coverageDirectory: '../../coverage/libs/stack-contract',
};
