/**
 * The CloudWatch metrics API Gateway publishes for a REST API stage, as AWS names them: namespace `AWS/ApiGateway`,
 * dimensions `ApiName` and `Stage`. The rollout gates read them and the local stack emulates them.
 * Source: https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-metrics-and-dimensions.html
 */

/** The namespace of API Gateway's metrics. */
export const API_GATEWAY_NAMESPACE = 'AWS/ApiGateway';

/** The dimension names that identify a REST API stage's metrics. */
export const API_GATEWAY_DIMENSIONS = {
  /** The REST API's name. */
  apiName: 'ApiName',
  /** The stage's name. */
  stage: 'Stage',
} as const;

/** API Gateway's metric names. */
export const ApiGatewayMetric = {
  /** Requests. */
  Count: 'Count',
  /** 4XX responses, all causes. */
  Error4xx: '4XXError',
  /** 5XX responses. */
  Error5xx: '5XXError',
  /** Time from request to response, ms. */
  Latency: 'Latency',
  /** Time spent in the integration (here: queueing the async Lambda invoke), ms. */
  IntegrationLatency: 'IntegrationLatency',
} as const;
