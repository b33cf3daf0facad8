/** @type {import('jest').Config} The migration rehearsal against the local stack (`nx run rollout:e2e`). */
module.exports = {
  displayName: 'rollout-e2e',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
  testMatch: ['<rootDir>/e2e/**/*.spec.ts'],
};
