/**
 * `npm run bench:train`: training throughput of each kernel, beside PyTorch on the same workload.
 *
 * One step = forward + backpropagation through time + AdamW update on one batch (seq length 10).
 * Models:
 *   simple  transition depth 1 (linear), readout depth 1, raw 1-dim input, regression (log loss)
 *   mlp2    transition depth 2 with hidden width = hidden size (the paper's MLP transition; the
 *           width follows the hidden size so that "hidden" names every matrix dimension), readout depth 1
 * Each figure is the median steps/s over 5 timed windows of ~0.3 s after a 0.3 s warm-up. Per row
 * the contenders take turns window by window (PyTorch, then each kernel, five rounds), so that all
 * of them see the same machine load.
 * PyTorch runs benchmarks/torch_train_speed.py (float32, its default dtype, 1 thread, OpenBLAS) in
 * the first Python that imports torch: `python3`, then `/usr/bin/python3`. Nothing is installed.
 *
 * Writes benchmarks/results/train-speed.json and prints a table. Options (for development):
 *   --model simple,mlp2  --hidden 2,4,8,16,32  --batch 256,1024  --kernel typescript,openblas
 *   --no-torch  --no-write  --window-seconds 0.3  --windows 5
 */
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { createInterface, type Interface } from "node:readline";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { writeFileAtomic } from "../common/atomic-write.js";
import { Random } from "../common/random.js";
import { AdamW } from "../rnn/adamw.js";
import { initParams } from "../rnn/init.js";
import { availableKernels, createKernel, preferredKernel } from "../rnn/kernels.js";
import type { Batch, KernelName, RnnConfig } from "../rnn/types.js";

type ModelName = "simple" | "mlp2";

export interface TrainSpeedRow {
  readonly hidden: number;
  readonly batch: number;
  readonly seqLen: number;
  readonly stepsPerSec: number;
  readonly torchStepsPerSec: number | null;
  /** stepsPerSec / torchStepsPerSec. */
  readonly ratio: number | null;
  readonly kernel: KernelName;
  readonly model: ModelName;
}

interface Timing {
  readonly warmupSeconds: number;
  readonly windows: number;
  readonly windowSeconds: number;
}

const SEQ_LEN = 10;
const LEARNING_RATE = 1e-3;
const WEIGHT_DECAY = 0.01;

function modelConfig(model: ModelName, hidden: number): RnnConfig {
  return {
    inputDim: 1,
    outputDim: 1,
    hiddenSize: hidden,
    transition: { depth: model === "simple" ? 1 : 2, width: hidden },
    readout: { depth: 1, width: hidden },
    encoding: { kind: "raw" },
    head: { kind: "regression", loss: "log" },
  };
}

