/** @type {import('jest').Config} */
module.exports = {
  displayName: 'logging',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
  coverageDirectory: '../../coverage/libs/logging',
};
