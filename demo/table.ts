/** A table cell: numbers are right-aligned and printed with thousands separators. */
export type Cell = string | number;

function show(cell: Cell): string {
  return typeof cell === 'number' ? cell.toLocaleString('en-US') : cell;
}

/** Lays out a table as aligned plain text, a header rule under the column names. */
export function formatTable(columns: string[], rows: Cell[][]): string {
  const texts = [columns, ...rows.map((row) => row.map(show))];
  const widths = columns.map((_, c) => Math.max(...texts.map((row) => (row[c] ?? '').length)));
  const rightAligned = columns.map((_, c) => rows.every((row) => typeof row[c] === 'number'));

  const line = (row: string[]): string =>
    row
      .map((text, c) => (rightAligned[c] ? text.padStart(widths[c]!) : text.padEnd(widths[c]!)))
      .join('  ')
      .trimEnd();

  const rule = widths.map((width) => '-'.repeat(width)).join('  ');
  return [line(texts[0]!), rule, ...texts.slice(1).map(line)].join('\n');
}
