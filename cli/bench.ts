/** `mips bench`: the leaderboard — the whole pipeline on every selected built-in task. */
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { Option, type Command } from "commander";
import { runBench } from "../benchmarks/bench.js";
import { summaryLine } from "../benchmarks/leaderboard.js";
import { benchmarkTasks, suggestBenchmarkTaskNames } from "../benchmarks/tasks.js";
import { BadInput, EXIT, nonNegativeInt, positiveInt, write } from "./io.js";

interface BenchCliOptions {
  tasks?: string;
  jobs: number;
  seed: number;
  out?: string;
  resume?: boolean;
  budget: number;
  json?: boolean;
}

/** The package root: dist/cli/bench.js (or cli/bench.ts under test) is two levels down. */
const packageRoot = (): string => fileURLToPath(new URL(import.meta.url.includes("/dist/") ? "../../" : "../", import.meta.url));

export function registerBenchCommand(program: Command): void {
  program
    .command("bench")
    .description("run mips synth on the built-in tasks and write the leaderboard (results.json, LEADERBOARD.md, programs/, index.html)")
    .option("--tasks <A,B,…>", "only these tasks (default: all 62)")
    .addOption(new Option("--jobs <n>", "tasks at a time, each in its own process").argParser(positiveInt).default(availableParallelism()))
    .addOption(new Option("--seed <seed>", "seed of every task").argParser(nonNegativeInt).default(0))
    .option("--out <dir>", "output directory (default benchmarks/leaderboard/, or benchmarks/leaderboard-subset/ with --tasks)")
    .option("--resume", "reuse finished tasks cached in DIR/cache for the same task, seed, budget and code")
    .addOption(new Option("--budget <seconds>", "each task's synthesis budget; its process is stopped 120 s later").argParser(positiveInt).default(300))
    .option("--json", "print results.json instead of the summary")
    .action(async (opts: BenchCliOptions) => {
      const tasks = opts.tasks === undefined ? benchmarkTasks.map((t) => t.name) : opts.tasks.split(",").map((t) => t.trim());
      for (const t of tasks) {
        if (!benchmarkTasks.some((b) => b.name === t)) {
          const near = suggestBenchmarkTaskNames(t);
          throw new BadInput(`--tasks: unknown built-in task "${t}"${near.length > 0 ? `; did you mean ${near.join(", ")}?` : ""}`);
        }
      }
      const outDir = opts.out ?? `${packageRoot()}benchmarks/${opts.tasks === undefined ? "leaderboard" : "leaderboard-subset"}`;
      const results = await runBench({
        tasks,
        jobs: opts.jobs,
        seed: opts.seed,
        outDir,
        resume: opts.resume === true,
        budgetSeconds: opts.budget,
        onTask: (e) => {
          if (opts.json) return;
          const what = e.row.status === "unsolved" ? `unsolved at ${e.row.stage}: ${(e.row.reason ?? "").slice(0, 100)}` : `${e.row.status} (${e.row.lines.length} lines)`;
          write(`[${String(e.index).padStart(2)}/${e.total}] ${e.task.padEnd(28)} ${e.cached ? "cached " : ""}${what}  ${e.seconds.toFixed(1)} s`);
        },
      });
      if (opts.json) write(JSON.stringify(results, null, 1));
      else write(`${summaryLine(results).replace(/\*\*/g, "")}\nwritten to ${outDir}/`);
      process.exitCode = EXIT.ok;
    });
}
