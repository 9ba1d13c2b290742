/** One parsed CSV record and the 1-based line it starts on. */
export interface CsvRecord {
  line: number;
  fields: string[];
}

/** A CSV syntax error, with the 1-based line it was found on. */
export class CsvSyntaxError extends Error {
  constructor(readonly line: number, message: string) {
    super(message);
  }
}

/**
 * Parses comma-separated text as RFC 4180 describes it: fields may be
 * quoted, quoted fields may contain commas, line breaks and doubled quotes,
 * lines end in LF or CRLF, and a leading byte order mark is dropped. Empty
 * lines are skipped.
 */
export function* parseCsv(text: string): Generator<CsvRecord> {
  let position = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 1;
  const length = text.length;

  while (position < length) {
    const start = line;
    const fields: string[] = [];
    let field = '';
    let atRecordEnd = false;

    while (!atRecordEnd) {
      if (text.charCodeAt(position) === 34 /* " */) {
        position++;
        for (;;) {
          const quote = text.indexOf('"', position);
          if (quote < 0) {
            throw new CsvSyntaxError(start, 'a quoted field is never closed');
          }
          const chunk = text.slice(position, quote);
          line += countNewlines(chunk);
          field += chunk;
          position = quote + 1;
          if (text.charCodeAt(position) === 34) {
            field += '"';
            position++;
            continue;
          }
          break;
        }
        const next = text.charCodeAt(position);
        if (
          position < length &&
          next !== 44 &&
          next !== 10 &&
          !(next === 13 && text.charCodeAt(position + 1) === 10)
        ) {
          throw new CsvSyntaxError(
            line,
            'a quoted field is followed by text before the next comma',
          );
        }
      } else {
        let end = position;
        while (end < length) {
          const code = text.charCodeAt(end);
          if (code === 44 || code === 10 || code === 13) {
            break;
          }
          end++;
        }
        field = text.slice(position, end);
        position = end;
      }

      const code = text.charCodeAt(position);
      if (code === 44) {
        fields.push(field);
        field = '';
        position++;
        continue;
      }
      fields.push(field);
      atRecordEnd = true;
      if (code === 13 && text.charCodeAt(position + 1) === 10) {
        position += 2;
      } else if (code === 10 || code === 13) {
        position++;
      }
      line++;
    }

    if (fields.length === 1 && fields[0] === '') {
      continue;
    }
    yield { line: start, fields };
  }
}

function countNewlines(text: string): number {
  let count = 0;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) {
    count++;
  }
  return count;
}
