import type { LoggerService } from '@backstage/backend-plugin-api';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import type { ActionContext } from '@backstage/plugin-scaffolder-node';
import type { JsonObject } from '@backstage/types';

/** Creates a logger that keeps every line, so tests can read the task log. */
export function createCapturingLogger(): LoggerService & { lines: string[] } {
  const lines: string[] = [];
  const logger: LoggerService & { lines: string[] } = {
    lines,
    error: (message, meta) =>
      lines.push(
        `error: ${message}${
          meta
            ? ` ${JSON.stringify(meta instanceof Error ? meta.message : meta)}`
            : ''
        }`,
      ),
    warn: (message, meta) =>
      lines.push(
        `warn: ${message}${
          meta
            ? ` ${JSON.stringify(meta instanceof Error ? meta.message : meta)}`
            : ''
        }`,
      ),
    info: (message, meta) =>
      lines.push(
        `info: ${message}${
          meta
            ? ` ${JSON.stringify(meta instanceof Error ? meta.message : meta)}`
            : ''
        }`,
      ),
    debug: (message, meta) =>
      lines.push(
        `debug: ${message}${
          meta
            ? ` ${JSON.stringify(meta instanceof Error ? meta.message : meta)}`
            : ''
        }`,
      ),
    child: () => logger,
  };
  return logger;
}

/**
 * Creates an action context with a capturing logger, outputs collected into an
 * object, and the dry-run flag, which createMockActionContext does not pass on.
 */
export function createTestContext<TInput extends JsonObject>(options: {
  input: TInput;
  isDryRun?: boolean;
  secrets?: Record<string, string>;
  taskId?: string;
}): {
  // The handlers' input types differ per action; tests pass plain objects.
  context: ActionContext<any, any>;
  logger: ReturnType<typeof createCapturingLogger>;
  outputs: Record<string, any>;
} {
  const logger = createCapturingLogger();
  const outputs: Record<string, unknown> = {};
  const base = createMockActionContext<TInput>({
    input: options.input,
    logger,
    secrets: options.secrets,
    task: { id: options.taskId ?? 'task-1' },
    user: { ref: 'user:default/guest' },
    templateInfo: { entityRef: 'template:default/forecast-workload' },
  });
  const context = {
    ...base,
    isDryRun: options.isDryRun ?? false,
    output: (name: string, value: unknown) => {
      outputs[name] = value;
    },
  };
  return {
    context: context as unknown as ActionContext<any, any>,
    logger,
    outputs,
  };
}
