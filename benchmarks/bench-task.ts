/**
 * One task of `mips bench`, in its own process (so a crash, a runaway allocation or a timeout is
 * that task's alone): synthesize the built-in task and write its cache entry — the leaderboard row,
 * the emitted Python file and the state diagram — atomically, then exit.
 *
 * argv[2]: JSON of BenchTaskInput.
 */
import { writeFileAtomic } from "../common/atomic-write.js";
import { MIPS_VERSION } from "../common/version.js";
import { machineToSvg } from "../fsm-extract/diagram.js";
import { synthesisReport } from "../synth/report.js";
import { synthesize } from "../synth/synthesize.js";
import { builtinTask } from "./builtin.js";
import { leaderboardRow, type LeaderboardRow } from "./leaderboard.js";

export interface BenchTaskInput {
  readonly task: string;
  readonly seed: number;
  readonly jobs: number;
  readonly budgetSeconds: number;
  readonly cacheFile: string;
  readonly key: CacheKey;
}

/** What a cached result was made from: a different task, seed, budget or code makes it stale. */
export interface CacheKey {
  readonly task: string;
  readonly seed: number;
  readonly budgetSeconds: number;
  readonly code: string;
}

export interface CacheEntry {
  readonly kind: "bench-task";
  readonly version: 1;
  readonly key: CacheKey;
  readonly row: LeaderboardRow;
  /** The verified program exactly as emitted (null when unsolved). */
  readonly python: string | null;
  /** The machine's state diagram (SVG) for finite machines of at most 24 states, else null. */
  readonly svg: string | null;
}

async function main(): Promise<void> {
  const input = JSON.parse(process.argv[2]!) as BenchTaskInput;
  const task = builtinTask(input.task, { seed: input.seed });
  if (!task) throw new Error(`bench-task: unknown task ${input.task}`);
  const result = await synthesize(task, { seed: input.seed, jobs: input.jobs, budgetSeconds: input.budgetSeconds });
  const report = synthesisReport(result, MIPS_VERSION);
  const machine = result.machine;
  const entry: CacheEntry = {
    kind: "bench-task",
    version: 1,
    key: input.key,
    row: leaderboardRow(report),
    python: result.status === "unsolved" ? null : result.program!.python,
    svg: machine && machine.path === "finite" && machine.states.length <= 24 ? machineToSvg(machine) : null,
  };
  writeFileAtomic(input.cacheFile, `${JSON.stringify(entry)}\n`);
}

await main();
