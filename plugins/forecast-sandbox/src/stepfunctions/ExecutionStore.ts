import fs from 'node:fs';
import path from 'node:path';
import type { ExecutionRecord, HistoryEvent } from './types';

interface Tombstone {
  deleted: string;
}

/**
 * Executions on disk under `<dir>`:
 * - `executions.jsonl`: one line per change of an execution summary (start,
 *   end), appended; the last line for an ARN wins. A line torn by a killed
 *   process is skipped when loading. The file is rewritten, atomically, when
 *   superseded lines outnumber the live ones.
 * - `history/<execution id>.jsonl`: the events of one execution, one per
 *   line, appended as they happen.
 *
 * Summaries stay in memory, grouped by state machine in start order, so
 * listing never reads a history file.
 */
export class ExecutionStore {
  private readonly byArn = new Map<string, ExecutionRecord>();
  private readonly byMachine = new Map<string, ExecutionRecord[]>();
  private readonly indexFile: string;
  private readonly historyDir: string;
  private indexLines = 0;
  private nextSequence = 1;

  constructor(dir: string) {
    this.indexFile = path.join(dir, 'executions.jsonl');
    this.historyDir = path.join(dir, 'history');
    fs.mkdirSync(this.historyDir, { recursive: true });
    this.load();
  }

  /** Returns a sequence number larger than every stored one. */
  takeSequence(): number {
    return this.nextSequence++;
  }

  get(executionArn: string): ExecutionRecord | undefined {
    return this.byArn.get(executionArn);
  }

  /** Executions of a state machine, oldest first. Do not modify. */
  listForMachine(stateMachineArn: string): readonly ExecutionRecord[] {
    return this.byMachine.get(stateMachineArn) ?? [];
  }

  /** Returns every execution whose status is RUNNING. */
  running(): ExecutionRecord[] {
    return [...this.byArn.values()].filter(e => e.status === 'RUNNING');
  }

  /** Stores a new or changed summary. */
  put(record: ExecutionRecord) {
    this.remember(record);
    this.appendIndex(record);
  }

  /** Forgets an execution and deletes its history. */
  remove(executionArn: string) {
    const record = this.byArn.get(executionArn);
    if (!record) {
      return;
    }
    this.byArn.delete(executionArn);
    const siblings = this.byMachine.get(record.stateMachineArn) ?? [];
    const index = siblings.indexOf(record);
    if (index >= 0) {
      siblings.splice(index, 1);
    }
    this.appendIndex({ deleted: executionArn });
    fs.rmSync(this.historyFile(record.id), { force: true });
  }

  appendHistory(id: string, events: HistoryEvent[]) {
    if (events.length === 0) {
      return;
    }
    const lines = events.map(event => `${JSON.stringify(event)}\n`).join('');
    fs.appendFileSync(this.historyFile(id), lines);
  }

  /** Reads the stored events of an execution, skipping a torn last line. */
  readHistory(id: string): HistoryEvent[] {
    let text: string;
    try {
      text = fs.readFileSync(this.historyFile(id), 'utf8');
    } catch {
      return [];
    }
    return parseLines<HistoryEvent>(text);
  }

  /** Replaces the history of an execution atomically. */
  writeHistory(id: string, events: HistoryEvent[]) {
    const file = this.historyFile(id);
    const temporary = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(
      temporary,
      events.map(event => `${JSON.stringify(event)}\n`).join(''),
    );
    fs.renameSync(temporary, file);
  }

  private load() {
    let text = '';
    try {
      text = fs.readFileSync(this.indexFile, 'utf8');
    } catch {
      return;
    }

    if (text.length > 0 && !text.endsWith('\n')) {
      // End the torn line so the next append starts a line of its own.
      fs.appendFileSync(this.indexFile, '\n');
    }
    const lines = parseLines<ExecutionRecord | Tombstone>(text);
    for (const line of lines) {
      if ('deleted' in line) {
        this.byArn.delete(line.deleted);
      } else {
        this.byArn.set(line.executionArn, line);
      }
    }
    const records = [...this.byArn.values()].sort(
      (a, b) => a.sequence - b.sequence,
    );
    for (const record of records) {
      this.byArn.delete(record.executionArn);
      this.remember(record);
      this.nextSequence = Math.max(this.nextSequence, record.sequence + 1);
    }

    this.indexLines = lines.length;
    if (this.indexLines > 2 * this.byArn.size + 100) {
      this.compact();
    }
  }

  private remember(record: ExecutionRecord) {
    const previous = this.byArn.get(record.executionArn);
    this.byArn.set(record.executionArn, record);
    let siblings = this.byMachine.get(record.stateMachineArn);
    if (!siblings) {
      siblings = [];
      this.byMachine.set(record.stateMachineArn, siblings);
    }
    if (previous) {
      siblings[siblings.indexOf(previous)] = record;
    } else {
      siblings.push(record);
    }
  }

  private appendIndex(line: ExecutionRecord | Tombstone) {
    fs.appendFileSync(this.indexFile, `${JSON.stringify(line)}\n`);
    this.indexLines += 1;
  }

  private compact() {
    const records = [...this.byArn.values()];
    const temporary = `${this.indexFile}.${process.pid}.tmp`;
    fs.writeFileSync(
      temporary,
      records.map(record => `${JSON.stringify(record)}\n`).join(''),
    );
    fs.renameSync(temporary, this.indexFile);
    this.indexLines = records.length;
  }

  private historyFile(id: string): string {
    return path.join(this.historyDir, `${id}.jsonl`);
  }
}

function parseLines<T>(text: string): T[] {
  const values: T[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') {
      continue;
    }
    try {
      values.push(JSON.parse(line));
    } catch {
      // A process killed mid-append leaves at most one torn line.
    }
  }
  return values;
}
