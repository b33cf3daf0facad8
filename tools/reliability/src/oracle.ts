import { GATEWAY_ANSWER_PATTERNS, explicitDenyPattern, type GatewayAnswerPattern } from '@slack-ai-app/aws-emulation';
import type { RawResponse } from './raw-http';

/**
 * What a real API Gateway REST API with AWS_IAM auth answers: the patterns of the one API Gateway error catalogue
 * (tools/aws-emulation, `src/apigw/error-catalogue.ts`, every row cited there). Every expectation of the hostile-input
 * tests against the execution API is one of these rows.
 */

/** One row of the oracle: status, `x-amzn-ErrorType`, and the body (exact, or its pattern). */
export type OracleRow = GatewayAnswerPattern;

/** The authentication rows (#1–#5, and the verifier's inferred date-format answer). */
export const ORACLE = GATEWAY_ANSWER_PATTERNS;

/**
 * Row #7: an authenticated caller stopped by an explicit Deny of the resource policy.
 *
 * @param callerArn - the caller's ARN as shown
 * @param maskedResourceArn - the method ARN with the account masked (`********0000`)
 */
export const explicitDeny: (callerArn: string, maskedResourceArn: string) => OracleRow = explicitDenyPattern;

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
