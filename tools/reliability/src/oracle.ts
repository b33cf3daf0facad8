import type { RawResponse } from './raw-http';

/**
 * What a real API Gateway REST API with AWS_IAM auth answers, from `../shared/oracles/apigw/behaviour.md` (rows cited
 * by number). Every expectation of the hostile-input tests against the execution API is one of these rows, so a
 * better capture changes one line here.
 */

/** One row of the oracle: status, `x-amzn-ErrorType`, and the body (exact, or its pattern). */
export interface OracleRow {
  readonly row: string;
  readonly status: number;
  /** `undefined`: the oracle does not fix the header (row #5). */
  readonly errorType: string | undefined;
  readonly body: RegExp;
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const AMZ_DATE = '\\d{8}T\\d{6}Z';

export const ORACLE = {
  /** #1: no SigV4 at all, or a resource/method that does not exist. Exactly 42 bytes. */
  missingToken: { row: '#1', status: 403, errorType: 'MissingAuthenticationTokenException', body: /^\{"message":"Missing Authentication Token"\}$/ },
  /** #2: an Authorization header that is not (complete) SigV4. */
  incompleteSignature: {
    row: '#2',
    status: 403,
    errorType: 'IncompleteSignatureException',
    body: /^\{"message":"(Authorization header requires '|'[^']*' not a valid key=value pair \(missing equal-sign\) in Authorization header: ')/,
  },
  /** #3: SigV4 present, signature wrong (the canonical request differs). */
  signatureMismatch: {
    row: '#3',
    status: 403,
    errorType: 'InvalidSignatureException',
    body: new RegExp(
      `^\\{"message":"${escape('The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.')}\\\\n\\\\nThe Canonical String for this request should have been\\\\n'`,
    ),
  },
  /** #4: X-Amz-Date more than 5 minutes in the past. */
  signatureExpired: {
    row: '#4',
    status: 403,
    errorType: 'InvalidSignatureException',
    body: new RegExp(`^\\{"message":"Signature expired: ${AMZ_DATE} is now earlier than ${AMZ_DATE} \\(${AMZ_DATE} - 5 min\\.\\)"\\}$`),
  },
  /** #4b: X-Amz-Date more than 5 minutes in the future (inferred wording). */
  signatureNotYetCurrent: {
    row: '#4b',
    status: 403,
    errorType: 'InvalidSignatureException',
    body: new RegExp(`^\\{"message":"Signature not yet current: ${AMZ_DATE} is still later than ${AMZ_DATE} \\(${AMZ_DATE} \\+ 5 min\\.\\)"\\}$`),
  },
  /**
   * Not in the oracle: an `X-Amz-Date` that is not one basic-format date (a repeated header is joined with `, `).
   * The wording and type are the SigV4 verifier's inferred decision (tools/aws-emulation) (AWS's usual "Date must be in ISO-8601 'basic format'").
   */
  dateFormat: {
    row: 'verifier date format (inferred)',
    status: 403,
    errorType: 'IncompleteSignatureException',
    body: /^\{"message":"Date must be in ISO-8601 'basic format'\. Got '[^']*'\. See http:\/\/en\.wikipedia\.org\/wiki\/ISO_8601"\}$/,
  },
  /** #5: unknown access key id (the header is a gap in the oracle). */
  unknownKey: { row: '#5', status: 403, errorType: undefined, body: /^\{"message":"The security token included in the request is invalid\."\}$/ },
} as const satisfies Record<string, OracleRow>;

/**
 * Row #7: an authenticated caller stopped by an explicit Deny of the resource policy.
 *
 * @param callerArn - the caller's ARN as shown
 * @param maskedResourceArn - the method ARN with the account masked (`********0000`)
 */
export function explicitDeny(callerArn: string, maskedResourceArn: string): OracleRow {
  return {
    row: '#7',
    status: 403,
    errorType: 'AccessDeniedException',
    body: new RegExp(`^${escape(JSON.stringify({ Message: `User: ${callerArn} is not authorized to perform: execute-api:Invoke on resource: ${maskedResourceArn} with an explicit deny` }))}$`),
  };
}

/**
 * Whether an answer is one of the given oracle rows.
 *
 * @param response - the raw answer
 * @param rows - the acceptable rows
 * @returns the matching row, or `undefined`
 */
export function matchingRow(response: RawResponse, rows: readonly OracleRow[]): OracleRow | undefined {
  return rows.find(
    (row) =>
      response.status === row.status &&
      (row.errorType === undefined || response.header('x-amzn-errortype') === row.errorType) &&
      row.body.test(response.text),
  );
}

/** Describes an answer for an assertion message (status, error type, start of the body). */
export function describeResponse(response: RawResponse): string {
  return `${response.status} ${response.header('x-amzn-errortype') ?? '-'} ${response.text.slice(0, 200)}`;
}
