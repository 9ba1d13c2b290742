import os from 'node:os';
import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { Worker } from 'node:worker_threads';
import type { WorkerTask } from './workerTasks';

interface Pending {
  task: WorkerTask;
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
}

interface Slot {
  worker: Worker;
  busy?: { id: number; pending: Pending };
}

/** An error thrown inside a worker, with the original error's name. */
export class WorkerTaskError extends Error {
  constructor(name: string, message: string) {
    super(message);
    this.name = name;
  }
}

/**
 * A small pool of worker threads for CSV parsing and model training, so the
 * sandbox's HTTP server keeps serving requests while a predictor trains.
 * Workers start on first use and are replaced when one dies.
 */
export class WorkerPool {
  private readonly slots: Slot[] = [];
  private readonly queue: Pending[] = [];
  private nextId = 1;
  private closed = false;

  /** `size` defaults to the core count minus one, between 1 and 4. */
  constructor(
    readonly size: number = Math.min(
      4,
      Math.max(1, os.availableParallelism() - 1),
    ),
  ) {}

  /** Runs a task on the next free worker. */
  run<T>(task: WorkerTask): Promise<T> {
    if (this.closed) {
      return Promise.reject(new Error('The worker pool is closed'));
    }
    return new Promise<T>((resolve, reject) => {
      this.queue.push({
        task,
        resolve: resolve as (value: unknown) => void,
        reject,
      });
      this.dispatch();
    });
  }

  /** Stops every worker; queued and running tasks are rejected. */
  async close(): Promise<void> {
    this.closed = true;
    for (const pending of this.queue.splice(0)) {
      pending.reject(new Error('The worker pool was closed'));
    }
    await Promise.all(
      this.slots.splice(0).map(slot => {
        slot.busy?.pending.reject(new Error('The worker pool was closed'));
        return slot.worker.terminate();
      }),
    );
  }

  private dispatch(): void {
    while (this.queue.length > 0) {
      let slot = this.slots.find(candidate => !candidate.busy);
      if (!slot && this.slots.length < this.size) {
        slot = this.startWorker();
      }
      if (!slot) {
        return;
      }
      const pending = this.queue.shift()!;
      const id = this.nextId++;
      slot.busy = { id, pending };
      // Only a busy worker keeps the process alive.
      slot.worker.ref();
      slot.worker.postMessage({ id, task: pending.task });
      // postMessage has copied the task; drop it so its data can be freed.
      pending.task = { type: 'ping' };
    }
  }

  private startWorker(): Slot {
    const worker = new Worker(
      resolvePackagePath(
        '@forecast-pipelines/forecast-sandbox',
        'src/engine/worker.js',
      ),
    );
    const slot: Slot = { worker };
    worker.unref();
    worker.on('message', message => {
      const busy = slot.busy;
      if (!busy || busy.id !== message.id) {
        return;
      }
      slot.busy = undefined;
      worker.unref();
      if (message.error) {
        busy.pending.reject(
          new WorkerTaskError(message.error.name, message.error.message),
        );
      } else {
        busy.pending.resolve(message.result);
      }
      this.dispatch();
    });
    const fail = (error: Error) => {
      const index = this.slots.indexOf(slot);
      if (index >= 0) {
        this.slots.splice(index, 1);
      }
      slot.busy?.pending.reject(error);
      slot.busy = undefined;
      if (!this.closed) {
        this.dispatch();
      }
    };
    worker.on('error', fail);
    worker.on('exit', code => {
      if (!this.closed) {
        fail(new Error(`A forecasting worker stopped with exit code ${code}`));
      }
    });
    this.slots.push(slot);
    return slot;
  }
}
