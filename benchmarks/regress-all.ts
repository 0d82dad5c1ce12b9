/**
 * `npm run bench:regress`: symbolic regression on every machine that `npm run bench:extract`
 * committed under benchmarks/results/machines/. Writes benchmarks/results/regression.json
 * ([{task, found, methods, formulaSize, seconds, recoding, reason, …}]) and regression.md (the
 * table, a summary and the programs).
 *
 * Options: --tasks A,B (a subset), --seed S, --jobs N (tasks at a time, each in a worker thread),
 * --task-time-limit SECONDS (regress's own budget; a worker still running 15 s after it is stopped
 * and its task reported as a failure).
 */
import { writeFileAtomic } from "../common/atomic-write.js";
import { compiledModuleUrl } from "../common/compiled-url.js";
import type { RegressionMethod } from "../symbolic/types.js";
import type { RegressionRow } from "./regress-task.js";
import { benchmarkTasks } from "./tasks.js";
import { parseBenchOptions, resultsDir, runInWorker, runTaskPool } from "./bench-runner.js";

const GRACE_MS = 15_000;

async function main(): Promise<void> {
  const options = parseBenchOptions("bench:regress", 60);
  const started = performance.now();
  await runTaskPool(
    options.names,
    options.jobs,
    async (name) => {
      const row = await regressInWorker(name, options.seed, options.limitMs);
      const what = row.found ? `${row.formulaSize} nodes  ${row.methods.join(",")}` : `NONE  ${row.reason}`;
      process.stdout.write(`${name.padEnd(24)} ${row.path ?? "-"}  ${row.seconds}s  ${what}\n`);
      return row;
    },
    (rows) => {
      const suffix = options.fullRun ? "" : "-subset";
      writeFileAtomic(`${resultsDir}regression${suffix}.json`, `${JSON.stringify(rows, null, 1)}\n`);
      writeFileAtomic(`${resultsDir}regression${suffix}.md`, formatRegressionTable(rows, (performance.now() - started) / 1000, options.limitMs / 1000));
    },
  );
}

/** One task in its own worker: a crash or a hang is that task's failure, never the run's. */
function regressInWorker(name: string, seed: number, limitMs: number): Promise<RegressionRow> {
  const started = performance.now();
  const failed = (reason: string): RegressionRow => ({
    task: name, path: null, states: null, found: false, methods: [], formulaSize: null, tableSize: null,
    seconds: Number(((performance.now() - started) / 1000).toFixed(1)), recoding: null, program: [], reason,
  });
  return runInWorker(
    compiledModuleUrl(import.meta.url, "./regress-worker.js"),
    { name, machinesDir: `${resultsDir}machines/`, timeLimitMs: limitMs, seed },
    limitMs + GRACE_MS,
    failed,
    `time_limit: still running ${GRACE_MS / 1000} s after its ${limitMs / 1000} s budget`,
  );
}

const methodOrder: readonly RegressionMethod[] = ["constant", "integer-linear", "boolean", "search"];

/** The most elaborate method a program needed (search > boolean > integer-linear > constant). */
export function programMethod(methods: readonly RegressionMethod[]): RegressionMethod | null {
  return methods.reduce<RegressionMethod | null>((m, x) => (m === null || methodOrder.indexOf(x) > methodOrder.indexOf(m) ? x : m), null);
}

/** A program no larger than the machine's table (lattice machines have no finite table: always). */
const compact = (r: RegressionRow): boolean => r.found && (r.tableSize === null || r.formulaSize! <= r.tableSize);

/** Programs are listed in the report up to this many nodes. */
const SHOWN_PROGRAM_SIZE = 80;

export function formatRegressionTable(rows: readonly RegressionRow[], wallSeconds: number, limitSeconds: number): string {
  const withMachine = rows.filter((r) => r.path !== null);
  const found = rows.filter((r) => r.found);
  const small = found.filter(compact);
  const count = (m: RegressionMethod): number => found.filter((r) => programMethod(r.methods) === m).length;
  const formulas = (m: RegressionMethod): number => found.reduce((s, r) => s + r.methods.filter((x) => x === m).length, 0);
  const slowest = rows.reduce<RegressionRow | null>((s, r) => (s === null || r.seconds > s.seconds ? r : s), null);
  const over = rows.filter((r) => r.seconds > limitSeconds).length;
  const paperSolved = new Set(benchmarkTasks.filter((t) => t.paper.mipsSolved).map((t) => t.name));
  const paperRows = rows.filter((r) => paperSolved.has(r.task));
  const noMachine = rows.filter((r) => r.path === null).map((r) => r.task);
  const notSmall = found.filter((r) => !compact(r)).map((r) => `${r.task} (${r.formulaSize} nodes for a table of ${r.tableSize} rows)`);
  const failed = withMachine.filter((r) => !r.found).map((r) => r.task);
  const lines = [
    "# Symbolic regression: formulas for each task's machine",
    "",
    `Formulas (every register and output, exact on the machine's rows) for **${found.length} of ${withMachine.length}** machines ` +
      `(${rows.length} tasks; without a machine: ${noMachine.join(", ") || "none"}; no formula: ${failed.join(", ") || "none"}). ` +
      `**${small.length}** of them are no larger than the table they replace` +
      (notSmall.length > 0 ? ` (not: ${notSmall.join("; ")})` : "") + ". " +
      `Programs by the most elaborate method they needed: integer-linear ${count("integer-linear")}, Boolean ${count("boolean")}, ` +
      `search ${count("search")}, constant ${count("constant")}; formulas by method: integer-linear ${formulas("integer-linear")}, ` +
      `Boolean ${formulas("boolean")}, search ${formulas("search")}, constant ${formulas("constant")}. ` +
      `${paperRows.filter((r) => r.found).length} of the ${paperRows.length} tasks the paper solved. ` +
      `Slowest: ${slowest ? `${slowest.task} (${slowest.seconds} s)` : "–"}; tasks over the ${limitSeconds} s limit: ${over}. ` +
      `Wall time ${(wallSeconds / 60).toFixed(1)} min on 2 cores (\`npm run bench:regress\`).`,
    "",
    "| task | path | states | found | methods (registers, then outputs) | formula size | table size | seconds | recoding | reason |",
    "|---|---|---|---|---|---|---|---|---|---|",
    ...rows.map(
      (r) =>
        `| ${r.task} | ${r.path ?? "–"} | ${r.states ?? "–"} | ${r.found ? "yes" : "**no**"} | ${r.methods.join(", ") || "–"} | ${r.formulaSize ?? "–"} | ${r.tableSize ?? "–"} | ${r.seconds} | ${r.recoding ?? "–"} | ${(r.reason ?? "").replace(/\|/g, "\\|")} |`,
    ),
    "",
    `## Programs (up to ${SHOWN_PROGRAM_SIZE} nodes)`,
    "",
    "Registers update together from their old values; outputs read the new ones. `x` is the current input (`x0`, `x1` for two).",
    "",
    ...found.flatMap((r) =>
      r.formulaSize! <= SHOWN_PROGRAM_SIZE
        ? [`**${r.task}** (${r.formulaSize} nodes)`, "", "```python", ...r.program, "```", ""]
        : [`**${r.task}**: ${r.formulaSize} nodes, not shown.`, ""],
    ),
  ];
  return lines.join("\n");
}

await main();
