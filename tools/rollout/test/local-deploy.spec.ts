import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { LocalDeployStep } from '../src/local-deploy';
import { DeployError } from '../src/errors';

const REQUEST = { percentage: 50, useApiGateway: false, enableDirectInvokeFallback: true, reason: 'stage 2/3 (50 %)', extras: { context: {}, args: [] } };

describe('LocalDeployStep', () => {
  let server: Server;
  let bodies: string[];
  let answer: { status: number; body: string };

  beforeAll(async () => {
    server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        bodies.push(`${request.method} ${request.url} ${Buffer.concat(chunks).toString('utf8')}`);
        response.writeHead(answer.status, { 'content-type': 'application/json' }).end(answer.body);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });

  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  beforeEach(() => {
    bodies = [];
  });

  const endpoint = () => `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  it('posts the stage context to the local stack and resolves once it answers 200', async () => {
    answer = { status: 200, body: '{"updatedFunctions":["verification"]}' };
    await new LocalDeployStep(endpoint()).deploy(REQUEST);
    expect(bodies).toEqual(['POST /_local/deployments {"context":{"executionApiPercentage":50,"useApiGateway":false,"enableDirectInvokeFallback":true}}']);
  });

  it("throws DeployError with the stack's message when it refuses", async () => {
    answer = { status: 400, body: '{"error":"RedeployError","message":"executionApiPercentage must be an integer from 0 to 100, not 150"}' };
    await expect(new LocalDeployStep(endpoint()).deploy(REQUEST)).rejects.toThrow(
      new DeployError('the local stack refused the deploy (400): executionApiPercentage must be an integer from 0 to 100, not 150'),
    );
  });

  it('describes the request it would send (--dry-run)', () => {
    expect(new LocalDeployStep('http://127.0.0.1:4566').describe(REQUEST)).toBe(
      'POST http://127.0.0.1:4566/_local/deployments {"context":{"executionApiPercentage":50,"useApiGateway":false,"enableDirectInvokeFallback":true}}',
    );
  });
});
