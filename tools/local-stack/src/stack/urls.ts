import type { LocalHttpServer } from '../http/server';
import type { SlackServers } from './slack-servers';
import type { SystemWiring } from './system-wiring';
import type { LocalStackUrls } from './types';

/**
 * Every URL of a running stack, from its servers' origins.
 *
 * @param aws - the local AWS endpoint
 */
export function stackUrls(aws: LocalHttpServer, { slack, slackApi }: SlackServers, { stage, method }: SystemWiring): LocalStackUrls {
  const awsEndpointUrl = aws.origin;
  const stageUrl = `${aws.origin}/${stage}`;
  const slackApiUrl = `${slackApi.origin}/api/`;
  return {
    slackEvents: slack.eventsUrl,
    slackApi: slackApiUrl,
    aws: awsEndpointUrl,
    executionApiStage: stageUrl,
    executeApi: `${stageUrl}${method.path}`,
    deadLetters: `${awsEndpointUrl}/_local/dead-letters`,
    slackCalls: `${slackApi.origin}/_local/calls`,
  };
}
