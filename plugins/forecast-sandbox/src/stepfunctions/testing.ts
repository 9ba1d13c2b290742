import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { RequestContext } from '../core/types';
import { StepFunctionsService } from './StepFunctionsService';
import type { TaskContext, TaskDispatcher } from './types';

/** Request context of the tests: the sandbox account and region. */
export const CONTEXT: RequestContext = {
  accountId: '000000000000',
  region: 'us-east-1',
  requestId: 'test',
};

export const ROLE_ARN = 'arn:aws:iam::000000000000:role/pipeline';

/** One Task call the fake dispatcher received. */
export interface TaskCall {
  resource: string;
  parameters: unknown;
  context: TaskContext;
}

/**
 * A dispatcher that records calls and returns the result of the handler registered
 * for the resource's last segment (`createDatasetGroup`).
 */
export class FakeDispatcher implements TaskDispatcher {
  readonly calls: TaskCall[] = [];
  readonly handlers = new Map<
    string,
    (parameters: any, context: TaskContext) => unknown
  >();

  on(
    operation: string,
    handler: (parameters: any, context: TaskContext) => unknown,
  ) {
    this.handlers.set(operation, handler);
    return this;
  }

  async invoke(resource: string, parameters: unknown, context: TaskContext) {
    this.calls.push({ resource, parameters, context });
    const operation = resource.split(':').pop()!;
    const handler = this.handlers.get(operation);
    if (!handler) {
      throw Object.assign(new Error(`No fake for ${resource}`), {
        name: 'Sandbox.UnknownResource',
      });
    }
    return handler(parameters, context);
  }
}

/** Creates an Error with the Step Functions error name `name`. */
export function namedError(name: string, message: string): Error {
  const error = new Error(message);
  error.name = name;
  return error;
}

/** Creates a fresh data folder and a service on it; `close` removes both. */
export function createTestService(
  options: { waitCompression?: number; dataDir?: string } = {},
) {
  const dataDir =
    options.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'sfn-test-'));
  const dispatcher = new FakeDispatcher();
  const service = new StepFunctionsService({
    dataDir,
    dispatcher,
    waitCompression: options.waitCompression ?? 1000,
  });

  const call = (operation: string, input: Record<string, unknown>) =>
    service.handle(operation, input, CONTEXT) as Promise<any>;

  const createMachine = async (name: string, definition: object) => {
    const created = await call('CreateStateMachine', {
      name,
      definition: JSON.stringify(definition),
      roleArn: ROLE_ARN,
    });
    return created.stateMachineArn as string;
  };

  const waitForEnd = async (executionArn: string, timeoutMs = 10000) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const execution = await call('DescribeExecution', { executionArn });
      if (execution.status !== 'RUNNING') {
        return execution;
      }
      if (Date.now() > deadline) {
        throw new Error(`${executionArn} still RUNNING after ${timeoutMs} ms`);
      }
      await new Promise(resolve => setTimeout(resolve, 5));
    }
  };

  const run = async (
    stateMachineArn: string,
    input: unknown = {},
    name?: string,
  ) => {
    const { executionArn } = await call('StartExecution', {
      stateMachineArn,
      input: JSON.stringify(input),
      name,
    });
    return waitForEnd(executionArn);
  };

  const history = async (executionArn: string) =>
    (await call('GetExecutionHistory', { executionArn, maxResults: 1000 }))
      .events as any[];

  return {
    dataDir,
    dispatcher,
    service,
    call,
    createMachine,
    run,
    waitForEnd,
    history,
    close: async (keepData = false) => {
      await service.close();
      if (!keepData) {
        fs.rmSync(dataDir, { recursive: true, force: true });
      }
    },
  };
}
