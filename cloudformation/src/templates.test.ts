import validator from 'asl-validator';
import { checkTemplateAgainstSpec } from './__testUtils__/specChecker';
import {
  evaluateConditions,
  loadTemplate,
  resolveTemplate,
  Template,
} from './__testUtils__/template';
import {
  allStates,
  PIPELINES,
  STACK,
  workloadDefinitions,
  workloadStackValues,
} from './__testUtils__/runner';

const ALLOWED_RESOURCE_TYPES = [
  'AWS::S3::Bucket',
  'AWS::IAM::Role',
  'AWS::IAM::ManagedPolicy',
  'AWS::StepFunctions::StateMachine',
  'AWS::SSM::Parameter',
  'AWS::SNS::Topic',
  'AWS::SNS::Subscription',
  'AWS::Scheduler::Schedule',
  'AWS::Logs::LogGroup',
];

const ALLOWED_TASK_RESOURCE =
  /^arn:aws:states:::(aws-sdk:forecast:[a-z][A-Za-z]+|aws-sdk:ssm:(getParameter|getParametersByPath|putParameter)|aws-sdk:s3:listObjectsV2|sns:publish|states:startExecution\.sync:2)$/;

const templates: Array<[string, Template]> = [
  ['forecast-dependency', loadTemplate('forecast-dependency')],
  ['forecast-workload', loadTemplate('forecast-workload')],
];

describe.each(templates)('%s template', (_name, template) => {
  it('matches the CloudFormation resource specification', () => {
    expect(checkTemplateAgainstSpec(template)).toEqual([]);
  });

  it('uses only the allowed resource types', () => {
    for (const resource of Object.values(template.Resources)) {
      expect(ALLOWED_RESOURCE_TYPES).toContain(resource.Type);
    }
  });

  it('gives no resource a fixed global name', () => {
    for (const [id, resource] of Object.entries(template.Resources)) {
      const properties = resource.Properties ?? {};
      for (const key of [
        'RoleName',
        'LogGroupName',
        'ManagedPolicyName',
        'TopicName',
        'Name',
        'StateMachineName',
      ]) {
        if (!(key in properties) || resource.Type === 'AWS::SSM::Parameter')
          continue;
        expect(`${id}.${key} = ${JSON.stringify(properties[key])}`).toMatch(
          /\$\{AWS::StackName\}/,
        );
      }
    }
  });

  it('states the rule of every constrained parameter', () => {
    const entries = Object.entries(template.Parameters ?? {});
    const constrained = entries.filter(
      ([, parameter]) => parameter.AllowedPattern || parameter.AllowedValues,
    );
    for (const [name, parameter] of constrained) {
      expect(`${name}: ${parameter.ConstraintDescription}`).toMatch(/: must /);
    }
    for (const [name, parameter] of entries) {
      expect(`${name}: ${parameter.Description}`.length).toBeGreaterThan(
        name.length + 20,
      );
    }
  });

  it('accepts its own parameter defaults', () => {
    const withDefaults = Object.entries(template.Parameters ?? {}).filter(
      ([, parameter]) => parameter.Default !== undefined,
    );
    const patterned = withDefaults.filter(([, p]) => p.AllowedPattern);
    const listed = withDefaults.filter(([, p]) => p.AllowedValues);
    expect(patterned.length + listed.length).toBeGreaterThan(0);
    for (const [name, parameter] of patterned) {
      const pattern = new RegExp(`^(?:${parameter.AllowedPattern})$`);
      expect([name, pattern.test(parameter.Default!)]).toEqual([name, true]);
    }
    for (const [, parameter] of listed) {
      expect(parameter.AllowedValues).toContain(parameter.Default);
    }
    for (const [name, parameter] of withDefaults) {
      expect([name, parameter.Default!.length]).toEqual([
        name,
        Math.min(parameter.Default!.length, parameter.MaxLength ?? Infinity),
      ]);
    }
  });
});

