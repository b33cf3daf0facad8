import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readCloudAssembly, type AssemblyStack } from '../../src/assembly/cloud-assembly';
import { planDeployment, type LocalDeployment } from '../../src/assembly/deployment';
import type { CloudFormationTemplate } from '../../src/assembly/cloud-assembly';
import { localSecretArn } from '../../src/aws/secrets-manager';
import { LOCAL_ACCOUNT_ID, LOCAL_API_ID, LOCAL_REGION } from '../../src/constants';
import { DEFAULT_ASSEMBLY_DIRECTORY, findWorkspaceRoot } from '../../src/stack';

/** The assembly `nx run infra:synth` wrote (the test target depends on it). */
export function defaultAssemblyDirectory(): string {
  return join(findWorkspaceRoot(), DEFAULT_ASSEMBLY_DIRECTORY);
}

/** The default assembly's stack. */
export function defaultAssembly(): AssemblyStack {
  return readCloudAssembly(defaultAssemblyDirectory());
}

/** The default assembly deployed in the local account (Function URLs resolve to a fixed local URL). */
export function defaultDeployment(): LocalDeployment {
  return planDeployment(defaultAssembly(), { accountId: LOCAL_ACCOUNT_ID, region: LOCAL_REGION, apiId: LOCAL_API_ID }, { functionUrl: () => 'http://127.0.0.1:3000/', secretArn: localSecretArn });
}

/**
 * Copies the default assembly to a fresh directory under the git-ignored `tmp/local-stack/` and lets `edit` change its
 * template, as one would hand-edit a copy of `cdk.out`.
 *
 * @param edit - changes the parsed template in place
 * @returns the copy's directory
 */
export function editedAssembly(edit: (template: { Resources: Record<string, { Type: string; Properties?: Record<string, unknown> }> }) => void): string {
  const source = defaultAssemblyDirectory();
  const parent = join(findWorkspaceRoot(), 'tmp', 'local-stack');
  mkdirSync(parent, { recursive: true });
  const copy = mkdtempSync(join(parent, 'edited-assembly-'));
  cpSync(source, copy, { recursive: true });
  const stack = readCloudAssembly(copy);
  const manifest = JSON.parse(readFileSync(join(copy, 'manifest.json'), 'utf8')) as { artifacts: Record<string, { type: string; properties?: { templateFile?: string } }> };
  const file = Object.values(manifest.artifacts).find((a) => a.type === 'aws:cloudformation:stack')?.properties?.templateFile as string;
  const template = JSON.parse(JSON.stringify(stack.template)) as CloudFormationTemplate & { Resources: Record<string, { Type: string; Properties?: Record<string, unknown> }> };
  edit(template);
  writeFileSync(join(copy, file), JSON.stringify(template, null, 1));
  return copy;
}
