import type { BenchTable } from './scenario.js';

function cell(value: string | number): string {
  return typeof value === 'number' ? value.toLocaleString('en-US') : value.replaceAll('|', '\\|');
}

/** Renders a benchmark table as Markdown: a heading, the table, then its notes as a list. */
export function renderMarkdown(table: BenchTable): string {
  const header = `| ${table.columns.map(cell).join(' | ')} |`;
  const rule = `|${table.columns.map(() => '---').join('|')}|`;
  const rows = table.rows.map((row) => `| ${row.map(cell).join(' | ')} |`);
  const notes = (table.notes ?? []).map((note) => `- ${note}`);

  return [`## ${table.title}`, '', header, rule, ...rows, ...(notes.length ? ['', ...notes] : [])]
    .join('\n')
    .concat('\n');
}
