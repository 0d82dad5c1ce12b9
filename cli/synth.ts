/** `mips synth`: the whole compiler on one task — a verified Python program, or why there is none. */
import { Option, type Command } from "commander";
import cliProgress from "cli-progress";
import { machineToDot } from "../fsm-extract/diagram.js";
import { rnnToJson } from "../rnn/index.js";
import { MIPS_VERSION } from "../common/version.js";
import { outputDirProblem, writeOutputDir } from "../synth/output-dir.js";
import { formatSummary, synthesisReport } from "../synth/report.js";
import { synthesize, type ProgressEvent, type Stage, type Synthesis } from "../synth/synthesize.js";
import type { Task } from "../task/index.js";
import { BadInput, EXIT, nonNegativeInt, positiveInt, trainingBudgetOption, trainingBudgetSetting, write } from "./io.js";
import { loadModel } from "./extract.js";

interface SynthCliOptions {
  out?: string;
  seed: number;
  json?: boolean;
  budget: number;
  trainingBudget: number;
  jobs: number;
  model?: string;
}

export function registerSynthCommand(program: Command, loadTask: (spec: string) => Task): void {
  program
    .command("synth")
    .description("train, extract, regress, emit and verify: print a verified Python program for the task")
    .argument("<task>", "a built-in task name or a task.json path")
    .option("--out <dir>", "write program.py, program.ts, report.json, model.json, machine.json, machine.dot into DIR (replaced as a whole)")
    .addOption(new Option("--seed <seed>", "seed for every random choice").argParser(nonNegativeInt).default(0))
    .option("--json", "print the report (with both program sources) as JSON; no progress bars")
    .addOption(new Option("--budget <seconds>", "wall-clock budget of the run").argParser(positiveInt).default(900))
    .addOption(trainingBudgetOption())
    .addOption(new Option("--jobs <n>", "worker threads").argParser(positiveInt).default(2))
    .option("--model <model.json>", "start from this trained model instead of training one")
    .action(async (spec: string, opts: SynthCliOptions) => {
      const task = loadTask(spec);
      // Bad output paths are bad input: say so before spending minutes on training.
      if (opts.out !== undefined) {
        const problem = outputDirProblem(opts.out);
        if (problem !== null) throw new BadInput(`--out ${opts.out}: ${problem}`);
      }
      const model = opts.model !== undefined ? loadModel(opts.model, task) : undefined;
      const bars = !opts.json && process.stderr.isTTY ? new StageBars() : null;
      const result = await synthesize(task, {
        seed: opts.seed,
        jobs: opts.jobs,
        budgetSeconds: opts.budget,
        ...trainingBudgetSetting(opts.trainingBudget),
        ...(model ? { model } : {}),
        ...(bars ? { onProgress: (e: ProgressEvent) => bars.update(e) } : {}),
      });
      bars?.stop();
      const report = synthesisReport(result, MIPS_VERSION);
      if (opts.out !== undefined) writeOutputDir(opts.out, resultFiles(result, JSON.stringify(report, null, 1) + "\n"));
      if (opts.json) {
        write(JSON.stringify({ ...report, python: result.program?.python ?? null, typescript: result.program?.typescript ?? null }, null, 1));
      } else {
        if (result.status !== "unsolved" && result.program) write(result.program.python);
        write(formatSummary(report));
        if (opts.out !== undefined) write(`written to ${opts.out}/`);
      }
      process.exitCode = result.status === "unsolved" ? EXIT.failed : EXIT.ok;
    });
}

/** The files of --out: the program only when one was emitted, the model and machine when they exist. */
function resultFiles(s: Synthesis, report: string): Record<string, string> {
  const files: Record<string, string> = { "report.json": report };
  if (s.program) {
    files["program.py"] = s.program.python;
    files["program.ts"] = s.program.typescript;
  }
  if (s.model) files["model.json"] = rnnToJson(s.model);
  if (s.machine) {
    files["machine.json"] = JSON.stringify(s.machine) + "\n";
    files["machine.dot"] = machineToDot(s.machine);
  }
  return files;
}

/** One progress line per stage on stderr: a spinner-like count while it runs, its time when done. */
class StageBars {
  private readonly multi = new cliProgress.MultiBar(
    { format: "{stage} | {bar} | {status}", stream: process.stderr, hideCursor: true, clearOnComplete: false, barsize: 20 },
    cliProgress.Presets.shades_classic,
  );
  private readonly bars = new Map<Stage, { bar: cliProgress.SingleBar; started: number }>();

  update(e: ProgressEvent): void {
    let entry = this.bars.get(e.stage);
    if (!entry) {
      entry = { bar: this.multi.create(1, 0, { stage: e.stage.padEnd(7), status: "running" }), started: performance.now() };
      this.bars.set(e.stage, entry);
    }
    if (e.status === "progress") {
      entry.bar.setTotal(Math.max(e.total ?? (e.done ?? 0) + 1, 1));
      entry.bar.update(e.done ?? 0, { status: e.detail ?? "" });
    } else if (e.status === "done") {
      entry.bar.setTotal(1);
      entry.bar.update(1, { status: `done in ${((performance.now() - entry.started) / 1000).toFixed(1)} s` });
    }
  }

  stop(): void {
    this.multi.stop();
  }
}
