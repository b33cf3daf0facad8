// Client: sign requests and send signed JSON.
export { RequestSigner } from './request-signer';
export type { RequestSignerOptions, SignableRequest, SignedRequest } from './request-signer';
export { defaultCredentials } from './default-credentials';
export { postSignedJson } from './post-signed-json';
export type { SignedJsonResponse } from './post-signed-json';
export { NetworkError, RequestTimeoutError, SigningConfigError, SigningError } from './errors';

// Server: verify signed requests as API Gateway does.
export { verifySigV4Request } from './verify-sigv4-request';
export type { KnownCredential, VerifiableRequest, VerifyOptions, VerifyResult } from './verify-sigv4-request';
export { SigV4AuthError } from './sigv4-auth-error';
export { parseCredentialScope } from './parse-credential-scope';
