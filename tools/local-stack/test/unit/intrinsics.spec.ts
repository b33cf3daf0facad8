import { evaluateCondition, resolveValue, TemplateResolutionError, type ResolveContext, type TemplateValue } from '../../src/assembly/intrinsics';

const context: ResolveContext = {
  pseudo: { 'AWS::AccountId': '000000000000', 'AWS::Region': 'us-east-1', 'AWS::Partition': 'aws', 'AWS::URLSuffix': 'amazonaws.com', 'AWS::StackName': 'Stack' },
  parameters: { Stage: 'prod' },
  mappings: { Sizes: { small: { memory: 128 }, large: { memory: 1024 } } },
  conditions: {
    IsProd: { 'Fn::Equals': [{ Ref: 'Stage' }, 'prod'] },
    IsUsEast: { 'Fn::Equals': ['us-east-1', { Ref: 'AWS::Region' }] },
    NotProd: { 'Fn::Not': [{ Condition: 'IsProd' }] },
    Both: { 'Fn::And': [{ Condition: 'IsProd' }, { Condition: 'IsUsEast' }] },
    Either: { 'Fn::Or': [{ Condition: 'NotProd' }, { 'Fn::Equals': ['a', 'b'] }] },
  },
  ref: (id) => {
    if (id === 'Fn') return 'Stack-Fn-ABC';
    throw new TemplateResolutionError(`no ${id}`);
  },
  getAtt: (id, attribute) => {
    if (id === 'Fn' && attribute === 'Arn') return 'arn:aws:lambda:us-east-1:000000000000:function:Stack-Fn-ABC';
    throw new TemplateResolutionError(`no ${id}.${attribute}`);
  },
};
const r = (value: TemplateValue) => resolveValue(value, context);

describe('resolveValue', () => {
  it('Ref: resources, parameters and pseudo parameters', () => {
    expect(r({ Ref: 'Fn' })).toBe('Stack-Fn-ABC');
    expect(r({ Ref: 'Stage' })).toBe('prod');
    expect(r([{ Ref: 'AWS::AccountId' }, { Ref: 'AWS::Region' }, { Ref: 'AWS::Partition' }, { Ref: 'AWS::URLSuffix' }, { Ref: 'AWS::StackName' }])).toEqual(['000000000000', 'us-east-1', 'aws', 'amazonaws.com', 'Stack']);
  });

  it('AWS::NoValue removes the property or element that holds it', () => {
    expect(r({ A: 'kept', B: { Ref: 'AWS::NoValue' }, C: ['x', { Ref: 'AWS::NoValue' }] })).toEqual({ A: 'kept', C: ['x'] });
    expect(r({ A: { 'Fn::If': ['NotProd', 'dev', { Ref: 'AWS::NoValue' }] } })).toEqual({});
  });

  it('Fn::GetAtt in both the list and the dotted form', () => {
    expect(r({ 'Fn::GetAtt': ['Fn', 'Arn'] })).toBe('arn:aws:lambda:us-east-1:000000000000:function:Stack-Fn-ABC');
    expect(r({ 'Fn::GetAtt': 'Fn.Arn' })).toBe('arn:aws:lambda:us-east-1:000000000000:function:Stack-Fn-ABC');
  });

  it('Fn::Join, Fn::Select and Fn::Split, nested', () => {
    expect(r({ 'Fn::Join': [':', ['arn', { Ref: 'AWS::Partition' }, 'sqs']] })).toBe('arn:aws:sqs');
    expect(r({ 'Fn::Select': [1, { 'Fn::Split': ['-', { Ref: 'Fn' }] }] })).toBe('Fn');
    expect(r({ 'Fn::Join': ['', []] })).toBe('');
  });

  it('Fn::Sub: references, attributes, a variable map and ${!literal}', () => {
    expect(r({ 'Fn::Sub': 'cdk-${AWS::AccountId}-${AWS::Region}/${Fn}/${Fn.Arn}' })).toBe(
      'cdk-000000000000-us-east-1/Stack-Fn-ABC/arn:aws:lambda:us-east-1:000000000000:function:Stack-Fn-ABC',
    );
    expect(r({ 'Fn::Sub': ['${Greeting}, ${!Name} in ${Stage}', { Greeting: { 'Fn::Join': ['', ['he', 'llo']] } }] })).toBe('hello, ${Name} in prod');
  });

  it('Fn::If with Conditions built from Fn::Equals, Fn::Not, Fn::And, Fn::Or and Condition', () => {
    expect(r({ 'Fn::If': ['IsProd', 'p', 'd'] })).toBe('p');
    expect(r({ 'Fn::If': ['NotProd', 'p', 'd'] })).toBe('d');
    expect([evaluateCondition('Both', context), evaluateCondition('Either', context)]).toEqual([true, false]);
  });

  it('Fn::FindInMap', () => {
    expect(r({ 'Fn::FindInMap': ['Sizes', 'large', 'memory'] })).toBe(1024);
  });

  it.each([
    [{ 'Fn::Base64': 'x' }, 'unsupported intrinsic function Fn::Base64'],
    [{ Ref: 'AWS::Nope' }, 'unsupported pseudo parameter AWS::Nope'],
    [{ Ref: 'Missing' }, 'no Missing'],
    [{ 'Fn::Select': [5, ['a']] }, 'Fn::Select index 5 is out of range (list of 1)'],
    [{ 'Fn::FindInMap': ['Sizes', 'huge', 'memory'] }, 'Fn::FindInMap: no Sizes.huge.memory in Mappings'],
    [{ 'Fn::If': ['Unknown', 'a', 'b'] }, 'unknown condition Unknown'],
    [{ 'Fn::Join': [',', 'not-a-list'] }, 'Fn::Join list expects a list, got "not-a-list"'],
  ] as Array<[TemplateValue, string]>)('refuses %j with a clear error', (value, message) => {
    expect(() => r(value)).toThrow(new TemplateResolutionError(message));
  });
});