/** A fixed random batch: integer inputs 0..9 and targets 0..9, as PyTorch's side draws them. */
function randomBatch(size: number, seqLen: number, rng: Random): Batch {
  const inputs = new Float64Array(size * seqLen);
  const targets = new Float64Array(size * seqLen);
  for (let i = 0; i < inputs.length; i++) {
    inputs[i] = rng.int(0, 9);
    targets[i] = rng.int(0, 9);
  }
  return { size, seqLen, inputs, targets };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** A set-up training loop for one kernel and model; `window` runs it for a while and returns steps/s. */
interface Trainer {
  window(seconds: number, minSteps?: number): number;
}

function kernelTrainer(kernelName: KernelName, model: ModelName, hidden: number, batchSize: number, timing: Timing): Trainer {
  const config = modelConfig(model, hidden);
  const kernel = createKernel(kernelName, config, batchSize);
  if (kernel.name !== kernelName) throw new Error(`kernel ${kernelName} is not available`);
  const rng = new Random(hidden * 7919 + batchSize);
  const params = initParams(config, rng);
  const grad = new Float64Array(params.length);
  const optimizer = new AdamW(params.length, { weightDecay: WEIGHT_DECAY });
  const batch = randomBatch(batchSize, SEQ_LEN, rng);
  const trainer: Trainer = {
    window(seconds, minSteps = 1) {
      let steps = 0;
      const start = performance.now();
      for (;;) {
        kernel.lossAndGradient(params, batch, grad);
        optimizer.step(params, grad, LEARNING_RATE);
        steps++;
        const elapsed = (performance.now() - start) / 1000;
        if (steps >= minSteps && elapsed >= seconds) return steps / elapsed;
      }
    },
  };
  trainer.window(timing.warmupSeconds, 3);
  return trainer;
}

/** The PyTorch side: a long-lived Python process answering one JSON line per request. */
class TorchRunner {
  private readonly lines: AsyncIterator<string>;

  private constructor(
    private readonly child: ChildProcessWithoutNullStreams,
    reader: Interface,
    readonly python: string,
  ) {
    this.lines = reader[Symbol.asyncIterator]();
  }

  /** Starts the script under the first Python that imports torch, or says why none could. */
  static async start(script: string): Promise<{ runner: TorchRunner; version: string } | { reason: string }> {
    const env = { ...process.env, OMP_NUM_THREADS: "1", OPENBLAS_NUM_THREADS: "1", MKL_NUM_THREADS: "1" };
    const tried: string[] = [];
    for (const python of ["python3", "/usr/bin/python3"]) {
      const probe = spawnSync(python, ["-c", "import torch"], { env, encoding: "utf8", timeout: 60_000 });
      if (probe.status !== 0) {
        tried.push(`${python}: ${probe.error?.message ?? probe.stderr.trim().split("\n").pop() ?? `exit ${probe.status}`}`);
        continue;
      }
      const child = spawn(python, [script], { env, stdio: ["pipe", "pipe", "pipe"] });
      child.stderr.on("data", (chunk: Buffer) => process.stderr.write(`[torch] ${chunk.toString()}`));
      const runner = new TorchRunner(child, createInterface({ input: child.stdout }), python);
      const hello = await runner.request({ hello: true });
      return { runner, version: String(hello["torch"]) };
    }
    return { reason: `no Python with torch (${tried.join("; ")})` };
  }

  async request(message: Record<string, unknown>): Promise<Record<string, unknown>> {
    this.child.stdin.write(`${JSON.stringify(message)}\n`);
    const next = await this.lines.next();
    if (next.done === true) throw new Error("the PyTorch benchmark process exited early");
    return JSON.parse(next.value) as Record<string, unknown>;
  }

  /** Builds the model on the Python side and warms it up; then `window` requests time it. */
  async setup(model: ModelName, hidden: number, batchSize: number, timing: Timing): Promise<void> {
    const config = modelConfig(model, hidden);
    await this.request({
      setup: {
        hidden,
        batch: batchSize,
        seqLen: SEQ_LEN,
        inputDim: config.inputDim,
        outputDim: config.outputDim,
        transitionDepth: config.transition.depth,
        transitionWidth: config.transition.width,
        readoutDepth: config.readout.depth,
        readoutWidth: config.readout.width,
        warmupSeconds: timing.warmupSeconds,
        dtype: "float32",
      },
    });
  }

  async window(seconds: number): Promise<number> {
    return Number((await this.request({ window: seconds }))["stepsPerSec"]);
  }

  close(): void {
    this.child.stdin.end();
  }
}

/** The package root: the nearest ancestor of this file with a package.json (works from dist/ and from source). */
function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, "package.json"))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error("package.json not found above the benchmark script");
    dir = parent;
  }
  return dir;
}

