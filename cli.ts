/**
 * The `mips` command line: parses argv, calls the library, prints, and sets the exit code.
 * Exit codes: 0 success, 1 task not solved / run failed, 2 bad input.
 */
import { formatTextTable } from "./common/text-table.js";
import { Command, CommanderError, Option } from "commander";
import { benchmarkTasks } from "./benchmarks/index.js";
import { describeTaskError, formatExample, resolveTask, type Task } from "./task/index.js";
import { registerBenchCommand } from "./cli/bench.js";
import { registerExtractCommand } from "./cli/extract.js";
import { registerSynthCommand } from "./cli/synth.js";
import { registerTrainCommand } from "./cli/train.js";
import { MIPS_VERSION } from "./common/version.js";
import { BadInput, EXIT, nonNegativeInt, positiveInt, write } from "./cli/io.js";

export async function main(argv: readonly string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync([...argv]);
    return process.exitCode === undefined ? EXIT.ok : Number(process.exitCode);
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end here with exit code 0; usage errors are bad input.
      return error.exitCode === 0 ? EXIT.ok : EXIT.badInput;
    }
    if (error instanceof BadInput) {
      process.stderr.write(`mips: ${error.message}\n`);
      return EXIT.badInput;
    }
    process.stderr.write(`mips: ${(error as Error).stack ?? String(error)}\n`);
    return EXIT.failed;
  }
}

export function buildProgram(): Command {
  const program = new Command("mips")
    .description("Compile trained recurrent networks into verified Python programs (MIPS)")
    .version(MIPS_VERSION)
    .exitOverride()
    .showHelpAfterError()
    .configureOutput({ writeErr: (s) => process.stderr.write(s), writeOut: (s) => process.stdout.write(s) });

  program
    .command("tasks")
    .description("list the 62 built-in benchmark tasks")
    .option("--json", "machine-readable output")
    .action((opts: { json?: boolean }) => {
      if (opts.json) {
        const rows = benchmarkTasks.map(({ reference: _reference, ...spec }) => spec);
        write(JSON.stringify(rows, null, 1));
        return;
      }
      write(formatTaskTable());
    });

  program
    .command("data")
    .description("print a task's examples as JSON Lines {\"x\": [[…],…], \"y\": [[…],…]}")
    .argument("<task>", "a built-in task name or a task.json path")
    .addOption(new Option("--n <count>", "number of sequences").argParser(positiveInt).default(10))
    .addOption(new Option("--seed <seed>", "sampling seed").argParser(nonNegativeInt).default(0))
    .addOption(new Option("--length <steps>", "sequence length (built-in tasks only)").argParser(positiveInt))
    .action((spec: string, opts: { n: number; seed: number; length?: number }) => {
      const task = loadTaskOrThrow(spec);
      write(dataLines(task, opts).join("\n"));
    });

  registerTrainCommand(program, loadTaskOrThrow);
  registerExtractCommand(program, loadTaskOrThrow);
  registerSynthCommand(program, loadTaskOrThrow);
  registerBenchCommand(program);
  return program;
}

/** Built-in tasks are sampled afresh with the seed; data-file tasks print their first n training examples. */
function dataLines(task: Task, opts: { n: number; seed: number; length?: number }): string[] {
  if (task.sample) return task.sample(opts.n, opts.seed, opts.length).map(formatExample);
  if (opts.length !== undefined) throw new BadInput(`${task.name}: --length needs a built-in task (this one has fixed data files)`);
  return task.dataset.train.slice(0, opts.n).map(formatExample);
}

function loadTaskOrThrow(spec: string): Task {
  const result = resolveTask(spec);
  if (!result.ok) throw new BadInput(describeTaskError(result.failure));
  return result.value;
}

function formatTaskTable(): string {
  const header = ["task", "in", "out", "alphabet", "len", "paper hidden", "paper MIPS", "GPT-4"];
  const rows = benchmarkTasks.map((t) => [
    t.name,
    String(t.inputDim),
    String(t.outputDim),
    `${t.input.min}..${t.input.max}`,
    String(t.seqLen),
    String(t.paper.rnnHiddenDim),
    t.paper.mipsSolved ? `yes (${t.paper.mipsMethod})` : "no",
    t.paper.gpt4Solved ? "yes" : "no",
  ]);
  return formatTextTable(header, rows).join("\n");
}
