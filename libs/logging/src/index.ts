export { createLogger } from './lib/create-logger';
export type { AppLogger, EventLevel, LambdaContextLike, LoggerOptions } from './lib/create-logger';
export { EMF_NAMESPACE } from './lib/emf';
export type { EmfMetadata, MetricUnit, MetricValue } from './lib/emf';
export { LoggerConfigError, MetricValidationError } from './lib/errors';
export { LogEvent } from './lib/log-event';
export type { LogEventName } from './lib/log-event';
export { REDACTED, redactSecrets } from './lib/redact-secrets';
export { textSummary } from './lib/text-summary';
