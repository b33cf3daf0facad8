export { ConfigError } from './config-error';
export { DESCRIBE_ERROR_MAX_LENGTH, describeError, describeErrorLine, errorName } from './describe';
