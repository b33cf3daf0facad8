// Client: sign requests and send signed JSON (what the verification Lambda ships).
export { RequestSigner } from './request-signer';
export type { RequestSignerOptions, SignableRequest, SignedRequest } from './request-signer';
export { defaultCredentials } from './default-credentials';
export { postSignedJson } from './post-signed-json';
export type { SignedJsonResponse } from './post-signed-json';
export { NetworkError, RequestTimeoutError, SigningConfigError, SigningError } from './errors';

// The signer's encoding rules, which the SigV4 verifier of tools/aws-emulation applies too, so both read a request
// the same way.
export type { PathMode } from './wire-signer';
export { parseRawQuery } from './raw-query';
export { uriEncode, uriEncodePath } from './uri-encode';