describe('resource specification check', () => {
  it('reports planted mistakes', () => {
    const broken: Template = {
      Parameters: { Name: { Type: 'String' } },
      Resources: {
        Topic: {
          Type: 'AWS::SNS::Topic',
          Properties: { TopicNam: { Ref: 'Name' } },
        },
        Machine: {
          Type: 'AWS::StepFunctions::StateMachine',
          Properties: {
            DefinitionString: { 'Fn::Sub': '${Missing} ${Topic.Nope}' },
            TracingConfiguration: { Enable: true },
          },
        },
        Schedule: {
          Type: 'AWS::Scheduler::Schedule',
          Condition: 'Undefined',
          Properties: {
            ScheduleExpression: 'rate(1 day)',
            FlexibleTimeWindow: { Mode: 'OFF' },
            Target: {
              Arn: { 'Fn::GetAtt': ['Machine', 'Arn'] },
              RoleArn: { Ref: 'Nothing' },
            },
          },
        },
        Unknown: { Type: 'AWS::Forecast::Magic' },
      },
    };

    expect(checkTemplateAgainstSpec(broken)).toEqual([
      'Topic: unknown property TopicNam',
      'Machine: required property RoleArn is missing',
      'Machine.TracingConfiguration: unknown property Enable',
      'Machine.DefinitionString: Ref Missing names no parameter, resource or pseudo parameter',
      'Machine.DefinitionString: GetAtt Topic.Nope: AWS::SNS::Topic has only TopicArn, TopicName',
      'Schedule: condition Undefined is not defined',
      'Schedule.Target.RoleArn: Ref Nothing names no parameter, resource or pseudo parameter',
      'Unknown: unknown resource type AWS::Forecast::Magic',
    ]);
  });
});

describe('dependency template', () => {
  const template = loadTemplate('forecast-dependency');
  const values = {
    stackName: 'forecast-dependency',
    accountId: '000000000000',
    region: 'us-east-1',
    parameters: { BucketName: 'forecast-data-000000000000' },
  };

  it('exports every output under the stack name', () => {
    const resolved = resolveTemplate(template, {
      ...values,
      resourceAttributes: {
        ForecastRole: { Arn: 'arn:aws:iam::000000000000:role/f' },
        PipelineRole: { Arn: 'arn:aws:iam::000000000000:role/p' },
      },
    });
    expect(Object.keys(resolved.Outputs!).sort()).toEqual([
      'BucketArn',
      'BucketName',
      'ForecastRoleArn',
      'PipelineRoleArn',
      'PipelineRoleName',
    ]);
    for (const [key, output] of Object.entries(resolved.Outputs!)) {
      expect(output.Export?.Name).toBe(`forecast-dependency-${key}`);
    }
    expect(resolved.Outputs!.BucketArn.Value).toBe(
      'arn:aws:s3:::forecast-data-000000000000',
    );
  });

  it('creates the bucket only when asked', () => {
    expect(evaluateConditions(template, values).CreateBucket).toBe(true);
    expect(
      evaluateConditions(template, {
        ...values,
        parameters: { ...values.parameters, UseExistingBucket: 'true' },
      }).CreateBucket,
    ).toBe(false);
    expect(template.Resources.DataBucket.Condition).toBe('CreateBucket');
  });

  it('keeps the bucket encrypted, private and retained', () => {
    const bucket = template.Resources.DataBucket as any;
    expect(bucket.DeletionPolicy).toBe('Retain');
    expect(bucket.UpdateReplacePolicy).toBe('Retain');
    expect(
      bucket.Properties.BucketEncryption.ServerSideEncryptionConfiguration[0]
        .ServerSideEncryptionByDefault.SSEAlgorithm,
    ).toBe('AES256');
    expect(
      Object.values(bucket.Properties.PublicAccessBlockConfiguration),
    ).toEqual([true, true, true, true]);
  });

  it('grants the events rule that nested .sync executions need', () => {
    const statements = (template.Resources.PipelineRole.Properties as any)
      .Policies[0].PolicyDocument.Statement;
    const events = statements.find(
      (statement: any) => statement.Sid === 'NestedExecutionEvents',
    );
    expect(events.Action).toEqual([
      'events:PutTargets',
      'events:PutRule',
      'events:DescribeRule',
    ]);
  });
});