function fmt(value: number | null, digits = 0): string {
  return value === null ? "—" : value.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

function formatRow(row: TrainSpeedRow, auto: KernelName): string {
  return [
    row.model.padEnd(7),
    String(row.hidden).padStart(6),
    String(row.batch).padStart(6),
    `${row.kernel}${row.kernel === auto ? " *" : ""}`.padEnd(13),
    fmt(row.stepsPerSec).padStart(9),
    fmt(row.torchStepsPerSec).padStart(9),
    (row.ratio === null ? "—" : `${fmt(row.ratio, 2)}×`).padStart(7),
  ].join("  ");
}

const HEADER = ["model  ", "hidden", " batch", "kernel       ", "  steps/s", "  torch/s", "  ratio"].join("  ");

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      model: { type: "string", default: "simple,mlp2" },
      hidden: { type: "string", default: "2,4,8,16,32" },
      batch: { type: "string", default: "256,1024" },
      kernel: { type: "string", default: availableKernels().join(",") },
      "no-torch": { type: "boolean", default: false },
      "no-write": { type: "boolean", default: false },
      "window-seconds": { type: "string", default: "0.3" },
      windows: { type: "string", default: "5" },
    },
  });
  const list = (s: string): string[] => s.split(",").map((v) => v.trim()).filter((v) => v.length > 0);
  const models = list(values.model) as ModelName[];
  const hiddens = list(values.hidden).map(Number);
  const batches = list(values.batch).map(Number);
  const kernels = list(values.kernel) as KernelName[];
  const windowSeconds = Number(values["window-seconds"]);
  const timing: Timing = { warmupSeconds: windowSeconds, windows: Number(values.windows), windowSeconds };
  for (const k of kernels) {
    if (!availableKernels().includes(k)) throw new Error(`kernel ${k} is not available here (available: ${availableKernels().join(", ")})`);
  }

  const root = packageRoot();
  let torch: TorchRunner | null = null;
  if (!values["no-torch"]) {
    const started = await TorchRunner.start(join(root, "benchmarks", "torch_train_speed.py"));
    if ("reason" in started) console.log(`PyTorch: not measured, ${started.reason}`);
    else {
      torch = started.runner;
      console.log(`PyTorch ${started.version} via ${torch.python}: float32, 1 thread`);
    }
  }
  console.log(`training steps/s (forward + BPTT + AdamW), seq length ${SEQ_LEN}; median of ${timing.windows} × ${timing.windowSeconds} s windows; * = kernel "auto" picks`);
  console.log(HEADER);

  const rows: TrainSpeedRow[] = [];
  const started = performance.now();
  for (const model of models) {
    for (const batchSize of batches) {
      for (const hidden of hiddens) {
        // One window of each contender per round, so that all of them see the same machine load.
        await torch?.setup(model, hidden, batchSize, timing);
        const trainers = kernels.map((kernel) => kernelTrainer(kernel, model, hidden, batchSize, timing));
        const torchRates: number[] = [];
        const rates: number[][] = kernels.map(() => []);
        for (let round = 0; round < timing.windows; round++) {
          if (torch !== null) torchRates.push(await torch.window(timing.windowSeconds));
          trainers.forEach((trainer, k) => rates[k]!.push(trainer.window(timing.windowSeconds)));
        }
        const torchStepsPerSec = torch === null ? null : median(torchRates);
        const auto = preferredKernel(modelConfig(model, hidden), batchSize);
        kernels.forEach((kernel, k) => {
          const stepsPerSec = median(rates[k]!);
          const row: TrainSpeedRow = {
            hidden,
            batch: batchSize,
            seqLen: SEQ_LEN,
            stepsPerSec: Math.round(stepsPerSec * 10) / 10,
            torchStepsPerSec: torchStepsPerSec === null ? null : Math.round(torchStepsPerSec * 10) / 10,
            ratio: torchStepsPerSec === null ? null : Math.round((stepsPerSec / torchStepsPerSec) * 100) / 100,
            kernel,
            model,
          };
          rows.push(row);
          console.log(formatRow(row, auto));
        });
      }
    }
  }
  torch?.close();
  console.log(`measured in ${((performance.now() - started) / 1000).toFixed(0)} s; the machine is shared, so expect ±20% between runs`);
  if (!values["no-write"]) {
    const path = join(root, "benchmarks", "results", "train-speed.json");
    writeFileAtomic(path, `${JSON.stringify(rows, null, 2)}\n`);
    console.log(`wrote ${path}`);
  }
}

await main();
