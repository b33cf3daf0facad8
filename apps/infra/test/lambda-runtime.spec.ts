import * as fs from 'node:fs';
import * as path from 'node:path';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { buildStack } from './helpers';

/**
 * Both functions run on the newest Node.js runtime that the installed aws-cdk-lib offers, and their bundles are
 * compiled for that very Node.js (esbuild `target` in each app's project.json), so that upgrading one without the
 * other fails here. Runtime names are `nodejs<major>.x` (aws-cdk-lib `Runtime.NODEJS_*`).
 */
const workspaceRoot = path.resolve(__dirname, '..', '..', '..');

function nodeMajor(runtimeName: string): number | undefined {
  const match = /^nodejs(\d+)\.x$/.exec(runtimeName);
  return match ? Number(match[1]) : undefined;
}

function esbuildTarget(app: string): unknown {
  const project = JSON.parse(fs.readFileSync(path.join(workspaceRoot, 'apps', app, 'project.json'), 'utf8')) as {
    targets: { build: { options: { target?: unknown } } };
  };
  return project.targets.build.options.target;
}

describe('Lambda runtime', () => {
  const offered = Object.values(lambda.Runtime)
    .filter((value): value is lambda.Runtime => value instanceof lambda.Runtime)
    .map((runtime) => nodeMajor(runtime.name))
    .filter((major): major is number => major !== undefined);
  const newest = Math.max(...offered);
  const { template } = buildStack();
  // The two app functions (both `main.handler`); functions that CDK adds for its own custom resources are its business.
  const runtimes = Object.values(template.findResources('AWS::Lambda::Function', { Properties: { Handler: 'main.handler' } })).map(
    (resource) => (resource as { Properties: { Runtime?: string } }).Properties.Runtime,
  );

  it('is the newest Node.js runtime this aws-cdk-lib offers, for both functions', () => {
    expect(offered.length).toBeGreaterThan(5);
    expect(runtimes).toEqual([`nodejs${newest}.x`, `nodejs${newest}.x`]);
  });

  it.each(['verification-lambda', 'execution-lambda'])('has %s bundled for that Node.js', (app) => {
    expect(esbuildTarget(app)).toBe(`node${newest}`);
  });
});
