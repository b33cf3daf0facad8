import type { LocalStack, PrincipalName } from '@slack-ai-app/local-stack';
import { startIdleLocalStack } from '@slack-ai-app/local-stack/testing';
import { checkAuth, executeUrl, judgeCallerSigned, judgeUnsigned, regionFromExecuteApiUrl } from '../src/check-auth';
import { CheckAuthError } from '../src/errors';

describe('check-auth against the local stack (API Gateway with IAM auth and the contract resource policy)', () => {
  let stack: LocalStack;

  beforeAll(async () => {
    stack = await startIdleLocalStack();
  }, 30_000);
  afterAll(async () => stack?.stop());

  const credentialsOf = (name: PrincipalName) => {
    const principal = stack.credentials.principals[name];
    return async () => ({
      accessKeyId: principal.accessKeyId,
      secretAccessKey: principal.secretAccessKey,
      ...(principal.sessionToken ? { sessionToken: principal.sessionToken } : {}),
    });
  };

  it('passes for a caller that is not the verification role: unsigned → 403, signed → 403 explicit deny', async () => {
    const report = await checkAuth({
      url: stack.urls.executionApiStage,
      region: stack.credentials.region,
      credentials: credentialsOf('otherRole'),
    });

    expect(report.url).toBe(stack.urls.executeApi);
    expect(report.probes.map((probe) => [probe.probe, probe.pass, probe.status, probe.errorType])).toEqual([
      ['unsigned', true, 403, 'MissingAuthenticationTokenException'],
      ['caller_signed', true, 403, 'AccessDeniedException'],
    ]);
    expect(report.probes[1]?.message).toMatch(/^User: arn:aws:sts::000000000000:assumed-role\/slack-ai-app-other-role\/.* with an explicit deny$/);
    expect(report.pass).toBe(true);
  });

  it('fails when the credentials are the verification role\u2019s: the API lets them through', async () => {
    const report = await checkAuth({
      url: stack.urls.executionApiStage,
      region: stack.credentials.region,
      credentials: credentialsOf('verification'),
    });
    expect(report.pass).toBe(false);
    // The probe body is invalid on purpose: an admitted request stops at the request validator.
    expect(report.probes[1]).toMatchObject({ pass: false, status: 400 });
    expect(report.probes[1]?.verdict).toMatch(/^expected 403, got 400: the API let a principal other than the verification role through/);
  });

  it('fails, without proving anything, when the caller\u2019s credentials are rejected', async () => {
    const report = await checkAuth({
      url: stack.urls.executionApiStage,
      region: stack.credentials.region,
      credentials: async () => ({ accessKeyId: 'AKIAUNKNOWNKEY000000', secretAccessKey: 'not-a-known-secret' }),
    });
    expect(report.probes[1]).toMatchObject({ pass: false, status: 403 });
    expect(report.probes[1]?.errorType).not.toBe('AccessDeniedException');
    expect(report.probes[1]?.verdict).toContain('your credentials were rejected before the resource policy was evaluated');
  });

  it('throws CheckAuthError when the API cannot be reached', async () => {
    const closed = 'http://127.0.0.1:9/prod/';
    await expect(checkAuth({ url: closed, region: 'us-east-1', credentials: credentialsOf('otherRole'), timeoutMs: 2_000 })).rejects.toThrow(
      CheckAuthError,
    );
  });
});

describe('judging the probes', () => {
  it('the unsigned probe passes on 403 only', () => {
    expect(judgeUnsigned(403, 'MissingAuthenticationTokenException', 'Missing Authentication Token').pass).toBe(true);
    expect(judgeUnsigned(202, undefined, undefined)).toMatchObject({
      pass: false,
      verdict: 'expected 403, got 202: the method accepts requests without SigV4; its authorization must be AWS_IAM',
    });
  });

  it('the signed probe passes on an explicit deny only', () => {
    const explicit = 'User: arn:aws:sts::1:assumed-role/me/s is not authorized to perform: execute-api:Invoke on resource: x with an explicit deny';
    expect(judgeCallerSigned(403, 'AccessDeniedException', explicit).pass).toBe(true);
    expect(judgeCallerSigned(403, 'AccessDeniedException', explicit.replace(' with an explicit deny', ''))).toMatchObject({
      pass: false,
      verdict: expect.stringContaining('an implicit deny'),
    });
    expect(judgeCallerSigned(403, 'InvalidSignatureException', 'Signature expired').pass).toBe(false);
    expect(judgeCallerSigned(202, undefined, undefined).pass).toBe(false);
  });
});

describe('executeUrl and regionFromExecuteApiUrl', () => {
  it('appends /execute to a stage URL, once', () => {
    expect(executeUrl('https://abc123.execute-api.eu-west-1.amazonaws.com/prod/')).toBe('https://abc123.execute-api.eu-west-1.amazonaws.com/prod/execute');
    expect(executeUrl('https://abc123.execute-api.eu-west-1.amazonaws.com/prod')).toBe('https://abc123.execute-api.eu-west-1.amazonaws.com/prod/execute');
    expect(executeUrl('http://127.0.0.1:4566/prod/execute')).toBe('http://127.0.0.1:4566/prod/execute');
    expect(() => executeUrl('ftp://example.com/prod')).toThrow('"ftp://example.com/prod" is not an http(s) URL');
  });

  it('reads the region from an execute-api host only', () => {
    expect(regionFromExecuteApiUrl('https://abc123.execute-api.eu-west-1.amazonaws.com/prod/execute')).toBe('eu-west-1');
    expect(regionFromExecuteApiUrl('http://127.0.0.1:4566/prod/execute')).toBeUndefined();
  });
});
