import {
  CreateStackCommand,
  DescribeStackEventsCommand,
} from '@aws-sdk/client-cloudformation';
import { CreateBucketCommand, GetObjectCommand } from '@aws-sdk/client-s3';
import {
  CreateStateMachineCommand,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import {
  fixture,
  startTestSandbox,
  type TestSandbox,
  waitForStack,
} from './__testUtils__/testSandbox';

const STORAGE_PARAMETERS = [
  { ParameterKey: 'BucketName', ParameterValue: 'valid-bucket' },
];

function parameterTemplate(resources: string): string {
  return `Parameters:\n  Name: { Type: String, Default: x }\nResources:\n${resources}`;
}

describe('bad input', () => {
  let test: TestSandbox;

  beforeAll(async () => {
    test = await startTestSandbox();
  });

  afterAll(async () => {
    await test.stop();
  });

  const create = (
    input: Partial<ConstructorParameters<typeof CreateStackCommand>[0]>,
  ) =>
    test.clients.cloudFormation.send(
      new CreateStackCommand({
        StackName: 'stack',
        TemplateBody: fixture('storage.yaml'),
        Parameters: STORAGE_PARAMETERS,
        Capabilities: ['CAPABILITY_NAMED_IAM'],
        ...input,
      }),
    );

  it.each([
    [
      'an invalid stack name',
      { StackName: '1-stack' },
      "Value '1-stack' at 'stackName' failed to satisfy constraint",
    ],
    [
      'a stack name of 129 characters',
      { StackName: `a${'b'.repeat(128)}` },
      'length less than or equal to 128',
    ],
    [
      'a value outside AllowedValues',
      {
        Parameters: [
          ...STORAGE_PARAMETERS,
          { ParameterKey: 'Environment', ParameterValue: 'test' },
        ],
      },
      "Parameter 'Environment' must be one of AllowedValues: dev, prod (got 'test')",
    ],
    [
      'a value outside AllowedPattern',
      {
        Parameters: [
          { ParameterKey: 'BucketName', ParameterValue: 'Upper_Case' },
        ],
      },
      "Parameter 'BucketName' failed to satisfy constraint: lowercase letters, digits, dots and hyphens, 3 to 63 characters (must match pattern",
    ],
    [
      'a missing required parameter',
      { Parameters: [] },
      'Parameters: [BucketName] must have values',
    ],
    [
      'an undeclared parameter',
      {
        Parameters: [
          ...STORAGE_PARAMETERS,
          { ParameterKey: 'Colour', ParameterValue: 'red' },
        ],
      },
      'Parameters: [Colour] do not exist in the template',
    ],
    [
      'an unknown resource type',
      {
        TemplateBody: parameterTemplate(
          '  Queue:\n    Type: AWS::SQS::Queue\n',
        ),
        Parameters: [],
      },
      'Unrecognized resource types: [AWS::SQS::Queue]',
    ],
    [
      'a Ref to nothing',
      {
        TemplateBody: parameterTemplate(
          '  P:\n    Type: AWS::SSM::Parameter\n    Properties: { Type: String, Value: !Ref Nowhere }\n',
        ),
        Parameters: [],
      },
      'Unresolved resource dependencies [Nowhere] in the Resources block of the template',
    ],
    [
      'a Sub variable naming nothing',
      {
        TemplateBody: parameterTemplate(
          "  P:\n    Type: AWS::SSM::Parameter\n    Properties: { Type: String, Value: !Sub '${Missing}' }\n",
        ),
        Parameters: [],
      },
      'Unresolved resource dependencies [Missing]',
    ],
    [
      'a GetAtt of an attribute the type lacks',
      {
        TemplateBody: parameterTemplate(
          '  T:\n    Type: AWS::SNS::Topic\n  P:\n    Type: AWS::SSM::Parameter\n    Properties: { Type: String, Value: !GetAtt T.Colour }\n',
        ),
        Parameters: [],
      },
      'resource T does not support attribute type Colour in Fn::GetAtt',
    ],
    [
      'an undefined condition',
      {
        TemplateBody: parameterTemplate(
          '  T:\n    Type: AWS::SNS::Topic\n    Condition: Never\n',
        ),
        Parameters: [],
      },
      'unresolved condition dependency Never',
    ],
    [
      'a dependency cycle',
      {
        TemplateBody: parameterTemplate(
          '  A:\n    Type: AWS::SNS::Topic\n    DependsOn: B\n  B:\n    Type: AWS::SNS::Topic\n    DependsOn: A\n',
        ),
        Parameters: [],
      },
      'Circular dependency between resources',
    ],
    [
      'a malformed YAML body',
      { TemplateBody: 'Resources: [unclosed', Parameters: [] },
      'Template format error',
    ],
    [
      'an unsupported YAML tag',
      { TemplateBody: 'Resources:\n  T: !Magic x\n', Parameters: [] },
      'unsupported YAML tag',
    ],
  ])('rejects %s', async (_case, input, message) => {
    await expect(create(input)).rejects.toMatchObject({
      name: 'ValidationError',
      message: expect.stringContaining(message),
    });
  });

  it('requires CAPABILITY_NAMED_IAM for named roles', async () => {
    await expect(
      create({ Capabilities: ['CAPABILITY_IAM'] }),
    ).rejects.toMatchObject({
      name: 'InsufficientCapabilitiesException',
      message: expect.stringContaining(
        'Requires capabilities : [CAPABILITY_NAMED_IAM]',
      ),
    });
    await expect(create({ Capabilities: [] })).rejects.toMatchObject({
      name: 'InsufficientCapabilitiesException',
    });
  });

  it('rejects a template body over 51,200 bytes', async () => {
    const big = `${parameterTemplate(
      '  T:\n    Type: AWS::SNS::Topic\n',
    )}\n# ${'x'.repeat(52_000)}\n`;
    await expect(
      create({ TemplateBody: big, Parameters: [] }),
    ).rejects.toMatchObject({
      name: 'ValidationError',
      message: expect.stringContaining(
        'Upload the template to S3 and pass TemplateURL instead',
      ),
    });
  });

  it('leaves no stack behind after a rejected request', async () => {
    await expect(create({ Parameters: [] })).rejects.toMatchObject({
      name: 'ValidationError',
    });
    await expect(
      waitForStack(test.clients.cloudFormation, 'stack'),
    ).rejects.toMatchObject({
      message: 'Stack with id stack does not exist',
    });
  });

  it('rolls back a stack whose state machine definition is malformed', async () => {
    const { cloudFormation } = test.clients;
    await create({
      StackName: 'bad-asl',
      Parameters: [],
      TemplateBody: `
Resources:
  Role:
    Type: AWS::IAM::Role
    Properties: { AssumeRolePolicyDocument: {} }
  Machine:
    Type: AWS::StepFunctions::StateMachine
    Properties:
      RoleArn: !GetAtt Role.Arn
      Definition:
        StartAt: Missing
        States:
          Only: { Type: Pass, End: true }
`,
    });
    const stack = await waitForStack(cloudFormation, 'bad-asl');
    expect(stack.StackStatus).toBe('ROLLBACK_COMPLETE');
    const { StackEvents } = await cloudFormation.send(
      new DescribeStackEventsCommand({ StackName: 'bad-asl' }),
    );
    const failed = StackEvents!.find(e => e.ResourceStatus === 'CREATE_FAILED');
    expect(failed!.LogicalResourceId).toBe('Machine');
    expect(failed!.ResourceStatusReason).toMatch(/InvalidDefinition/);
    expect(
      StackEvents!
        .filter(e => e.LogicalResourceId === 'Role')
        .map(e => e.ResourceStatus),
    ).toContain('DELETE_COMPLETE');
  });

  it('rejects a reused execution name', async () => {
    const { sfn } = test.clients;
    const { stateMachineArn } = await sfn.send(
      new CreateStateMachineCommand({
        name: 'names',
        roleArn: 'arn:aws:iam::000000000000:role/test',
        definition: JSON.stringify({
          StartAt: 'A',
          States: { A: { Type: 'Pass', End: true } },
        }),
      }),
    );
    await sfn.send(
      new StartExecutionCommand({
        stateMachineArn,
        name: 'run-1',
        input: '{}',
      }),
    );
    await expect(
      sfn.send(
        new StartExecutionCommand({
          stateMachineArn,
          name: 'run-1',
          input: '{"other":true}',
        }),
      ),
    ).rejects.toMatchObject({
      name: 'ExecutionAlreadyExists',
      message: expect.stringContaining('run-1'),
    });
  });

  it('raises NoSuchKey for a missing S3 key', async () => {
    const { s3 } = test.clients;
    await s3.send(new CreateBucketCommand({ Bucket: 'keys' }));
    await expect(
      s3.send(
        new GetObjectCommand({ Bucket: 'keys', Key: 'input/missing.csv' }),
      ),
    ).rejects.toMatchObject({
      name: 'NoSuchKey',
      message: expect.stringContaining('s3://keys/input/missing.csv'),
    });
  });

  it.each([
    [
      'cloudformation',
      'Action=Frobnicate&Version=2010-05-15',
      'InvalidAction',
      'Frobnicate',
    ],
    [
      'sns',
      'Action=Frobnicate&Version=2010-03-31',
      'InvalidAction',
      'Frobnicate',
    ],
  ])('rejects an unknown %s action', async (service, body, code, named) => {
    const response = await fetch(test.sandbox.endpoint, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `AWS4-HMAC-SHA256 Credential=sandbox/20260101/us-east-1/${service}/aws4_request, SignedHeaders=host, Signature=0`,
      },
      body,
    });
    expect(response.status).toBe(400);
    const text = await response.text();
    expect(text).toContain(`<Code>${code}</Code>`);
    expect(text).toContain(named);
  });

  it('rejects an unknown JSON operation', async () => {
    const response = await fetch(test.sandbox.endpoint, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': 'AmazonSSM.Frobnicate',
        authorization:
          'AWS4-HMAC-SHA256 Credential=sandbox/20260101/us-east-1/ssm/aws4_request, SignedHeaders=host, Signature=0',
      },
      body: '{}',
    });
    expect(response.status).toBe(400);
    const error = await response.json();
    expect(error.__type).toBe('UnknownOperationException');
    expect(error.message).toContain('Frobnicate');
  });
});
