/** One benchmark's results: a table, with notes on method and anything skipped. */
export interface BenchTable {
  title: string;
  columns: string[];
  rows: Array<Array<string | number>>;
  notes?: string[];
  /** Raw measurements, kept in the JSON results only. */
  data?: unknown;
}

/** A benchmark the runner can execute by name. */
export interface Scenario {
  name: string;
  /** `quick` runs a reduced set, for smoke testing. */
  run(opts: { quick: boolean }): Promise<BenchTable>;
}
