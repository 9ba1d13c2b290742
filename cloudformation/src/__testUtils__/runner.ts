import { ExecutionError, StateMachine } from 'aws-local-stepfunctions';
import { FakeAws } from './fakeAws';
import { loadTemplate, resolveTemplate, StackValues } from './template';

// aws-local-stepfunctions 3 calls Promise.withResolvers, which Node 20 lacks;
// without it every Task state fails with a TypeError.
(Promise as any).withResolvers ??= function withResolvers<T>() {
  let resolve!: (value: T) => void;
  let reject!: (reason: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
};

export const ACCOUNT = '000000000000';
export const REGION = 'us-east-1';
export const STACK = 'forecast-weekly-demand';
export const BUCKET = 'forecast-data-000000000000';
export const DATASET_GROUP = 'weekly_demand';
export const TOPIC_ARN = `arn:aws:sns:${REGION}:${ACCOUNT}:${STACK}-NotificationTopic-ABC123`;
export const DATASET_GROUP_ARN = `arn:aws:forecast:${REGION}:${ACCOUNT}:dataset-group/${DATASET_GROUP}`;

export const PIPELINES = {
  'create-dataset-group': 'CreateDatasetGroupStateMachine',
  'import-data': 'ImportDataStateMachine',
  'train-predictor': 'TrainPredictorStateMachine',
  'select-predictor': 'SelectPredictorStateMachine',
  'create-forecast': 'CreateForecastStateMachine',
  workflow: 'WorkflowStateMachine',
} as const;
export type PipelineKey = keyof typeof PIPELINES;

const stateMachineArn = (key: string) =>
  `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:${STACK}-${key}`;

/** Sample stack values for the workload template; `parameters` override. */
export function workloadStackValues(
  parameters: Record<string, string> = {},
): StackValues {
  return {
    stackName: STACK,
    accountId: ACCOUNT,
    region: REGION,
    parameters: {
      DependencyStackName: 'forecast-dependency',
      DatasetGroupName: DATASET_GROUP,
      ...parameters,
    },
    exports: {
      'forecast-dependency-BucketName': BUCKET,
      'forecast-dependency-ForecastRoleArn': `arn:aws:iam::${ACCOUNT}:role/forecast-dependency-ForecastRole-1`,
      'forecast-dependency-PipelineRoleArn': `arn:aws:iam::${ACCOUNT}:role/forecast-dependency-PipelineRole-1`,
      'forecast-dependency-PipelineRoleName':
        'forecast-dependency-PipelineRole-1',
    },
    resourceRefs: {
      NotificationTopic: TOPIC_ARN,
      ...Object.fromEntries(
        Object.entries(PIPELINES).map(([key, id]) => [
          id,
          stateMachineArn(key),
        ]),
      ),
    },
    resourceAttributes: {
      ScheduleRole: {
        Arn: `arn:aws:iam::${ACCOUNT}:role/${STACK}-ScheduleRole-1`,
      },
    },
  };
}

export type Definition = {
  StartAt: string;
  States: Record<string, any>;
  Comment?: string;
};

/** Resolves the state machine definitions of the workload template. */
export function workloadDefinitions(
  parameters: Record<string, string> = {},
): Record<PipelineKey, Definition> {
  const resolved = resolveTemplate(
    loadTemplate('forecast-workload'),
    workloadStackValues(parameters),
  );
  return Object.fromEntries(
    Object.entries(PIPELINES).map(([key, id]) => {
      const text = resolved.Resources[id].Properties!.DefinitionString;
      if (typeof text !== 'string') {
        throw new Error(
          `DefinitionString of ${id} did not resolve to a string`,
        );
      }
      return [key, JSON.parse(text)];
    }),
  ) as Record<PipelineKey, Definition>;
}

/** Lists every state of a definition, including Parallel branches and Map processors. */
export function allStates(definition: Definition): Array<[string, any]> {
  return Object.entries(definition.States).flatMap(([name, state]) => [
    [name, state] as [string, any],
    ...(state.Branches ?? []).flatMap(allStates),
    ...(state.ItemProcessor ? allStates(state.ItemProcessor) : []),
    ...(state.Iterator ? allStates(state.Iterator) : []),
  ]);
}

/**
 * Loads the SSM parameters of the workload template into the fake, with the
 * values CloudFormation would write for the given stack values.
 */
export function seedParameters(
  aws: FakeAws,
  parameters: Record<string, string> = {},
) {
  const resolved = resolveTemplate(
    loadTemplate('forecast-workload'),
    workloadStackValues(parameters),
  );
  for (const resource of Object.values(resolved.Resources)) {
    if (resource.Type === 'AWS::SSM::Parameter') {
      const { Name, Value } = resource.Properties as Record<string, string>;
      aws.parameters.set(Name, Value);
    }
  }
}

export type RunResult = {
  status: 'SUCCEEDED' | 'FAILED';
  executionArn: string;
  output?: any;
  error?: string;
  cause?: string;
  states: string[];
};

let executionCount = 0;

/**
 * Runs one pipeline of the workload with aws-local-stepfunctions. Every Task
 * state goes to the fake services (a Task without a handler would call real
 * AWS), nested startExecution.sync:2 runs the child pipeline the same way,
 * and Wait states and retries take no time.
 */
export async function runPipeline(
  key: PipelineKey,
  aws: FakeAws,
  definitions: Record<PipelineKey, Definition>,
  input: unknown = {},
): Promise<RunResult> {
  const definition = definitions[key];
  const states = allStates(definition);
  executionCount += 1;
  const executionName = `run-${executionCount}`;
  const executionArn = `arn:aws:states:${REGION}:${ACCOUNT}:execution:${STACK}-${key}:${executionName}`;

  const handlers: Record<string, (input: any) => Promise<any>> = {};
  for (const [name, state] of states) {
    if (state.Type !== 'Task') continue;
    handlers[name] = async (taskInput: any) => {
      if (state.Resource === 'arn:aws:states:::states:startExecution.sync:2') {
        return runChild(taskInput, aws, definitions);
      }
      return aws.invoke(state.Resource, taskInput);
    };
  }
  const waits = Object.fromEntries(
    states
      .filter(([, state]) => state.Type === 'Wait')
      .map(([name]) => [name, 0]),
  );
  const retries = Object.fromEntries(
    states
      .filter(([, state]) => state.Retry)
      .map(([name, state]) => [name, state.Retry.map(() => 0)]),
  );

  // A JSON copy, not structuredClone: under Jest, structuredClone builds
  // objects of another realm, and the library then skips nested "key.$" fields.
  const machine = new StateMachine(JSON.parse(JSON.stringify(definition)), {
    validationOptions: { checkPaths: true, checkArn: true },
  });
  const execution = machine.run(input as any, {
    overrides: {
      taskResourceLocalHandlers: handlers,
      waitTimeOverrides: waits,
      retryIntervalOverrides: retries,
    },
    context: { Execution: { Id: executionArn, Name: executionName } },
  });
  const visited: string[] = [];
  const collect = (async () => {
    for await (const event of execution.eventLogs) {
      if (event.type === 'StateEntered') visited.push(event.state.name);
    }
  })();

  try {
    const output = await execution.result;
    await collect;
    return { status: 'SUCCEEDED', executionArn, output, states: visited };
  } catch (error) {
    await collect.catch(() => undefined);
    if (!(error instanceof ExecutionError)) throw error;
    const cause = (error as any).cause as Error;
    return {
      status: 'FAILED',
      executionArn,
      error: cause?.name,
      cause: cause?.message,
      states: visited,
    };
  }
}

async function runChild(
  input: { StateMachineArn: string; Input?: unknown },
  aws: FakeAws,
  definitions: Record<PipelineKey, Definition>,
) {
  const key = Object.keys(PIPELINES).find(
    candidate => stateMachineArn(candidate) === input.StateMachineArn,
  ) as PipelineKey | undefined;
  if (!key) {
    throw Object.assign(
      new Error(`State machine ${input.StateMachineArn} does not exist`),
      {
        name: 'StepFunctions.StateMachineDoesNotExistException',
      },
    );
  }
  aws.calls.push({
    resource: 'states:startExecution.sync:2',
    input: JSON.parse(JSON.stringify(input)),
  });
  const child = await runPipeline(key, aws, definitions, input.Input ?? {});
  if (child.status !== 'SUCCEEDED') {
    // Step Functions fails the parent Task with States.TaskFailed and the
    // child's DescribeExecution output as the cause.
    throw Object.assign(
      new Error(
        JSON.stringify({
          ExecutionArn: child.executionArn,
          Status: 'FAILED',
          Error: child.error,
          Cause: child.cause,
        }),
      ),
      { name: 'States.TaskFailed' },
    );
  }
  return {
    ExecutionArn: child.executionArn,
    StateMachineArn: input.StateMachineArn,
    Status: 'SUCCEEDED',
    Output: child.output,
  };
}