describe('workload template', () => {
  const template = loadTemplate('forecast-workload');
  const definitions = workloadDefinitions();

  it('has the contract outputs', () => {
    expect(Object.keys(template.Outputs!).sort()).toEqual([
      'BacktestExportPath',
      'BucketName',
      'CreateDatasetGroupStateMachineArn',
      'CreateForecastStateMachineArn',
      'DatasetGroupName',
      'ForecastExportPath',
      'ImportDataStateMachineArn',
      'InputDataPath',
      'NotificationTopicArn',
      'ScheduleName',
      'SelectPredictorStateMachineArn',
      'TrainPredictorStateMachineArn',
      'WorkflowStateMachineArn',
    ]);
    const resolved = resolveTemplate(template, workloadStackValues());
    expect(resolved.Outputs!.InputDataPath.Value).toBe(
      `s3://forecast-data-000000000000/${STACK}/input/`,
    );
    expect(resolved.Outputs!.ForecastExportPath.Value).toBe(
      `s3://forecast-data-000000000000/${STACK}/forecast-exports/`,
    );
    expect(resolved.Outputs!.BacktestExportPath.Value).toBe(
      `s3://forecast-data-000000000000/${STACK}/backtest-exports/`,
    );
    const custom = resolveTemplate(
      template,
      workloadStackValues({ InputDataPrefix: 'sales/eu/' }),
    );
    expect(custom.Outputs!.InputDataPath.Value).toBe(
      's3://forecast-data-000000000000/sales/eu/',
    );
  });

  it('names each state machine after the stack', () => {
    const resolved = resolveTemplate(template, workloadStackValues());
    for (const [key, id] of Object.entries(PIPELINES)) {
      expect(resolved.Resources[id].Properties!.StateMachineName).toBe(
        `${STACK}-${key}`,
      );
    }
  });

  it('keeps every SSM parameter under /forecast/<stack>/', () => {
    const resolved = resolveTemplate(template, workloadStackValues());
    const names = Object.values(resolved.Resources)
      .filter(resource => resource.Type === 'AWS::SSM::Parameter')
      .map(resource => resource.Properties!.Name as string);
    expect(names.length).toBeGreaterThan(15);
    for (const name of names) {
      expect(name).toMatch(new RegExp(`^/forecast/${STACK}/[a-z-]+/[a-z-]+$`));
    }
    // getParametersByPath returns at most 10 parameters per call.
    const groups = new Map<string, number>();
    for (const name of names) {
      const group = name.split('/')[3];
      groups.set(group, (groups.get(group) ?? 0) + 1);
    }
    for (const count of groups.values()) expect(count).toBeLessThanOrEqual(10);
  });

  it('writes SSM values that match their own patterns', () => {
    const resolved = resolveTemplate(template, workloadStackValues());
    const patterned = Object.values(resolved.Resources).filter(
      resource =>
        resource.Type === 'AWS::SSM::Parameter' &&
        resource.Properties!.AllowedPattern,
    );
    expect(patterned.length).toBeGreaterThan(3);
    for (const resource of patterned) {
      const { Name, Value, AllowedPattern } = resource.Properties as Record<
        string,
        string
      >;
      expect([Name, new RegExp(AllowedPattern).test(Value)]).toEqual([
        Name,
        true,
      ]);
    }
  });

  it('subscribes an e-mail and schedules the workflow only when given', () => {
    const none = evaluateConditions(template, workloadStackValues());
    expect(none.HasNotificationEmail).toBe(false);
    expect(none.HasSchedule).toBe(false);
    const both = evaluateConditions(
      template,
      workloadStackValues({
        NotificationEmail: 'ops@example.com',
        ScheduleExpression: 'rate(7 days)',
      }),
    );
    expect(both.HasNotificationEmail).toBe(true);
    expect(both.HasSchedule).toBe(true);
    expect(template.Resources.NotificationSubscription.Condition).toBe(
      'HasNotificationEmail',
    );
    expect(template.Resources.WorkflowSchedule.Condition).toBe('HasSchedule');
    expect(template.Resources.ScheduleRole.Condition).toBe('HasSchedule');
    expect(template.Outputs!.ScheduleName.Condition).toBe('HasSchedule');
  });

  it.each(Object.keys(PIPELINES))('%s definition passes asl-validator', key => {
    const definition = definitions[key as keyof typeof PIPELINES];
    // asl-validator adds QueryLanguage to every state it checks.
    const result = validator(JSON.parse(JSON.stringify(definition)), {
      checkPaths: true,
      checkArn: true,
    });
    expect(result.errorsText()).toBe('');
    expect(result.isValid).toBe(true);
  });

  it.each(Object.keys(PIPELINES))(
    '%s uses only the allowed Task resources',
    key => {
      const states = allStates(definitions[key as keyof typeof PIPELINES]);
      const tasks = states.filter(([, state]) => state.Type === 'Task');
      expect(tasks.length).toBeGreaterThan(0);
      for (const [name, state] of tasks) {
        expect(`${name}: ${state.Resource}`).toMatch(
          new RegExp(`: ${ALLOWED_TASK_RESOURCE.source.slice(1)}`),
        );
      }
      const text = JSON.stringify(definitions[key as keyof typeof PIPELINES]);
      expect(text).not.toMatch(
        /"(Assign|QueryLanguage|Arguments|Output)"\s*:|lambda/i,
      );
    },
  );

  it.each(Object.keys(PIPELINES))(
    '%s stays far below 25,000 history events',
    key => {
      // A poll iteration is a Wait, a describe Task, a Choice and a counter
      // Pass: 2 + 5 + 2 + 2 events. Parallel branches share one history.
      const states = allStates(definitions[key as keyof typeof PIPELINES]);
      let worstCase = 0;
      for (const [name, state] of states) {
        if (state.Type !== 'Wait') continue;
        const loop = name.replace(/^Wait for /, '');
        const status = states.find(
          ([other]) => other.toLowerCase() === `${loop} status`.toLowerCase(),
        );
        expect(status).toBeDefined();
        const limit = status![1].Choices.find(
          (choice: any) => choice.Variable === '$.Poll.Count',
        );
        expect(limit.NumericGreaterThanEquals).toBeGreaterThan(0);
        worstCase += limit.NumericGreaterThanEquals * 11;
      }
      expect(worstCase).toBeLessThan(15000);
    },
  );
});

