import type { JsonService, RequestContext } from './types';

/**
 * What the sandbox needs from the Step Functions service besides its wire
 * operations: CloudFormation creates, updates and deletes state machines
 * through these methods.
 */
export interface StateMachineHost extends JsonService {
  createStateMachine(input: {
    name: string;
    definition: string;
    roleArn: string;
    accountId: string;
    region: string;
    tags?: { key: string; value: string }[];
  }): Promise<{ stateMachineArn: string }>;
  updateStateMachine(
    stateMachineArn: string,
    input: { definition: string; roleArn: string },
  ): Promise<unknown>;
  deleteStateMachine(stateMachineArn: string): Promise<unknown>;
}

/**
 * Runs a Step Functions Task state's resource (`arn:aws:states:::aws-sdk:ssm:getParameter`,
 * `arn:aws:states:::sns:publish`, ...) against the local services.
 */
export interface TaskDispatcher {
  invoke(
    resource: string,
    parameters: unknown,
    context: RequestContext,
  ): Promise<unknown>;
}
