/**
 * `npm run bench:train-all`: the architecture search on every built-in task. Writes
 * benchmarks/results/training.json ([{task, perfect, hiddenDim, paperHiddenDim, params, seconds, …}]),
 * training.md (the table with a summary), and each task's best model under results/models/.
 *
 * Options: --tasks A,B (a subset), --seed S, --jobs N (tasks at a time, one worker thread each),
 * --train-budget SECONDS (training work per search in reference seconds, deterministic; 0 = none), --task-time-limit SECONDS
 * (safety net per task: stop starting new attempts; the result then depends on the machine's speed).
 */
import { writeFileAtomic } from "../common/atomic-write.js";
import { parameterCount, rnnToJson, searchArchitecture, type SearchResult } from "../rnn/index.js";
import { benchmarkTasks } from "./tasks.js";
import { builtinTask } from "./builtin.js";
import { parseBenchOptions, resultsDir, runTaskPool } from "./bench-runner.js";

export interface TrainingRow {
  readonly task: string;
  readonly perfect: boolean;
  readonly hiddenDim: number | null;
  readonly paperHiddenDim: number;
  readonly paperSolved: boolean;
  readonly params: number | null;
  readonly family: string | null;
  readonly encoding: string | null;
  readonly head: string | null;
  readonly heldOutAccuracy: number | null;
  readonly attempts: number;
  /** Why the search stopped, or "crashed" (the error is printed in the run's log). */
  readonly stopReason: SearchResult["stopReason"] | "crashed";
  /** Training steps, and their work in reference seconds (what the budget counts). */
  readonly steps: number;
  readonly work: number;
  readonly seconds: number;
  /** Each hidden-size round in the order tried: attempts, steps, best held-out accuracy, whether it found a perfect network. */
  readonly rounds: readonly SearchRound[];
}

export interface SearchRound {
  readonly hidden: number;
  readonly attempts: number;
  readonly steps: number;
  readonly work: number;
  readonly bestAccuracy: number;
  readonly perfect: boolean;
}

/** The trace grouped into its hidden-size rounds, in the order they ran. */
export function searchRounds(trace: SearchResult["trace"]): SearchRound[] {
  const rounds: Array<{ -readonly [K in keyof SearchRound]: SearchRound[K] }> = [];
  for (const a of trace) {
    let round = rounds[rounds.length - 1];
    if (round?.hidden !== a.hiddenSize) {
      round = { hidden: a.hiddenSize, attempts: 0, steps: 0, work: 0, bestAccuracy: 0, perfect: false };
      rounds.push(round);
    }
    round.attempts++;
    round.steps += a.steps;
    round.work += a.work;
    round.bestAccuracy = Math.max(round.bestAccuracy, a.heldOutAccuracy);
    round.perfect ||= a.perfect;
  }
  return rounds.map((r) => ({ ...r, work: Number(r.work.toFixed(2)) }));
}

async function main(): Promise<void> {
  const options = parseBenchOptions("bench:train-all", 150);
  const started = performance.now();
  // Tasks run `jobs` at a time, each search on one worker thread: a single search leaves a core
  // idle at the end of every hidden-size round, two independent searches keep both busy.
  await runTaskPool(
    options.names,
    options.jobs,
    (name) => trainTask(name, options.seed, options.limitMs, options.trainingBudget),
    (rows) => writeTables(rows, (performance.now() - started) / 1000, options.fullRun),
  );
}

async function trainTask(name: string, seed: number, limitMs: number, trainingBudget: number): Promise<TrainingRow> {
  const spec = benchmarkTasks.find((t) => t.name === name);
  const task = builtinTask(name, { seed });
  if (!spec || !task) throw new Error(`unknown task ${name}`);
  let result: SearchResult;
  let crashed = false;
  try {
    result = await searchArchitecture(task.dataset, { seed, jobs: 1, inProcess: false, timeLimitMs: limitMs, trainingBudget });
  } catch (error) {
    // One task's crash is that task's failure, never the run's.
    process.stdout.write(`${name.padEnd(24)} CRASHED ${(error as Error).message.split("\n")[0]}\n`);
    result = { kind: "search", version: 1, best: null, perfect: false, winnerIndex: -1, stopReason: "exhausted", trace: [], steps: 0, work: 0, seconds: 0 };
    crashed = true;
  }
  const best = result.best;
  const winner = result.perfect ? result.trace[result.winnerIndex]! : null;
  const row: TrainingRow = {
    task: name,
    perfect: result.perfect,
    hiddenDim: best?.config.hiddenSize ?? null,
    paperHiddenDim: spec.paper.rnnHiddenDim,
    paperSolved: spec.paper.mipsSolved,
    params: best ? parameterCount(best.config) : null,
    family: winner?.family ?? null,
    encoding: best?.config.encoding.kind ?? null,
    head: best ? (best.config.head.kind === "regression" ? `regression/${best.config.head.loss}` : "classification") : null,
    heldOutAccuracy: best?.training?.heldOutAccuracy ?? null,
    attempts: result.trace.length,
    stopReason: crashed ? "crashed" : result.stopReason,
    steps: result.steps,
    work: Number(result.work.toFixed(1)),
    seconds: Number(result.seconds.toFixed(1)),
    rounds: searchRounds(result.trace),
  };
  if (best) writeFileAtomic(`${resultsDir}models/${name}.json`, rnnToJson(best));
  process.stdout.write(
    `${name.padEnd(24)} ${row.perfect ? "perfect" : "NOT    "} hidden ${row.hiddenDim ?? "-"} (paper ${row.paperHiddenDim})  ${row.family ?? "-"}  ${row.seconds}s  ${row.attempts} attempts\n`,
  );
  return row;
}

function writeTables(rows: readonly TrainingRow[], wallSeconds: number, fullRun: boolean): void {
  const suffix = fullRun ? "" : "-subset";
  writeFileAtomic(`${resultsDir}training${suffix}.json`, `${JSON.stringify(rows, null, 1)}\n`);
  writeFileAtomic(`${resultsDir}training${suffix}.md`, formatTrainingTable(rows, wallSeconds));
}

export function formatTrainingTable(rows: readonly TrainingRow[], wallSeconds: number): string {
  const perfect = rows.filter((r) => r.perfect).length;
  const paperSolved = rows.filter((r) => r.paperSolved);
  const noLarger = paperSolved.filter((r) => r.perfect && r.hiddenDim! <= r.paperHiddenDim).length;
  const lines = [
    "# Training: the smallest perfect RNN per task",
    "",
    `Perfect (100% on 10,000 held-out sequences): **${perfect} of ${rows.length}** tasks. ` +
      `Hidden size no larger than the paper's on ${noLarger} of the ${paperSolved.length} tasks the paper solved. ` +
      `Wall time ${(wallSeconds / 60).toFixed(1)} min on 2 cores (\`npm run bench:train-all\`).`,
    "",
    "| task | perfect | hidden | paper hidden | params | family | encoding | head | held-out acc. | attempts | steps | work (ref. s) | seconds |",
    "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ...rows.map(
      (r) =>
        `| ${r.task} | ${r.perfect ? "yes" : "**no**"} | ${r.hiddenDim ?? "–"} | ${r.paperHiddenDim} | ${r.params ?? "–"} | ${r.family ?? "–"} | ${r.encoding ?? "–"} | ${r.head ?? "–"} | ${r.heldOutAccuracy === null ? "–" : `${(r.heldOutAccuracy * 100).toFixed(2)}%`} | ${r.attempts} | ${r.steps} | ${r.work} | ${r.seconds} |`,
    ),
    "",
  ];
  return lines.join("\n");
}

await main();
