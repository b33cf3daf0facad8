import type { SignedRequest } from '@slack-ai-app/signing';
import { NOW, ROLE_KEY, TEMP_KEY } from '@slack-ai-app/signing/testing';
import type { KnownCredential, VerifiableRequest, VerifyOptions } from '../../src';

/** The signer tests' pinned clock, credentials and execution API URL, which the verifier tests share. */
export { API_URL, NOW, ROLE_KEY, TEMP_KEY } from '@slack-ai-app/signing/testing';

/** What the verifier knows about {@link ROLE_KEY} and {@link TEMP_KEY}. */
export const KNOWN: Readonly<Record<string, KnownCredential>> = {
  [ROLE_KEY.accessKeyId]: {
    secretAccessKey: ROLE_KEY.secretAccessKey,
    principalArn: 'arn:aws:iam::000000000000:role/verification',
    callerArn: 'arn:aws:sts::000000000000:assumed-role/verification/fn',
  },
  [TEMP_KEY.accessKeyId]: {
    secretAccessKey: TEMP_KEY.secretAccessKey,
    sessionToken: TEMP_KEY.sessionToken,
    principalArn: 'arn:aws:iam::000000000000:role/temporary',
    callerArn: 'arn:aws:sts::000000000000:assumed-role/temporary/session',
  },
};

/** Verify options: the {@link KNOWN} lookup and the pinned clock. */
export function verifyOptions(overrides: Partial<VerifyOptions> = {}): VerifyOptions {
  return { lookup: (id) => KNOWN[id], now: () => NOW, ...overrides };
}

/** A signed request as node's HTTP server would present it (lower-case header names). */
export function asReceived(signed: SignedRequest): VerifiableRequest {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(signed.headers)) headers[name.toLowerCase()] = value;
  return { method: signed.method, rawPath: `${signed.url.pathname}${signed.url.search}`, headers, body: signed.body ?? '' };
}

/** Returns a copy of the request with one header replaced (or removed with `undefined`). */
export function withHeader(request: VerifiableRequest, name: string, value: string | undefined): VerifiableRequest {
  return { ...request, headers: { ...request.headers, [name]: value } };
}
