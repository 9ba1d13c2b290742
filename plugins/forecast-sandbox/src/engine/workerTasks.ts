import { parentPort } from 'node:worker_threads';
import { parseImport, type ImportSpec } from '../forecast/importParser';
import { trainSeries, type SeriesTrainingInput } from './autoModel';

/** A unit of work for an engine worker. */
export type WorkerTask =
  | { type: 'parse'; spec: ImportSpec }
  | { type: 'train'; series: SeriesTrainingInput[] }
  | { type: 'ping' };

function run(task: WorkerTask): unknown {
  switch (task.type) {
    case 'parse':
      return parseImport(task.spec);
    case 'train':
      return task.series.map(series => trainSeries(series));
    case 'ping':
      return 'pong';
    default:
      throw new Error(`Unknown worker task ${(task as WorkerTask).type}`);
  }
}

parentPort?.on('message', (message: { id: number; task: WorkerTask }) => {
  try {
    parentPort!.postMessage({ id: message.id, result: run(message.task) });
  } catch (error) {
    const { name, message: text } = error as Error;
    parentPort!.postMessage({ id: message.id, error: { name, message: text } });
  }
});
