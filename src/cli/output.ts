/** A table row: cell text by column heading. */
export type Row = Record<string, string>;

const MAX_CELL = 60;

/** Prints a value as indented JSON, for `--json`. */
export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** Prints one line of human output. */
export function printLine(text: string): void {
  process.stdout.write(`${text}\n`);
}

/** One line of text at most `MAX_CELL` characters, for table cells. */
export function cell(text: string): string {
  const line = text.replace(/\s+/g, ' ');
  return line.length > MAX_CELL ? `${line.slice(0, MAX_CELL - 1)}…` : line;
}

/** An epoch-milliseconds time as ISO 8601 without milliseconds. */
export function time(epochMs: number): string {
  return new Date(epochMs).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Prints rows as a compact, left-aligned table, or `empty` when there are none. */
export function printTable(rows: Row[], empty: string): void {
  const [first] = rows;
  if (first === undefined) {
    printLine(empty);
    return;
  }

  const columns = Object.keys(first);
  const widths = columns.map((column) =>
    Math.max(column.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (values: string[]) =>
    values
      .map((value, i) => value.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();

  printLine(line(columns));
  for (const row of rows) printLine(line(columns.map((column) => row[column] ?? '')));
}
