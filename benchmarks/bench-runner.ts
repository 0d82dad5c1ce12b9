/**
 * What the per-task benchmark scripts (bench:train-all, bench:extract) share: their command-line
 * options and a pool that runs tasks `jobs` at a time, keeping rows in task order.
 */
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { Worker } from "node:worker_threads";
import { DEFAULT_TRAINING_BUDGET } from "../rnn/search.js";
import { benchmarkTasks } from "./tasks.js";

export const resultsDir = fileURLToPath(new URL("../../benchmarks/results/", import.meta.url));

export interface BenchOptions {
  readonly names: readonly string[];
  readonly seed: number;
  readonly jobs: number;
  readonly limitMs: number;
  /** Training work per architecture search in reference seconds (--train-budget; 0 = Infinity, none). */
  readonly trainingBudget: number;
  /** True when every built-in task runs (results go to the committed tables, else to "-subset" ones). */
  readonly fullRun: boolean;
}

/** --tasks A,B (a subset), --seed S, --jobs N, --task-time-limit SECONDS, --train-budget SECONDS; exits 2 on an unknown task. */
export function parseBenchOptions(script: string, defaultLimitSeconds: number): BenchOptions {
  const { values } = parseArgs({
    options: {
      tasks: { type: "string" },
      seed: { type: "string", default: "0" },
      jobs: { type: "string", default: "2" },
      "task-time-limit": { type: "string", default: String(defaultLimitSeconds) },
      "train-budget": { type: "string", default: String(DEFAULT_TRAINING_BUDGET) },
    },
  });
  const trainingBudget = Number(values["train-budget"]);
  if (values["train-budget"].trim() === "" || !(trainingBudget >= 0)) {
    process.stderr.write(`${script}: --train-budget: expected a non-negative number of reference seconds, got "${values["train-budget"]}"\n`);
    process.exit(2);
  }
  const names = values.tasks ? values.tasks.split(",") : benchmarkTasks.map((t) => t.name);
  const unknown = names.filter((n) => !benchmarkTasks.some((t) => t.name === n));
  if (unknown.length > 0) {
    process.stderr.write(`${script}: --tasks: unknown task ${unknown.join(", ")}\n`);
    process.exit(2);
  }
  return {
    names,
    seed: Number(values.seed),
    jobs: Math.max(1, Number(values.jobs)),
    limitMs: Number(values["task-time-limit"]) * 1000,
    trainingBudget: trainingBudget > 0 ? trainingBudget : Infinity,
    fullRun: names.length === benchmarkTasks.length,
  };
}

/**
 * Run `runTask` on every name, `jobs` at a time; after each task, `onRows` gets every finished row
 * in task order (so an interrupted run keeps what it finished).
 */
export async function runTaskPool<Row>(
  names: readonly string[],
  jobs: number,
  runTask: (name: string) => Promise<Row>,
  onRows: (rows: readonly Row[]) => void,
): Promise<void> {
  const finished: Array<{ index: number; row: Row }> = [];
  let nextTask = 0;
  const worker = async (): Promise<void> => {
    while (nextTask < names.length) {
      const index = nextTask++;
      finished.push({ index, row: await runTask(names[index]!) });
      finished.sort((a, b) => a.index - b.index);
      onRows(finished.map((f) => f.row));
    }
  };
  await Promise.all(Array.from({ length: jobs }, worker));
}

/**
 * Run one task in its own worker thread and resolve with the message it posts; a crash or a run
 * past `timeoutMs` resolves with `failed(reason)` instead: that task's failure, never the run's.
 */
export function runInWorker<T>(url: URL, workerData: unknown, timeoutMs: number, failed: (reason: string) => T, timeoutReason: string): Promise<T> {
  return new Promise((resolve) => {
    const worker = new Worker(url, { workerData });
    const timer = setTimeout(() => {
      void worker.terminate();
      resolve(failed(timeoutReason));
    }, timeoutMs);
    worker.once("message", (message: T) => {
      clearTimeout(timer);
      void worker.terminate();
      resolve(message);
    });
    worker.once("error", (error) => {
      clearTimeout(timer);
      resolve(failed(`crashed: ${error.message.split("\n")[0]}`));
    });
  });
}
