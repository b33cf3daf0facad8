import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TemplateValue } from './intrinsics';

/** One resource of a template, unresolved. */
export interface TemplateResource {
  readonly Type: string;
  readonly Properties?: { readonly [key: string]: TemplateValue };
  readonly Condition?: string;
  readonly DependsOn?: string | readonly string[];
}

/** The parts of a CloudFormation template the local stack reads. */
export interface CloudFormationTemplate {
  readonly Parameters?: { readonly [name: string]: { readonly Type: string; readonly Default?: TemplateValue } };
  readonly Mappings?: { readonly [name: string]: { readonly [key: string]: { readonly [key: string]: TemplateValue } } };
  readonly Conditions?: { readonly [name: string]: TemplateValue };
  readonly Resources: { readonly [logicalId: string]: TemplateResource };
  readonly Outputs?: { readonly [name: string]: { readonly Value: TemplateValue; readonly Description?: string } };
}

/** A stack of a cloud assembly: its template and where its file assets are. */
export interface AssemblyStack {
  /** The assembly directory (`cdk.out`). */
  readonly directory: string;
  /** The CloudFormation stack name. */
  readonly stackName: string;
  readonly template: CloudFormationTemplate;
  /**
   * The directory of a file asset by its S3 object key (`<hash>.zip`, as the template's `Code.S3Key` names it), from
   * the stack's asset manifest.
   */
  readonly assetDirectory: (objectKey: string) => string | undefined;
  /**
   * The account the stack is for, from the artifact's `environment` (`aws://<account>/<region>`); `undefined` for an
   * environment-agnostic stack (`aws://unknown-account/unknown-region`), which deploys into the local account.
   */
  readonly account?: string;
  /** The Region the stack is for, from the same `environment`; `undefined` when environment-agnostic. */
  readonly region?: string;
}

/** Thrown when the directory is not a readable cloud assembly with exactly one CloudFormation stack. */
export class CloudAssemblyError extends Error {
  override readonly name = 'CloudAssemblyError';
}

interface Manifest {
  readonly artifacts?: Record<string, { readonly type: string; readonly displayName?: string; readonly environment?: string; readonly properties?: Record<string, unknown> }>;
}

interface AssetManifest {
  readonly files?: Record<string, { readonly source: { readonly path: string; readonly packaging?: string }; readonly destinations: Record<string, { readonly objectKey: string }> }>;
}

/**
 * Reads a cloud assembly as `cdk synth` writes it (schema: aws-cdk's cloud-assembly-schema; `manifest.json` lists
 * artifacts, `aws:cloudformation:stack` ones name their `templateFile`, `cdk:asset-manifest` ones their asset file).
 *
 * @param directory - the assembly directory, e.g. `apps/infra/cdk.out`
 * @returns its only CloudFormation stack
 * @throws CloudAssemblyError when the manifest is missing or does not hold exactly one stack
 */
export function readCloudAssembly(directory: string): AssemblyStack {
  const stacks = readCloudAssemblyStacks(directory);
  if (stacks.length !== 1) throw new CloudAssemblyError(`the cloud assembly at ${directory} holds ${stacks.length} CloudFormation stacks; the local stack deploys exactly one`);
  return stacks[0] as AssemblyStack;
}

/**
 * Reads every CloudFormation stack of a cloud assembly, in manifest order, each with the account and Region of its
 * artifact's `environment` (cloud-assembly-schema: `"environment": "aws://<account>/<region>"`).
 *
 * @param directory - the assembly directory
 * @returns its stacks (at least one)
 * @throws CloudAssemblyError when the manifest is missing, holds no stack, or a stack cannot be read
 */
export function readCloudAssemblyStacks(directory: string): AssemblyStack[] {
  const manifestPath = join(directory, 'manifest.json');
  if (!existsSync(manifestPath)) {
    throw new CloudAssemblyError(`no cloud assembly at ${directory} (manifest.json missing); synthesize it with: npx nx run infra:synth`);
  }
  const manifest = readJson<Manifest>(manifestPath);
  const artifacts = Object.entries(manifest.artifacts ?? {});
  const stacks = artifacts.filter(([, artifact]) => artifact.type === 'aws:cloudformation:stack');
  if (stacks.length === 0) throw new CloudAssemblyError(`the cloud assembly at ${directory} holds no CloudFormation stack`);

  const assets = new Map<string, string>();
  for (const [, artifact] of artifacts) {
    if (artifact.type !== 'cdk:asset-manifest' || typeof artifact.properties?.['file'] !== 'string') continue;
    const assetManifest = readJson<AssetManifest>(join(directory, artifact.properties['file']));
    for (const file of Object.values(assetManifest.files ?? {})) {
      for (const destination of Object.values(file.destinations)) assets.set(destination.objectKey, join(directory, file.source.path));
    }
  }
  return stacks.map(([artifactId, stack]) => {
    const templateFile = stack.properties?.['templateFile'];
    if (typeof templateFile !== 'string') throw new CloudAssemblyError(`the stack artifact ${artifactId} names no templateFile`);
    const template = readJson<CloudFormationTemplate>(join(directory, templateFile));
    if (template.Resources === undefined || typeof template.Resources !== 'object') throw new CloudAssemblyError(`${templateFile} has no Resources`);
    const stackName = typeof stack.properties?.['stackName'] === 'string' ? (stack.properties['stackName'] as string) : (stack.displayName ?? artifactId);
    const environment = /^aws:\/\/(\d{12})\/([a-z0-9-]+)$/.exec(stack.environment ?? '');
    return {
      directory,
      stackName,
      template,
      assetDirectory: (objectKey: string) => assets.get(objectKey),
      ...(environment !== null ? { account: environment[1] as string, region: environment[2] as string } : {}),
    };
  });
}

function readJson<T>(path: string): T {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as T;
  } catch (error) {
    throw new CloudAssemblyError(`cannot read ${path}: ${(error as Error).message}`, { cause: error });
  }
}
