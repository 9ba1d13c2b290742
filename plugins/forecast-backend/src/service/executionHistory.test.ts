import type { HistoryEvent } from '@aws-sdk/client-sfn';
import { stepsFromHistory } from './executionHistory';

let id = 0;
function event(
  type: string,
  second: number,
  details: Partial<HistoryEvent> = {},
): HistoryEvent {
  id += 1;
  return {
    id,
    type: type as HistoryEvent['type'],
    timestamp: new Date(Date.UTC(2026, 0, 1, 0, 0, second)),
    ...details,
  };
}

const entered = (name: string, type: string, second: number) =>
  event(`${type}StateEntered`, second, { stateEnteredEventDetails: { name } });
const exited = (name: string, type: string, second: number) =>
  event(`${type}StateExited`, second, { stateExitedEventDetails: { name } });

describe('stepsFromHistory', () => {
  it('reports succeeded steps in order', () => {
    const { steps, failure } = stepsFromHistory([
      event('ExecutionStarted', 0),
      entered('CreateDatasetGroup', 'Task', 1),
      exited('CreateDatasetGroup', 'Task', 2),
      entered('Done', 'Succeed', 3),
      exited('Done', 'Succeed', 3),
      event('ExecutionSucceeded', 3),
    ]);

    expect(steps.map(s => [s.name, s.type, s.status])).toEqual([
      ['CreateDatasetGroup', 'Task', 'SUCCEEDED'],
      ['Done', 'Succeed', 'SUCCEEDED'],
    ]);
    expect(steps[0].startDate).toBe('2026-01-01T00:00:01.000Z');
    expect(steps[0].endDate).toBe('2026-01-01T00:00:02.000Z');
    expect(failure).toBeUndefined();
  });

  it('names the failing step with error and cause', () => {
    const { steps, failure } = stepsFromHistory([
      event('ExecutionStarted', 0),
      entered('ImportData', 'Task', 1),
      event('TaskFailed', 2, {
        taskFailedEventDetails: {
          resourceType: 'aws-sdk:forecast',
          resource: 'createDatasetImportJob',
          error: 'Forecast.InvalidInputException',
          cause: 'Row 3: invalid timestamp',
        },
      }),
      event('ExecutionFailed', 2, {
        executionFailedEventDetails: {
          error: 'Forecast.InvalidInputException',
          cause: 'Row 3: invalid timestamp',
        },
      }),
    ]);

    expect(steps).toHaveLength(1);
    expect(steps[0].status).toBe('FAILED');
    expect(steps[0].error).toBe('Forecast.InvalidInputException');
    expect(failure).toEqual({
      step: 'ImportData',
      error: 'Forecast.InvalidInputException',
      cause: 'Row 3: invalid timestamp',
    });
  });

  it('marks a caught failure and keeps running steps open', () => {
    const { steps } = stepsFromHistory([
      entered('CreateDataset', 'Task', 1),
      event('TaskFailed', 2, {
        taskFailedEventDetails: {
          resourceType: 'aws-sdk:forecast',
          resource: 'createDataset',
          error: 'Forecast.ResourceAlreadyExistsException',
        },
      }),
      exited('CreateDataset', 'Task', 2),
      entered('WaitForImport', 'Wait', 3),
    ]);

    expect(steps.map(s => s.status)).toEqual(['CAUGHT', 'RUNNING']);
    expect(steps[1].endDate).toBeUndefined();
  });
});
