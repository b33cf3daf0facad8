export { ConfigError } from './config-error';
export { DESCRIBE_ERROR_MAX_LENGTH, describeError, errorName } from './describe';
