import { createHash, createHmac } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';
import { Hash } from '@smithy/hash-node';
import { HttpRequest } from '@smithy/protocol-http';
import { RequestSigner } from '@slack-ai-app/signing';
import type { VerifiableRequest, VerifyResult } from '../../src/sigv4/verify-sigv4-request';
import { verifySigV4Request, verifySigV4RequestWithPathMode } from '../../src/sigv4/verify-sigv4-request';
import { API_URL, NOW, ROLE_KEY, TEMP_KEY, asReceived, verifyOptions, withHeader } from '../support/sigv4-fixtures';

const HOST = 'abc123defg.execute-api.us-east-1.amazonaws.com';
const BODY = '{"a":1}';
const BODY_HASH = '015abd7f5cc57a2dd94b7590f04ad8084273905ee33ec5cebeae62276a97f862';

function signer(overrides: { region?: string; service?: string; key?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string } } = {}): RequestSigner {
  const key = overrides.key ?? ROLE_KEY;
  return new RequestSigner({ region: overrides.region ?? 'us-east-1', ...(overrides.service ? { service: overrides.service } : {}), credentials: async () => key });
}

async function signedPost(options: { at?: Date; url?: string; region?: string; service?: string; key?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string } } = {}): Promise<VerifiableRequest> {
  const signed = await signer(options).sign(
    { method: 'POST', url: options.url ?? API_URL, headers: { 'content-type': 'application/json' }, body: BODY },
    { signingDate: options.at ?? NOW },
  );
  return asReceived(signed);
}

function failure(result: VerifyResult): { reason: string; errorType: string; message: string; body: string; status: number } {
  if (result.ok) throw new Error('expected a failure');
  const { reason, errorType, message, body, status } = result.error;
  return { reason, errorType, message, body, status };
}

function authorizationOf(request: VerifiableRequest): string {
  return request.headers['authorization'] as string;
}

function secondsFromNow(seconds: number): Date {
  return new Date(NOW.getTime() + seconds * 1000);
}

