/** @type {import('jest').Config} */
module.exports = {
  displayName: 'aws-emulation',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
  coverageDirectory: '../../coverage/tools/aws-emulation',
};
