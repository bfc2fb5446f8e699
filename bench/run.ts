import { mkdir, writeFile } from 'node:fs/promises';
import { availableParallelism, loadavg } from 'node:os';
import { parseArgs } from 'node:util';

import { renderMarkdown } from './markdown.js';
import type { BenchTable, Scenario } from './scenario.js';
import { runFilterMatchBench } from './scenarios/filter-match.js';
import { functionScalingScenario } from './scenarios/function-scaling.js';
import { httpIsolationScenario } from './scenarios/http-isolation.js';
import { natsScenario } from './scenarios/nats-cluster.js';
import { publishFunctionScenario } from './scenarios/publish-function.js';

/** Every scenario the runner knows, in the order it runs them. */
const SCENARIOS: Scenario[] = [
  publishFunctionScenario,
  { name: 'filter-match', run: runFilterMatchBench },
  httpIsolationScenario,
  functionScalingScenario,
  natsScenario,
];

const RESULTS_DIR = new URL('./results/', import.meta.url);

/** The machine's 1-minute load average: other work skews results on a shared machine. */
function oneMinuteLoad(): string {
  return (loadavg()[0] ?? 0).toFixed(2);
}

function selectScenarios(only: string | undefined): Scenario[] {
  if (!only) return SCENARIOS;
  const scenario = SCENARIOS.find((s) => s.name === only);
  if (!scenario) {
    const known = SCENARIOS.map((s) => s.name).join(', ');
    throw new Error(`No scenario named ${only}; known: ${known}`);
  }
  return [scenario];
}

/**
 * Runs the benchmark scenarios (`--only NAME` for one, `--quick` for the reduced set),
 * printing each table as it completes, and writes them all to `bench/results/latest.json`
 * and `bench/results/latest.md`.
 */
async function runBench(): Promise<void> {
  const { values } = parseArgs({
    options: { only: { type: 'string' }, quick: { type: 'boolean', default: false } },
  });
  const quick = values.quick ?? false;
  const scenarios = selectScenarios(values.only);
  const tables: Array<BenchTable & { scenario: string }> = [];

  for (const scenario of scenarios) {
    const loadBefore = oneMinuteLoad();
    const result = await scenario.run({ quick });
    const load = `1-minute load average before / after: ${loadBefore} / ${oneMinuteLoad()}.`;
    const table = { ...result, notes: [...(result.notes ?? []), load] };
    tables.push({ scenario: scenario.name, ...table });
    console.log(`\n${renderMarkdown(table)}`);
  }

  const machine = `Node ${process.version}, ${availableParallelism()} CPUs, ${process.platform}`;
  const ranAt = new Date().toISOString();
  const heading = `# Herald benchmarks\n\n${ranAt}, ${machine}${quick ? ', --quick' : ''}.\n`;
  await mkdir(RESULTS_DIR, { recursive: true });
  await writeFile(
    new URL('latest.json', RESULTS_DIR),
    `${JSON.stringify({ ranAt, machine, quick, tables }, null, 2)}\n`,
  );
  await writeFile(
    new URL('latest.md', RESULTS_DIR),
    [heading, ...tables.map((table) => renderMarkdown(table))].join('\n'),
  );
}

await runBench();