describe('verifySigV4Request', () => {
  describe('accepts', () => {
    it('a request signed by RequestSigner and returns the principal', async () => {
      await expect(verifySigV4Request(await signedPost(), verifyOptions({ region: 'us-east-1' }))).resolves.toEqual({
        ok: true,
        accessKeyId: ROLE_KEY.accessKeyId,
        principalArn: 'arn:aws:iam::000000000000:role/verification',
        callerArn: 'arn:aws:sts::000000000000:assumed-role/verification/fn',
        region: 'us-east-1',
        service: 'execute-api',
      });
    });

    it('what RequestSigner signs for a URL object with a port and an unsorted query (the host keeps the port)', async () => {
      const signed = await signer().sign({ method: 'GET', url: new URL('http://127.0.0.1:8080/prod/execute?b=2&a=1') }, { signingDate: NOW });
      await expect(verifySigV4Request(asReceived(signed), verifyOptions())).resolves.toMatchObject({ ok: true, accessKeyId: ROLE_KEY.accessKeyId });
    });

    it('any region when none is required', async () => {
      const result = await verifySigV4Request(await signedPost({ region: 'eu-west-1' }), verifyOptions());
      expect(result).toMatchObject({ ok: true, region: 'eu-west-1' });
    });

    it('headers in headersDistinct form (arrays)', async () => {
      const request = await signedPost();
      const distinct = Object.fromEntries(Object.entries(request.headers).map(([k, v]) => [k, [v as string]]));
      await expect(verifySigV4Request({ ...request, headers: distinct }, verifyOptions())).resolves.toMatchObject({ ok: true });
    });

    it('a body given as a Buffer', async () => {
      const request = await signedPost();
      await expect(verifySigV4Request({ ...request, body: Buffer.from(BODY) }, verifyOptions())).resolves.toMatchObject({ ok: true });
    });

    it('a path that needs double encoding (wire /a%20b/ sent, canonical /a%2520b/)', async () => {
      const request = await signedPost({ url: `https://${HOST}/prod/a%20b/ሴ?q=a b&r=%2F` });
      expect(request.rawPath).toBe('/prod/a%20b/%E1%88%B4?q=a%20b&r=%2F');
      await expect(verifySigV4Request(request, verifyOptions())).resolves.toMatchObject({ ok: true });
    });
  });

  describe('missing authentication token (oracle row #1)', () => {
    it('answers a request without Authorization or query auth with the exact 42-byte body', async () => {
      const request = withHeader(await signedPost(), 'authorization', undefined);
      const error = failure(await verifySigV4Request(request, verifyOptions()));
      expect(error).toEqual({
        reason: 'missing_token',
        errorType: 'MissingAuthenticationTokenException',
        message: 'Missing Authentication Token',
        body: '{"message":"Missing Authentication Token"}',
        status: 403,
      });
      expect(Buffer.byteLength(error.body)).toBe(42);
    });

    it('treats an empty Authorization header as absent', async () => {
      const request = withHeader(await signedPost(), 'authorization', '');
      expect(failure(await verifySigV4Request(request, verifyOptions())).reason).toBe('missing_token');
    });
  });

  describe('incomplete signature (oracle row #2)', () => {
    const unsigned: VerifiableRequest = { method: 'POST', rawPath: '/prod/execute', headers: { host: HOST }, body: BODY };

    it('lists every missing part and echoes the header for a Bearer token with "="', async () => {
      const request = withHeader(unsigned, 'authorization', 'Bearer eyJhbGciOi.eyJzdWIi.c2lnbmF0dXJl=');
      expect(failure(await verifySigV4Request(request, verifyOptions()))).toEqual({
        reason: 'incomplete_signature',
        errorType: 'IncompleteSignatureException',
        status: 403,
        message:
          "Authorization header requires 'Credential' parameter. Authorization header requires 'Signature' parameter. " +
          "Authorization header requires 'SignedHeaders' parameter. Authorization header requires existence of either a " +
          "'X-Amz-Date' or a 'Date' header. Authorization=Bearer eyJhbGciOi.eyJzdWIi.c2lnbmF0dXJl=",
        body:
          `{"message":"Authorization header requires 'Credential' parameter. Authorization header requires 'Signature' parameter. ` +
          `Authorization header requires 'SignedHeaders' parameter. Authorization header requires existence of either a ` +
          `'X-Amz-Date' or a 'Date' header. Authorization=Bearer eyJhbGciOi.eyJzdWIi.c2lnbmF0dXJl="}`,
      });
    });

    it('names the token without an equal sign (variant)', async () => {
      const request = withHeader(unsigned, 'authorization', 'Bearer abc.def.ghi');
      expect(failure(await verifySigV4Request(request, verifyOptions()))).toMatchObject({
        reason: 'incomplete_signature',
        errorType: 'IncompleteSignatureException',
        body: `{"message":"'abc.def.ghi' not a valid key=value pair (missing equal-sign) in Authorization header: 'Bearer abc.def.ghi'."}`,
      });
    });

    it('asks only for the date header when the SigV4 parameters are all there', async () => {
      const request = withHeader(await signedPost(), 'x-amz-date', undefined);
      expect(failure(await verifySigV4Request(request, verifyOptions())).message).toBe(
        `Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. Authorization=${authorizationOf(request)}`,
      );
    });

    it('rejects a time stamp that is not ISO 8601 basic format', async () => {
      const request = withHeader(await signedPost(), 'x-amz-date', '2024-01-02T03:04:05Z');
      expect(failure(await verifySigV4Request(request, verifyOptions()))).toMatchObject({
        reason: 'incomplete_signature',
        message: "Date must be in ISO-8601 'basic format'. Got '2024-01-02T03:04:05Z'. See http://en.wikipedia.org/wiki/ISO_8601",
      });
    });

    it('rejects an impossible calendar date', async () => {
      const request = withHeader(await signedPost(), 'x-amz-date', '20240231T030405Z');
      expect(failure(await verifySigV4Request(request, verifyOptions())).reason).toBe('incomplete_signature');
    });

    it('rejects another algorithm', async () => {
      const request = await signedPost();
      const other = withHeader(request, 'authorization', authorizationOf(request).replace('AWS4-HMAC-SHA256', 'AWS4-HMAC-SHA512'));
      expect(failure(await verifySigV4Request(other, verifyOptions()))).toMatchObject({
        reason: 'incomplete_signature',
        message: "Unsupported AWS 'algorithm': 'AWS4-HMAC-SHA512' (only AWS4-HMAC-SHA256 for now). ",
      });
    });

    it('rejects a credential without five elements', async () => {
      const request = await signedPost();
      const other = withHeader(request, 'authorization', authorizationOf(request).replace('/aws4_request', ''));
      expect(failure(await verifySigV4Request(other, verifyOptions())).message).toBe(
        `Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '${ROLE_KEY.accessKeyId}/20240102/us-east-1/execute-api'`,
      );
    });

    it('lists the missing query-string parameters', async () => {
      const request: VerifiableRequest = { ...unsigned, rawPath: '/prod/execute?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Date=20240102T030405Z' };
      expect(failure(await verifySigV4Request(request, verifyOptions()))).toMatchObject({
        reason: 'incomplete_signature',
        message:
          "AWS query-string parameters must include 'X-Amz-Credential'. AWS query-string parameters must include 'X-Amz-Signature'. " +
          "AWS query-string parameters must include 'X-Amz-SignedHeaders'. Re-examine the query-string parameters.",
      });
    });
  });

  describe('time window (oracle rows #4 and #4b, strict 5 minutes)', () => {
    it.each([299, 300])('accepts a request signed %i s ago', async (seconds) => {
      await expect(verifySigV4Request(await signedPost({ at: secondsFromNow(-seconds) }), verifyOptions())).resolves.toMatchObject({ ok: true });
    });

    it.each([299, 300])('accepts a request signed %i s ahead', async (seconds) => {
      await expect(verifySigV4Request(await signedPost({ at: secondsFromNow(seconds) }), verifyOptions())).resolves.toMatchObject({ ok: true });
    });

    it('rejects a request signed 301 s ago as expired, in API Gateway words', async () => {
      const error = failure(await verifySigV4Request(await signedPost({ at: secondsFromNow(-301) }), verifyOptions()));
      expect(error).toEqual({
        reason: 'signature_expired',
        errorType: 'InvalidSignatureException',
        status: 403,
        message: 'Signature expired: 20240102T025904Z is now earlier than 20240102T025905Z (20240102T030405Z - 5 min.)',
        body: '{"message":"Signature expired: 20240102T025904Z is now earlier than 20240102T025905Z (20240102T030405Z - 5 min.)"}',
      });
    });

    it('rejects a request signed 301 s ahead as not yet current', async () => {
      const error = failure(await verifySigV4Request(await signedPost({ at: secondsFromNow(301) }), verifyOptions()));
      expect(error).toMatchObject({
        reason: 'signature_not_yet_current',
        errorType: 'InvalidSignatureException',
        message: 'Signature not yet current: 20240102T030906Z is still later than 20240102T030905Z (20240102T030405Z + 5 min.)',
      });
    });

    it('honours maxSkewSeconds in the decision and the wording', async () => {
      const request = await signedPost({ at: secondsFromNow(-61) });
      expect(failure(await verifySigV4Request(request, verifyOptions({ maxSkewSeconds: 60 }))).message).toBe(
        'Signature expired: 20240102T030304Z is now earlier than 20240102T030305Z (20240102T030405Z - 1 min.)',
      );
      expect(failure(await verifySigV4Request(request, verifyOptions({ maxSkewSeconds: 45 }))).message).toContain('(20240102T030405Z - 45 sec.)');
      await expect(verifySigV4Request(request, verifyOptions({ maxSkewSeconds: 61 }))).resolves.toMatchObject({ ok: true });
    });
  });

  describe('signed headers and credential scope', () => {
    it('requires host to be signed', async () => {
      const request = await signedPost();
      const other = withHeader(request, 'authorization', authorizationOf(request).replace('content-type;host;x-amz-date', 'content-type;x-amz-date'));
      expect(failure(await verifySigV4Request(other, verifyOptions()))).toMatchObject({
        reason: 'invalid_signature',
        errorType: 'InvalidSignatureException',
        message: "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.",
      });
    });

    it("accepts an HTTP/2 request that signs ':authority' instead of host", async () => {
      const h2 = new SignatureV4({ credentials: ROLE_KEY, region: 'us-east-1', service: 'execute-api', sha256: Hash.bind(null, 'sha256') });
      const signed = await h2.sign(
        new HttpRequest({ method: 'POST', protocol: 'https:', hostname: HOST, path: '/prod/execute', headers: { ':authority': HOST, 'content-type': 'application/json' }, body: BODY }),
        { signingDate: NOW },
      );
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(signed.headers)) headers[name.toLowerCase()] = value;
      expect(headers['authorization']).toContain('SignedHeaders=:authority;content-type;');
      expect(headers['host']).toBeUndefined();
      await expect(
        verifySigV4Request({ method: 'POST', rawPath: '/prod/execute', headers, body: BODY }, verifyOptions()),
      ).resolves.toMatchObject({ ok: true, accessKeyId: ROLE_KEY.accessKeyId });
    });

    it('requires x-amz-date to be signed', async () => {
      const request = await signedPost();
      const other = withHeader(request, 'authorization', authorizationOf(request).replace('content-type;host;x-amz-date', 'content-type;host'));
      expect(failure(await verifySigV4Request(other, verifyOptions())).message).toBe("'X-Amz-Date' must be a 'SignedHeader' in the AWS Authorization.");
    });

    it('rejects another region when one is required', async () => {
      const error = failure(await verifySigV4Request(await signedPost({ region: 'eu-west-1' }), verifyOptions({ region: 'us-east-1' })));
      expect(error).toMatchObject({ reason: 'invalid_signature', message: "Credential should be scoped to a valid region, not 'eu-west-1'. " });
    });

    it('rejects another service', async () => {
      const error = failure(await verifySigV4Request(await signedPost({ service: 'lambda' }), verifyOptions()));
      expect(error.message).toBe("Credential should be scoped to correct service: 'execute-api'. ");
    });

    it('checks the service given in the options', async () => {
      await expect(verifySigV4Request(await signedPost({ service: 'lambda' }), verifyOptions({ service: 'lambda' }))).resolves.toMatchObject({ ok: true, service: 'lambda' });
    });

    it('reports every wrong scope element, including a date that is not the time stamp date', async () => {
      const request = await signedPost();
      const other = withHeader(
        request,
        'authorization',
        authorizationOf(request).replace('/20240102/us-east-1/execute-api/aws4_request', '/20240101/eu-west-1/lambda/aws5_request'),
      );
      expect(failure(await verifySigV4Request(other, verifyOptions({ region: 'us-east-1' }))).message).toBe(
        "Credential should be scoped to a valid region, not 'eu-west-1'. Credential should be scoped to correct service: 'execute-api'. " +
          "Credential should be scoped with a valid terminator: 'aws4_request', not 'aws5_request'. " +
          "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '20240101' != '20240102', from '20240102T030405Z'.",
      );
    });
  });

  describe('unrecognised key or session token (oracle row #5)', () => {
    const rowFive = {
      reason: 'unrecognized_key',
      errorType: 'UnrecognizedClientException',
      status: 403,
      message: 'The security token included in the request is invalid.',
      body: '{"message":"The security token included in the request is invalid."}',
    };

    it('rejects an unknown access key', async () => {
      const request = await signedPost({ key: { accessKeyId: 'AKIDUNKNOWN00000000', secretAccessKey: ROLE_KEY.secretAccessKey } });
      expect(failure(await verifySigV4Request(request, verifyOptions()))).toEqual(rowFive);
    });

    it('accepts temporary credentials with their signed session token', async () => {
      const request = await signedPost({ key: TEMP_KEY });
      expect(request.headers['x-amz-security-token']).toBe(TEMP_KEY.sessionToken);
      await expect(verifySigV4Request(request, verifyOptions())).resolves.toMatchObject({ ok: true, accessKeyId: TEMP_KEY.accessKeyId });
    });

    it('accepts a session token that is present but not signed', async () => {
      // Signed without the token, then the token added unsigned (the AWS suite's omit_session_token).
      const unsignedToken = signer({ key: { accessKeyId: TEMP_KEY.accessKeyId, secretAccessKey: TEMP_KEY.secretAccessKey } });
      const signed = await unsignedToken.sign({ method: 'GET', url: `https://${HOST}/prod/execute` }, { signingDate: NOW });
      const headers: Record<string, string> = { ...(asReceived(signed).headers as Record<string, string>), 'x-amz-security-token': TEMP_KEY.sessionToken };
      expect(headers['authorization']).toContain('SignedHeaders=host;x-amz-date,');
      const request: VerifiableRequest = { method: 'GET', rawPath: '/prod/execute', headers, body: '' };
      await expect(verifySigV4Request(request, verifyOptions())).resolves.toMatchObject({ ok: true });
      expect(failure(await verifySigV4Request(withHeader(request, 'x-amz-security-token', 'forged'), verifyOptions()))).toEqual(rowFive);
    });

    it('rejects temporary credentials without their session token', async () => {
      const request = await signedPost({ key: { accessKeyId: TEMP_KEY.accessKeyId, secretAccessKey: TEMP_KEY.secretAccessKey } });
      expect(failure(await verifySigV4Request(request, verifyOptions()))).toEqual(rowFive);
    });

    it('rejects a correctly signed but different session token', async () => {
      const request = await signedPost({ key: { ...TEMP_KEY, sessionToken: `${TEMP_KEY.sessionToken}x` } });
      expect(failure(await verifySigV4Request(request, verifyOptions()))).toEqual(rowFive);
    });

    it('rejects a session token sent with a long-term key', async () => {
      const request = await signedPost({ key: { ...ROLE_KEY, sessionToken: 'unexpected' } });
      expect(failure(await verifySigV4Request(request, verifyOptions()))).toEqual(rowFive);
    });
  });

  describe('invalid signature (oracle row #3)', () => {
    it('shows the canonical string and string to sign, with the path as received', async () => {
      const request = await signedPost({ key: { accessKeyId: ROLE_KEY.accessKeyId, secretAccessKey: 'wrong-secret' } });
      const canonical =
        'POST\n/prod/execute\n\ncontent-type:application/json\n' +
        `host:${HOST}\nx-amz-date:20240102T030405Z\n\ncontent-type;host;x-amz-date\n${BODY_HASH}`;
      const stringToSign =
        'AWS4-HMAC-SHA256\n20240102T030405Z\n20240102/us-east-1/execute-api/aws4_request\n' +
        createHash('sha256').update(canonical).digest('hex');
      const message =
        'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and ' +
        'signing method. Consult the service documentation for details.\n\n' +
        `The Canonical String for this request should have been\n'${canonical}'\n\nThe String-to-Sign should have been\n'${stringToSign}'\n`;
      expect(failure(await verifySigV4Request(request, verifyOptions()))).toEqual({
        reason: 'invalid_signature',
        errorType: 'InvalidSignatureException',
        status: 403,
        message,
        body: JSON.stringify({ message }),
      });
    });

    it('shows the double-encoded canonical URI of an encoded path', async () => {
      const request = await signedPost({ url: `https://${HOST}/prod/a%20b?x=1%202`, key: { accessKeyId: ROLE_KEY.accessKeyId, secretAccessKey: 'wrong' } });
      expect(failure(await verifySigV4Request(request, verifyOptions())).message).toContain("should have been\n'POST\n/prod/a%2520b\nx=1%202\n");
    });

    it('never shows the session token', async () => {
      const request = await signedPost({ key: { ...TEMP_KEY, secretAccessKey: 'wrong-secret' } });
      const error = failure(await verifySigV4Request(request, verifyOptions()));
      expect(error.reason).toBe('invalid_signature');
      expect(error.message).toContain('\nx-amz-security-token:<redacted>\n');
      expect(error.body).not.toContain(TEMP_KEY.sessionToken);
      expect(error.body).not.toContain(TEMP_KEY.secretAccessKey);
    });

    it('rejects a changed body', async () => {
      const request = await signedPost();
      expect(failure(await verifySigV4Request({ ...request, body: '{"a":2}' }, verifyOptions())).reason).toBe('invalid_signature');
    });

    it('rejects a changed unsigned-looking part of the path (double encoding is exact)', async () => {
      const request = await signedPost({ url: `https://${HOST}/prod/a%20b` });
      const decoded = { ...request, rawPath: '/prod/a b' };
      expect(failure(await verifySigV4Request(decoded, verifyOptions())).reason).toBe('invalid_signature');
    });

    it.each([
      ['too short', 'abc'],
      ['not hex', 'z'.repeat(64)],
      ['upper-case hex', 'A'.repeat(64)],
    ])('rejects a signature that is %s without throwing', async (_what, signature) => {
      const request = await signedPost();
      const other = withHeader(request, 'authorization', authorizationOf(request).replace(/Signature=[0-9a-f]+/, `Signature=${signature}`));
      expect(failure(await verifySigV4Request(other, verifyOptions())).reason).toBe('invalid_signature');
    });

    it('rejects a body whose x-amz-content-sha256 no longer matches (S3-style signing)', async () => {
      const s3 = new RequestSigner({ service: 's3', region: 'us-east-1', credentials: async () => ROLE_KEY });
      const request = asReceived(await s3.sign({ method: 'PUT', url: 'https://bucket.s3.amazonaws.com/a%20b', body: 'data' }, { signingDate: NOW }));
      const options = verifyOptions({ service: 's3' });
      expect(verifySigV4RequestWithPathMode(request, options, 'as-is')).toMatchObject({ ok: true });
      expect(verifySigV4RequestWithPathMode({ ...request, body: 'date' }, options, 'as-is')).toMatchObject({ ok: false });
    });
  });

  describe('Date header instead of X-Amz-Date', () => {
    // Signed by hand: smithy always uses X-Amz-Date, so this canonical request is written out literally.
    const date = 'Tue, 02 Jan 2024 03:04:05 GMT';
    const canonical = `GET\n/prod/execute\n\ndate:${date}\nhost:${HOST}\n\ndate;host\n${createHash('sha256').update('').digest('hex')}`;
    const stringToSign = `AWS4-HMAC-SHA256\n20240102T030405Z\n20240102/us-east-1/execute-api/aws4_request\n${createHash('sha256').update(canonical).digest('hex')}`;
    let key: Buffer = Buffer.from(`AWS4${ROLE_KEY.secretAccessKey}`);
    for (const part of ['20240102', 'us-east-1', 'execute-api', 'aws4_request']) key = createHmac('sha256', key).update(part).digest();
    const signature = createHmac('sha256', key).update(stringToSign).digest('hex');
    const request: VerifiableRequest = {
      method: 'GET',
      rawPath: '/prod/execute',
      headers: {
        host: HOST,
        date,
        authorization: `AWS4-HMAC-SHA256 Credential=${ROLE_KEY.accessKeyId}/20240102/us-east-1/execute-api/aws4_request, SignedHeaders=date;host, Signature=${signature}`,
      },
      body: '',
    };

    it('accepts it when signed', async () => {
      await expect(verifySigV4Request(request, verifyOptions())).resolves.toMatchObject({ ok: true });
    });

    it('requires it to be signed', async () => {
      const unsignedDate = withHeader(request, 'authorization', (request.headers['authorization'] as string).replace('date;host', 'host'));
      expect(failure(await verifySigV4Request(unsignedDate, verifyOptions())).message).toBe("'Date' must be a 'SignedHeader' in the AWS Authorization.");
    });

    it('rejects a Date that is not an IMF-fixdate', async () => {
      expect(failure(await verifySigV4Request(withHeader(request, 'date', '2024-01-02'), verifyOptions())).reason).toBe('incomplete_signature');
    });
  });

  describe('query-string authentication (pre-signed URLs)', () => {
    async function presign(expiresIn: number, sessionToken?: string): Promise<VerifiableRequest> {
      const smithy = new SignatureV4({
        service: 'execute-api',
        region: 'us-east-1',
        credentials: sessionToken ? { ...TEMP_KEY } : { ...ROLE_KEY },
        sha256: Hash.bind(null, 'sha256'),
      });
      const presigned = await smithy.presign(
        new HttpRequest({ method: 'GET', hostname: HOST, path: '/prod/execute', query: { a: 'b' }, headers: { host: HOST } }),
        { signingDate: NOW, expiresIn },
      );
      const query = Object.entries(presigned.query ?? {})
        .map(([name, value]) => `${encodeURIComponent(name)}=${encodeURIComponent(value as string)}`)
        .join('&');
      return { method: 'GET', rawPath: `/prod/execute?${query}`, headers: { host: HOST }, body: '' };
    }

    it('accepts a pre-signed URL within X-Amz-Expires, beyond the 5-minute window', async () => {
      const request = await presign(3600);
      await expect(verifySigV4Request(request, verifyOptions({ now: () => secondsFromNow(3600) }))).resolves.toMatchObject({ ok: true });
    });

    it('accepts one with a session token', async () => {
      await expect(verifySigV4Request(await presign(60, TEMP_KEY.sessionToken), verifyOptions())).resolves.toMatchObject({
        ok: true,
        accessKeyId: TEMP_KEY.accessKeyId,
      });
    });

    it('rejects it after X-Amz-Expires', async () => {
      const error = failure(await verifySigV4Request(await presign(60), verifyOptions({ now: () => secondsFromNow(61) })));
      expect(error).toMatchObject({
        reason: 'signature_expired',
        message: 'Signature expired: 20240102T030405Z is now earlier than 20240102T030406Z (20240102T030506Z - 60 sec.)',
      });
    });

    it('rejects a changed query parameter', async () => {
      const request = await presign(60);
      expect(failure(await verifySigV4Request({ ...request, rawPath: request.rawPath.replace('a=b', 'a=c') }, verifyOptions())).reason).toBe('invalid_signature');
    });

    it('rejects an X-Amz-Expires out of range', async () => {
      const request = await presign(60);
      const error = failure(await verifySigV4Request({ ...request, rawPath: request.rawPath.replace('X-Amz-Expires=60', 'X-Amz-Expires=604801') }, verifyOptions()));
      expect(error).toMatchObject({ reason: 'incomplete_signature', message: "X-Amz-Expires must be a whole number of seconds from 1 to 604800. Got '604801'." });
    });

    it('rejects header and query authentication together', async () => {
      const request = await presign(60);
      const both = withHeader(request, 'authorization', authorizationOf(await signedPost()));
      expect(failure(await verifySigV4Request(both, verifyOptions()))).toMatchObject({
        reason: 'invalid_signature',
        message: "Found both 'X-Amz-Algorithm' as a query-string param and 'Authorization' as HTTP header.",
      });
    });
  });

  it('propagates a failing lookup', async () => {
    const request = await signedPost();
    const lookup = (): never => {
      throw new Error('store down');
    };
    await expect(verifySigV4Request(request, { lookup, now: () => NOW })).rejects.toThrow('store down');
  });
});
