/** @type {import('jest').Config} */
module.exports = {
  displayName: 'signing',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
  coverageDirectory: '../../coverage/libs/signing',
};
