/** @type {import('jest').Config} */
module.exports = {
  displayName: 'verification-lambda',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
  coverageDirectory: '../../coverage/apps/verification-lambda',
};
