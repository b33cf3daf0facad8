/** @type {import('jest').Config} */
module.exports = {
  displayName: 'preflight',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
  coverageDirectory: '../../coverage/tools/preflight',
};
