import { SynthContextError, parseContextArgs } from '../../src/cli/synth-context';

describe('parseContextArgs', () => {
  it('reads -c, --context and --context= pairs, as cdk does', () => {
    expect(parseContextArgs(['-c', 'executionApiPercentage=10', '--context', 'alarmEmail=ops@example.com', '--context=useApiGateway=true'])).toEqual({
      executionApiPercentage: '10',
      alarmEmail: 'ops@example.com',
      useApiGateway: 'true',
    });
    expect(parseContextArgs([])).toEqual({});
  });

  it.each([
    [['--port', '3000'], 'unknown argument "--port": npm start takes only CDK context, e.g. npm start -- -c executionApiPercentage=10'],
    [['-c'], 'unknown argument "-c": npm start takes only CDK context, e.g. npm start -- -c executionApiPercentage=10'],
    [['-c', 'novalue'], 'context "novalue" is not key=value'],
    [['-c', '=x'], 'context "=x" is not key=value'],
  ])('refuses %j', (argv, message) => {
    expect(() => parseContextArgs(argv)).toThrow(new SynthContextError(message));
  });
});
