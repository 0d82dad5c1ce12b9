/** `mips extract`: train (or load) the network, normalize it, and read its machine out. */
import { readFileSync } from "node:fs";
import { Option, type Command } from "commander";
import { writeFileAtomic } from "../common/atomic-write.js";
import { formatTextTable } from "../common/text-table.js";
import { machineToDot, machineToMermaid } from "../fsm-extract/diagram.js";
import { extractModel, type ModelExtraction } from "../fsm-extract/pipeline.js";
import { rnnFromJson, searchArchitecture, type Rnn } from "../rnn/index.js";
import type { Task } from "../task/index.js";
import { BadInput, EXIT, nonNegativeInt, positiveInt, write } from "./io.js";

interface ExtractCliOptions {
  model?: string;
  seed: number;
  jobs: number;
  dot?: string;
  mermaid?: string;
  json?: boolean;
}

export function registerExtractCommand(program: Command, loadTask: (spec: string) => Task): void {
  program
    .command("extract")
    .description("read a trained network's hidden states out as an integer machine, checked on held-out data")
    .argument("<task>", "a built-in task name or a task.json path")
    .option("--model <model.json>", "use this trained model instead of training one")
    .addOption(new Option("--seed <seed>", "seed for training, normalizing and clustering").argParser(nonNegativeInt).default(0))
    .addOption(new Option("--jobs <n>", "worker threads for training").argParser(positiveInt).default(2))
    .option("--dot <file>", "write the state diagram as Graphviz DOT")
    .option("--mermaid <file>", "write the state diagram as Mermaid")
    .option("--json", "print the machine, its check and every attempt as JSON")
    .action(async (spec: string, opts: ExtractCliOptions) => {
      const task = loadTask(spec);
      const rnn = opts.model ? loadModel(opts.model, task) : await trainModel(task, opts);
      if (rnn === null) {
        write(`task ${task.name}: no perfect network found, nothing to extract`);
        process.exitCode = EXIT.failed;
        return;
      }
      const result = extractModel(rnn, task.dataset, { seed: opts.seed });
      if (result.machine) {
        if (opts.dot) writeFileAtomic(opts.dot, machineToDot(result.machine));
        if (opts.mermaid) writeFileAtomic(opts.mermaid, machineToMermaid(result.machine));
      }
      write(opts.json ? JSON.stringify({ task: task.name, ...result }, null, 1) : formatExtraction(task.name, result));
      process.exitCode = result.machine ? EXIT.ok : EXIT.failed;
    });
}

export function loadModel(path: string, task: Task): Rnn {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new BadInput(`${path}: cannot read the model (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  const parsed = rnnFromJson(text, path);
  if (!parsed.ok) throw new BadInput(parsed.failure.message);
  const { inputDim, outputDim } = parsed.value.config;
  if (inputDim !== task.inputDim || outputDim !== task.outputDim) {
    throw new BadInput(`${path}: config: the model maps ${inputDim} inputs to ${outputDim} outputs, task ${task.name} has ${task.inputDim} and ${task.outputDim}`);
  }
  return parsed.value;
}

async function trainModel(task: Task, opts: ExtractCliOptions): Promise<Rnn | null> {
  if (!opts.json && process.stderr.isTTY) process.stderr.write(`training ${task.name} (architecture search)…\n`);
  const search = await searchArchitecture(task.dataset, { seed: opts.seed, jobs: opts.jobs });
  return search.perfect ? search.best : null;
}

/** The one-screen summary: model, normalization, path taken, check, and every attempt. */
export function formatExtraction(taskName: string, result: ModelExtraction): string {
  const lines = [`task ${taskName}`, `network  hidden ${result.hiddenSize.before} → ${result.hiddenSize.after} after normalizing`];
  const kept = result.normalization.filter((s) => s.kept).map((s) => s.name);
  lines.push(`normalize  ${kept.length > 0 ? kept.join(", ") : "nothing kept"}`);
  const m = result.machine;
  if (m) {
    const how = m.path === "lattice" ? `lattice (${m.lattice!.construction}), rank ${m.stateDim}, max residual ${m.lattice!.maxResidual.toExponential(1)}` : `finite states (${m.clusters!.method} ${m.clusters!.parameter}), ${m.clusters!.statesBeforeMinimisation} before minimising`;
    lines.push(`machine  ${m.states.length} states, ${m.inputs.length} inputs seen, ${m.transitions.length} transitions — ${how}`);
    lines.push(`check    exact on ${result.check!.sequences.toLocaleString("en-US")} held-out sequences (${result.check!.positions.toLocaleString("en-US")} positions)`);
  } else {
    lines.push(`machine  none: ${result.failure!.detail}`);
  }
  lines.push("", "attempts:");
  const rows = result.attempts.map((a) => [a.network, a.path, a.method, a.size === null ? "–" : String(a.size), a.exact ? "exact" : "no", a.detail]);
  lines.push(...formatTextTable(["network", "path", "method", "size", "check", "detail"], rows).map((l) => `  ${l}`));
  lines.push(`(${result.seconds.toFixed(1)} s)`);
  return lines.join("\n");
}
