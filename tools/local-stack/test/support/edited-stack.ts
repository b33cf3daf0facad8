import { rmSync } from 'node:fs';
import type { LocalStack } from '../../src';
import { editedAssembly } from './assembly';
import { startTestStack } from './stack';

/**
 * Starts a stack from an edited copy of the synthesized assembly for one describe block (stopped and removed after).
 *
 * @param edit - changes the template in place
 * @returns a getter for the running stack
 */
export function stackFromEditedAssembly(edit: Parameters<typeof editedAssembly>[0]): () => LocalStack {
  let stack: LocalStack | undefined;
  let assembly: string | undefined;
  beforeAll(async () => {
    assembly = editedAssembly(edit);
    stack = await startTestStack({ assembly });
  });
  afterAll(async () => {
    await stack?.stop();
    if (assembly !== undefined) rmSync(assembly, { recursive: true, force: true });
  });
  return () => {
    if (stack === undefined) throw new Error('the stack did not start');
    return stack;
  };
}
