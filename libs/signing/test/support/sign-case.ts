import { RequestSigner, type SignedRequest } from '../../src/request-signer';
import { credentialsOf, header, type SuiteCase } from './oracles';
import { joinedHeaders, parseRawHttp } from './raw-http';

/**
 * Signs a suite case's `request.txt` with {@link RequestSigner} (the Lambda's signer), with the case's credentials,
 * service, Region and timestamp. Only for the cases a URL can express (see `urlExpressibleCases`).
 *
 * @param c - the case
 */
export function signCaseWithRequestSigner(c: SuiteCase): Promise<SignedRequest> {
  const request = parseRawHttp(c.request);
  const credentials = credentialsOf(c);
  const signer = new RequestSigner({ service: c.context.service, region: c.context.region, credentials: async () => credentials });
  return signer.sign(
    { method: request.method, url: `http://${header(request, 'host')}${request.target}`, headers: joinedHeaders(request.headers), body: request.body },
    { signingDate: new Date(c.context.timestamp) },
  );
}
