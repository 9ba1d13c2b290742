import fs from 'node:fs';
import path from 'node:path';
import type { StackEvent, StackRecord } from './records';

function fileId(stackId: string): string {
  // The last segment of a stack ARN is a UUID, safe as a file name.
  return stackId.slice(stackId.lastIndexOf('/') + 1);
}

function writeAtomically(file: string, content: string): void {
  const temporary = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, content);
  fs.renameSync(temporary, file);
}

/**
 * Stacks, one file each under `<folder>/stacks/`: `<uuid>.json` for the
 * record and `<uuid>.template` for its template body, written only when the
 * template changes. A deployment saves its stack after every step, so one
 * stack's change never rewrites the others or a large template.
 */
export class StackStore {
  private readonly records = new Map<string, StackRecord>();
  private readonly savedTemplates = new Map<string, string>();
  private readonly folder: string;

  constructor(root: string) {
    this.folder = path.join(root, 'stacks');
    fs.mkdirSync(this.folder, { recursive: true });
    for (const name of fs.readdirSync(this.folder)) {
      if (!name.endsWith('.json')) continue;
      const record = JSON.parse(
        fs.readFileSync(path.join(this.folder, name), 'utf8'),
      ) as StackRecord;
      const templateFile = path.join(
        this.folder,
        `${fileId(record.stackId)}.template`,
      );
      record.templateBody = fs.readFileSync(templateFile, 'utf8');
      this.records.set(record.stackId, record);
      this.savedTemplates.set(record.stackId, record.templateBody);
    }
  }

  get(stackId: string): StackRecord | undefined {
    return this.records.get(stackId);
  }

  values(): StackRecord[] {
    return [...this.records.values()];
  }

  /** Saves a stack; its template first, so a record never names a missing one. */
  set(stackId: string, record: StackRecord): void {
    this.records.set(stackId, record);
    const base = path.join(this.folder, fileId(stackId));
    if (this.savedTemplates.get(stackId) !== record.templateBody) {
      writeAtomically(`${base}.template`, record.templateBody);
      this.savedTemplates.set(stackId, record.templateBody);
    }
    const { templateBody: _omitted, ...rest } = record;
    writeAtomically(`${base}.json`, JSON.stringify(rest));
  }
}

/**
 * Stack events, appended to `<folder>/events/<uuid>.jsonl` as they happen. A
 * line torn by a killed process is skipped when the file is read back.
 */
export class StackEventLog {
  private readonly cache = new Map<string, StackEvent[]>();
  private readonly folder: string;

  constructor(root: string) {
    this.folder = path.join(root, 'events');
    fs.mkdirSync(this.folder, { recursive: true });
  }

  append(event: StackEvent): void {
    this.list(event.StackId).push(event);
    fs.appendFileSync(this.file(event.StackId), `${JSON.stringify(event)}\n`);
  }

  /** Returns the events of a stack, oldest first. */
  list(stackId: string): StackEvent[] {
    let events = this.cache.get(stackId);
    if (!events) {
      events = [];
      const file = this.file(stackId);
      if (fs.existsSync(file)) {
        for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
          try {
            if (line) events.push(JSON.parse(line));
          } catch {
            // A torn last line: the event was not fully written.
          }
        }
      }
      this.cache.set(stackId, events);
    }
    return events;
  }

  private file(stackId: string): string {
    return path.join(this.folder, `${fileId(stackId)}.jsonl`);
  }
}
