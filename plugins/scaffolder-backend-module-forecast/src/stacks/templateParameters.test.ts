import {
  describeParameters,
  summarizeTemplate,
  validateTemplateParameters,
} from './templateParameters';

const TEMPLATE = `
Parameters:
  BucketName:
    Type: String
    AllowedPattern: '[a-z0-9][a-z0-9.-]*[a-z0-9]'
    ConstraintDescription: must be a bucket name
  Mode:
    Type: String
    Default: 'false'
    AllowedValues: ['false', 'true']
  Horizon:
    Type: Number
    Default: 24
    MinValue: 1
    MaxValue: 500
  ApiKey:
    Type: String
    NoEcho: true
    Default: ''
Resources:
  Role:
    Type: AWS::IAM::Role
    Properties:
      RoleName: !Sub '\${AWS::StackName}-role'
      AssumeRolePolicyDocument: !GetAtt Other.Arn
Outputs:
  RoleArn:
    Value: !GetAtt Role.Arn
`;

describe('summarizeTemplate', () => {
  it('reads parameters, outputs and capabilities', () => {
    const summary = summarizeTemplate(TEMPLATE);
    expect(Object.keys(summary.parameters)).toEqual([
      'BucketName',
      'Mode',
      'Horizon',
      'ApiKey',
    ]);
    expect(summary.outputKeys).toEqual(['RoleArn']);
    expect(summary.capabilities).toEqual(['CAPABILITY_NAMED_IAM']);
  });

  it('asks for no capability without IAM resources', () => {
    const summary = summarizeTemplate(
      'Resources:\n  Topic:\n    Type: AWS::SNS::Topic\n',
    );
    expect(summary.capabilities).toEqual([]);
  });
});

describe('validateTemplateParameters', () => {
  const summary = summarizeTemplate(TEMPLATE);

  it('accepts valid values', () => {
    expect(() =>
      validateTemplateParameters('test', summary, {
        BucketName: 'my-bucket',
        Horizon: '48',
      }),
    ).not.toThrow();
  });

  it.each([
    [
      { BucketName: 'My_Bucket' },
      'BucketName "My_Bucket" does not match the pattern',
    ],
    [
      { BucketName: 'ok-bucket', Mode: 'yes' },
      'Mode "yes" is not one of the allowed values false, true',
    ],
    [
      { BucketName: 'ok-bucket', Horizon: '501' },
      'Horizon "501" must be at most 500',
    ],
    [
      { BucketName: 'ok-bucket', Horizon: 'many' },
      'Horizon "many" must be a number',
    ],
    [{}, 'BucketName is required by the test template'],
    [
      { BucketName: 'ok-bucket', Extra: 'x' },
      'Extra is not a parameter of the test template',
    ],
  ])('rejects %j', (values, message) => {
    expect(() => validateTemplateParameters('test', summary, values)).toThrow(
      message,
    );
  });

  it('masks NoEcho values in messages and descriptions', () => {
    expect(
      describeParameters(summary, { BucketName: 'b', ApiKey: 'hunter22' }),
    ).toEqual(['BucketName=b', 'ApiKey=***']);
  });
});