describe('AllowedPattern', () => {
  const parameters = {
    ...loadTemplate('forecast-dependency').Parameters,
    ...loadTemplate('forecast-workload').Parameters,
  };
  // CloudFormation matches AllowedPattern against the whole value.
  const accepts = (name: string, value: string) =>
    new RegExp(`^(?:${parameters![name].AllowedPattern})$`).test(value) &&
    value.length <= (parameters![name].MaxLength ?? Infinity) &&
    value.length >= (parameters![name].MinLength ?? 0);

  const cases: Array<[string, string[], string[]]> = [
    [
      'BucketName',
      ['forecast-data', 'my.bucket-01', 'abc'],
      [
        'ab',
        'Forecast',
        'my..bucket',
        '-data',
        'data-',
        '192.168.1.1',
        'xn--data',
        'a'.repeat(64),
        'under_score',
      ],
    ],
    [
      'DependencyStackName',
      ['forecast-dependency', 'Deps2'],
      ['2deps', 'forecast_dependency', '', 'a b'],
    ],
    [
      'DatasetGroupName',
      ['weekly_demand', 'Sales2024', 'a'.repeat(30)],
      ['weekly-demand', '_sales', '1sales', '', 'a'.repeat(31)],
    ],
    [
      'TargetTimeSeriesSchema',
      ['{"Attributes":[]}', ' { "Attributes" : [ {"AttributeName":"x"} ] } '],
      ['[]', '{"Fields":[]}', 'Attributes'],
    ],
    [
      'DataFrequency',
      ['D', 'W', '2W', '15min', '1min', '59min', '11M', '23H', 'Y', '1Y'],
      ['d', '5W', '60min', '12M', '24H', '7D', '2Y', 'DD', ''],
    ],
    [
      'ForecastDimensions',
      ['', 'store', 'store,region', 'a,b,c,d,e,f,g,h,i,j'],
      ['store, region', 'store,', ',store', '1store', 'a,b,c,d,e,f,g,h,i,j,k'],
    ],
    [
      'ForecastHorizon',
      ['1', '14', '499', '500'],
      ['0', '501', '014', '1.5', '', '-1'],
    ],
    [
      'TrainingForecastTypes',
      ['0.1,0.5,0.9', 'mean', '.5', '0.01,0.99,mean', '0.1,0.2,0.3,0.4,0.5'],
      ['0.1, 0.5', '1.0', '50', 'median', '0.1,0.2,0.3,0.4,0.5,0.6', ''],
    ],
    [
      'AttributeConfigs',
      [
        '[]',
        '[{"AttributeName":"price","Transformations":{"futurefill":"zero"}}]',
      ],
      ['{}', '', 'none'],
    ],
    [
      'InputDataPrefix',
      ['', 'input/', 'sales/eu/2024/', 'data_(v2)/'],
      ['/input/', 'input', 'in put/', 'input//x?/'],
    ],
    [
      'NotificationEmail',
      ['', 'ops@example.com', 'first.last+forecast@sub.example.co.uk'],
      ['ops', 'ops@example', 'ops @example.com', '@example.com'],
    ],
    [
      'ScheduleExpression',
      [
        '',
        'rate(1 day)',
        'rate(7 days)',
        'rate(30 minutes)',
        'cron(0 6 ? * MON *)',
        'cron(0 8 1 * ? *)',
      ],
      [
        'rate(0 days)',
        'rate(1 week)',
        'cron(0 6 * * *)',
        'daily',
        'at(2026-01-01T00:00:00)',
      ],
    ],
    [
      'PredictorMaxAgeDays',
      ['1', '30', '365', '3650'],
      ['0', '3651', '030', '-1', '1.5', ''],
    ],
  ];

  it('covers every AllowedPattern', () => {
    const tested = new Set(
      cases.map(([name]) => parameters![name].AllowedPattern),
    );
    const patterned = Object.entries(parameters!).filter(
      ([, parameter]) => parameter.AllowedPattern,
    );
    for (const [name, parameter] of patterned) {
      expect([name, tested.has(parameter.AllowedPattern)]).toEqual([
        name,
        true,
      ]);
    }
  });

  it.each(cases)(
    '%s accepts good and rejects bad values',
    (name, good, bad) => {
      expect(parameters![name]).toBeDefined();
      for (const value of good)
        expect([value, accepts(name, value)]).toEqual([value, true]);
      for (const value of bad)
        expect([value, accepts(name, value)]).toEqual([value, false]);
    },
  );
});
