import { buildStack } from './helpers';

/** Replaces asset hashes (64 hex digits, as in `S3Key: <hash>.zip`) so the snapshot follows the template, not the bundles. */
function maskAssetHashes(template: unknown): unknown {
  return JSON.parse(JSON.stringify(template).replace(/[0-9a-f]{64}/g, '[asset-hash]')) as unknown;
}

describe('SlackBedrockStack template', () => {
  it('matches the snapshot, asset hashes masked', () => {
    const { template } = buildStack();
    const json = maskAssetHashes(template.toJSON());
    expect(JSON.stringify(json)).not.toMatch(/[0-9a-f]{64}/);
    expect(json).toMatchSnapshot();
  });
});
