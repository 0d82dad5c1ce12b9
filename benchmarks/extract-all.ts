/**
 * `npm run bench:extract`: extraction on every built-in task, from the models that
 * `npm run bench:train-all` committed under benchmarks/results/models/. Writes
 * benchmarks/results/extraction.json ([{task, path, states, exact, seconds, reason, …}]),
 * extraction.md (the table with a summary) and each exact machine under results/machines/. A task whose
 * committed model is not perfect gets a longer architecture search first (420 s), reported per row.
 *
 * Options: --tasks A,B (a subset), --seed S, --jobs N (tasks at a time, each in a worker thread),
 * --task-time-limit SECONDS (a task still running is stopped and reported as a failure).
 */
import { rmSync } from "node:fs";
import { writeFileAtomic } from "../common/atomic-write.js";
import { compiledModuleUrl } from "../common/compiled-url.js";
import type { Machine } from "../fsm-extract/types.js";
import type { ExtractionRow } from "./extract-task.js";
import { benchmarkTasks } from "./tasks.js";
import { parseBenchOptions, resultsDir, runInWorker, runTaskPool } from "./bench-runner.js";

/** A model that bench:train-all could not make perfect in its 150 s gets this long a search here. */
const RETRAIN_MS = 420_000;

async function main(): Promise<void> {
  const options = parseBenchOptions("bench:extract", 900);
  const started = performance.now();
  await runTaskPool(
    options.names,
    options.jobs,
    async (name) => {
      const { row, machine } = await extractInWorker(name, options.seed, options.limitMs, RETRAIN_MS);
      // A task with no exact machine this time loses the one an earlier run left: bench:regress reads this folder.
      if (machine) writeFileAtomic(`${resultsDir}machines/${name}.json`, `${JSON.stringify(machine)}\n`);
      else rmSync(`${resultsDir}machines/${name}.json`, { force: true });
      process.stdout.write(`${name.padEnd(24)} ${row.exact ? "exact" : "NONE "} ${row.path ?? "-"} ${row.states ?? "-"} states  ${row.seconds}s  ${row.reason ?? ""}\n`);
      return row;
    },
    (rows) => {
      const suffix = options.fullRun ? "" : "-subset";
      writeFileAtomic(`${resultsDir}extraction${suffix}.json`, `${JSON.stringify(rows, null, 1)}\n`);
      writeFileAtomic(`${resultsDir}extraction${suffix}.md`, formatExtractionTable(rows, (performance.now() - started) / 1000));
    },
  );
}

/** One task in its own worker: a crash or a timeout is that task's failure, never the run's. */
function extractInWorker(name: string, seed: number, limitMs: number, retrainMs: number): Promise<{ row: ExtractionRow; machine: Machine | null }> {
  const started = performance.now();
  const failed = (reason: string): { row: ExtractionRow; machine: null } => ({
    row: { task: name, path: null, states: null, stateDim: null, exact: false, method: null, networkPerfect: false, model: null, hiddenSize: null, normalizedHiddenSize: null, normalizersKept: [], heldOutSequences: 0, seconds: Number(((performance.now() - started) / 1000).toFixed(1)), reason },
    machine: null,
  });
  return runInWorker(
    compiledModuleUrl(import.meta.url, "./extract-worker.js"),
    { name, modelsDir: `${resultsDir}models/`, seed, retrainMs },
    limitMs,
    failed,
    `time_limit: still running after ${limitMs / 1000} s`,
  );
}

/** Finite-state tasks the paper's integer autoencoder could not read out; the summary tracks them. */
const HARD_FINITE_STATE_TASKS = [
  "Add_Mod_4", "Add_Mod_5", "Add_Mod_6", "Add_Mod_7", "Add_Mod_8", "Div_3", "Div_5", "Div_7",
  "Base_3_Addition", "Base_4_Addition", "Base_5_Addition", "Base_6_Addition", "Base_7_Addition",
  "Parity_Last4", "Alternating_Last3", "Alternating_Last4", "Majority_0_1", "Majority_0_2", "Majority_0_3",
  "Evens_Counter", "Balanced_Parenthesis",
];

export function formatExtractionTable(rows: readonly ExtractionRow[], wallSeconds: number): string {
  const exact = rows.filter((r) => r.exact);
  const paperSolved = new Set(benchmarkTasks.filter((t) => t.paper.mipsSolved).map((t) => t.name));
  const paperRows = rows.filter((r) => paperSolved.has(r.task));
  const hardRows = rows.filter((r) => HARD_FINITE_STATE_TASKS.includes(r.task));
  const missing = (list: readonly ExtractionRow[]): string => {
    const names = list.filter((r) => !r.exact).map((r) => r.task);
    return names.length === 0 ? "none missing" : `missing: ${names.join(", ")}`;
  };
  const lines = [
    "# Extraction: a machine read out of each task's network",
    "",
    `Exact machine (reproduces the network on 10,000 held-out sequences): **${exact.length} of ${rows.length}** tasks ` +
      `(${exact.filter((r) => r.path === "lattice").length} lattice, ${exact.filter((r) => r.path === "finite").length} finite-state); ` +
      `${paperRows.filter((r) => r.exact).length} of the ${paperRows.length} tasks the paper solved (${missing(paperRows)}); ` +
      `${hardRows.filter((r) => r.exact).length} of ${hardRows.length} hard finite-state tasks (${missing(hardRows)}). ` +
      `Exact machines of networks that are not themselves perfect: ${exact.filter((r) => !r.networkPerfect).length}. ` +
      `Networks retrained here because the committed model was not perfect (search limit ${RETRAIN_MS / 1000} s instead of 150 s): ${rows.filter((r) => r.model === "retrained").map((r) => r.task).join(", ") || "none"}. ` +
      `Wall time ${(wallSeconds / 60).toFixed(1)} min on 2 cores (\`npm run bench:extract\`).`,
    "",
    "| task | path | states | code length | exact | method | network perfect | model | hidden | after normalizing | normalizers kept | seconds | reason |",
    "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ...rows.map(
      (r) =>
        `| ${r.task} | ${r.path ?? "–"} | ${r.states ?? "–"} | ${r.stateDim ?? "–"} | ${r.exact ? "yes" : "**no**"} | ${r.method ?? "–"} | ${r.networkPerfect ? "yes" : "no"} | ${r.model ?? "–"} | ${r.hiddenSize ?? "–"} | ${r.normalizedHiddenSize ?? "–"} | ${r.normalizersKept.join(", ") || "–"} | ${r.seconds} | ${(r.reason ?? "").replace(/\|/g, "\\|")} |`,
    ),
    "",
  ];
  return lines.join("\n");
}

await main();
