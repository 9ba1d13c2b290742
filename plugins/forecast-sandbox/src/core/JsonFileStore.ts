import fs from 'node:fs';
import path from 'node:path';

/**
 * A table of JSON records kept in one file, rewritten atomically (temporary
 * file, then rename) on every change, so a process killed at any moment
 * leaves either the old or the new content on disk, never a torn file.
 */
export class JsonFileStore<T> {
  private records = new Map<string, T>();

  constructor(private readonly file: string) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    if (fs.existsSync(file)) {
      const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<
        string,
        T
      >;
      this.records = new Map(Object.entries(parsed));
    }
  }

  get(id: string): T | undefined {
    return this.records.get(id);
  }

  has(id: string): boolean {
    return this.records.has(id);
  }

  values(): T[] {
    return [...this.records.values()];
  }

  entries(): [string, T][] {
    return [...this.records.entries()];
  }

  set(id: string, record: T): void {
    this.records.set(id, record);
    this.flush();
  }

  /** Applies `change` to a stored record and saves it; throws when absent. */
  update(id: string, change: (record: T) => T | void): T {
    const current = this.records.get(id);
    if (current === undefined) {
      throw new Error(`No record ${id} in ${this.file}`);
    }
    const next = change(current) ?? current;
    this.records.set(id, next);
    this.flush();
    return next;
  }

  delete(id: string): boolean {
    const deleted = this.records.delete(id);
    if (deleted) {
      this.flush();
    }
    return deleted;
  }

  private flush(): void {
    const temporary = `${this.file}.${process.pid}.tmp`;
    fs.writeFileSync(
      temporary,
      JSON.stringify(Object.fromEntries(this.records)),
    );
    fs.renameSync(temporary, this.file);
  }
}
