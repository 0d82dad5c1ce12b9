/** `mips train`: architecture search for the smallest perfect network. */
import { Option, type Command } from "commander";
import cliProgress from "cli-progress";
import { writeFileAtomic } from "../common/atomic-write.js";
import { rnnToJson, searchArchitecture, formatSearch, type Attempt, type KernelChoice } from "../rnn/index.js";
import type { Task } from "../task/index.js";
import { EXIT, nonNegativeInt, positiveInt, trainingBudgetOption, trainingBudgetSetting, write } from "./io.js";

interface TrainOptions {
  seed: number;
  out?: string;
  json?: boolean;
  jobs: number;
  kernel: KernelChoice;
  maxHidden?: number;
  trainingBudget: number;
}

export function registerTrainCommand(program: Command, loadTask: (spec: string) => Task): void {
  program
    .command("train")
    .description("search for the smallest RNN that is 100% right on held-out data")
    .argument("<task>", "a built-in task name or a task.json path")
    .addOption(new Option("--seed <seed>", "search seed").argParser(nonNegativeInt).default(0))
    .option("--out <model.json>", "write the winning model as JSON")
    .option("--json", "machine-readable output (the search result without weights)")
    .addOption(new Option("--jobs <n>", "worker threads").argParser(positiveInt).default(2))
    .addOption(new Option("--kernel <name>", "training kernel").choices(["auto", "typescript", "openblas"]).default("auto"))
    .addOption(new Option("--max-hidden <n>", "largest hidden size to try").argParser(positiveInt))
    .addOption(trainingBudgetOption())
    .action(async (spec: string, opts: TrainOptions) => {
      const task = loadTask(spec);
      // The search decides as it goes how many candidates it tries, so progress is a count, not a bar.
      const status = !opts.json && process.stderr.isTTY
        ? new cliProgress.SingleBar({ format: "search | {value} attempts | last: {last}", stream: process.stderr, hideCursor: true }, cliProgress.Presets.legacy)
        : null;
      status?.start(0, 0, { last: "" });
      const result = await searchArchitecture(task.dataset, {
        seed: opts.seed,
        jobs: opts.jobs,
        kernel: opts.kernel,
        ...trainingBudgetSetting(opts.trainingBudget),
        ...(opts.maxHidden !== undefined ? { space: { hiddenSizes: hiddenSizesUpTo(opts.maxHidden) } } : {}),
        onAttempt: (attempt: Attempt) => {
          status?.increment(1, { last: `hidden ${attempt.hiddenSize} ${attempt.family} ${(attempt.heldOutAccuracy * 100).toFixed(2)}% in ${attempt.seconds.toFixed(1)} s` });
        },
      });
      status?.stop();
      if (opts.out && result.best) writeFileAtomic(opts.out, rnnToJson(result.best));
      if (opts.json) {
        const { best, ...rest } = result;
        write(JSON.stringify({ task: task.name, ...rest, config: best?.config ?? null, training: best?.training ?? null }, null, 1));
      } else {
        write(`task ${task.name}\n${formatSearch(result)}`);
        if (opts.out && result.best) write(`model written to ${opts.out}`);
      }
      process.exitCode = result.perfect ? EXIT.ok : EXIT.failed;
    });
}

export function hiddenSizesUpTo(maxHidden: number): number[] {
  const sizes = [1, 2, 3, 4, 5, 6, 7, 8, 12, 16, 24, 32, 48, 64];
  const chosen = sizes.filter((h) => h <= maxHidden);
  if (chosen[chosen.length - 1] !== maxHidden) chosen.push(maxHidden);
  return chosen;
}
