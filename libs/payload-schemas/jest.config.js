/** @type {import('jest').Config} */
module.exports = {
  displayName: 'payload-schemas',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
  coverageDirectory: '../../coverage/libs/payload-schemas',
};
