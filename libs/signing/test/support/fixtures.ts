/** The pinned clock of every signer test. */
export const NOW = new Date('2024-01-02T03:04:05Z');

/** A fixed role credential (long-term style: no session token). */
export const ROLE_KEY = { accessKeyId: 'AKIDSIGNINGTEST0001', secretAccessKey: 'Sx9/secretKEY+forTests0123456789abcdefghij' } as const;

/** A fixed temporary credential (with a session token). */
export const TEMP_KEY = {
  accessKeyId: 'ASIASIGNINGTEST0002',
  secretAccessKey: 'Tmp/secretKEY+forTests9876543210zyxwvutsrqp',
  sessionToken: 'IQoJb3JpZ2luX2VjEXAMPLEsessionTOKEN//+/AbCdEf==',
} as const;

/** The execution API URL the tests sign for. */
export const API_URL = 'https://abc123defg.execute-api.us-east-1.amazonaws.com/prod/execute';
