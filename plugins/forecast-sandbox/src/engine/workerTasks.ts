import { parentPort } from 'node:worker_threads';
import { parseImport, type ImportSpec } from '../forecast/importParser';
import {
  forecastWithModels,
  trainSeries,
  type SeriesTrainingInput,
} from './autoModel';

/** A unit of work for an engine worker. */
export type WorkerTask =
  | { type: 'parse'; spec: ImportSpec }
  | { type: 'train'; series: SeriesTrainingInput[] }
  | {
      type: 'forecast';
      series: (SeriesTrainingInput & { models: string[] })[];
    }
  | { type: 'ping' };

function run(task: WorkerTask): unknown {
  switch (task.type) {
    case 'parse':
      return parseImport(task.spec);
    case 'train':
      return task.series.map(series => trainSeries(series));
    case 'forecast':
      return task.series.map(series => forecastWithModels(series));
    case 'ping':
      return 'pong';
    default:
      throw new Error(`Unknown worker task ${(task as WorkerTask).type}`);
  }
}

/**
 * The buffers of the typed arrays in a result that own their whole buffer,
 * which can be moved to the main thread instead of copied.
 */
function transferables(value: unknown, found = new Set<ArrayBuffer>()) {
  if (ArrayBuffer.isView(value)) {
    const buffer = value.buffer as ArrayBuffer;
    if (value.byteOffset === 0 && value.byteLength === buffer.byteLength) {
      found.add(buffer);
    }
  } else if (Array.isArray(value)) {
    value.forEach(item => transferables(item, found));
  } else if (value && typeof value === 'object') {
    Object.values(value).forEach(item => transferables(item, found));
  }
  return found;
}

parentPort?.on('message', (message: { id: number; task: WorkerTask }) => {
  try {
    const result = run(message.task);
    parentPort!.postMessage({ id: message.id, result }, [
      ...transferables(result),
    ]);
  } catch (error) {
    const { name, message: text } = error as Error;
    parentPort!.postMessage({ id: message.id, error: { name, message: text } });
  }
});
