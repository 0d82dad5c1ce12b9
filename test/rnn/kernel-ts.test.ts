import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Random } from "../../common/random.js";
import { makeBatches } from "../../rnn/batch.js";
import { paramsOf } from "../../rnn/init.js";
import { createTypeScriptKernel } from "../../rnn/kernel-ts.js";
import { generatedKernelFits, generateSource } from "../../rnn/kernel-ts-gen.js";
import { headWidth, paramLayout } from "../../rnn/params.js";
import { referenceLoss, runSequence } from "../../rnn/reference.js";
import type { Batch, Kernel, RnnConfig } from "../../rnn/types.js";
import type { Example } from "../../task/types.js";
import { arbitraryConfig, makeConfig, randomExamples, randomRnn } from "./helpers.js";

function close(a: number, b: number, tol = 1e-12): boolean {
  return Math.abs(a - b) <= tol * (1 + Math.abs(a) + Math.abs(b));
}

const paths = ["generated", "tiled"] as const;

/** Forward outputs against the reference model and the loss against the reference loss; throws on a mismatch. */
function checkAgainstReference(kernel: Kernel, config: RnnConfig, seed: number, examples: Example[]): void {
  const rnn = randomRnn(config, seed);
  const params = paramsOf(rnn);
  const hw = headWidth(config.outputDim, config.head);
  for (const batch of makeBatches(config, examples)) {
    const out = kernel.forward(params, batch);
    const first = examples.findIndex((ex) => ex.x.length === batch.seqLen);
    for (let b = 0; b < batch.size; b++) {
      const run = runSequence(rnn, examples[first + b]!.x);
      for (let t = 0; t < batch.seqLen; t++) {
        for (let j = 0; j < hw; j++) {
          const fast = out[(t * batch.size + b) * hw + j]!;
          if (!close(fast, run.outputs[t]![j]!)) throw new Error(`${kernel.name} t=${t} b=${b} j=${j}: kernel ${fast}, reference ${run.outputs[t]![j]}`);
        }
      }
    }
  }
  // Mean over every entry: the batches' means weighted by their entry counts.
  let weighted = 0;
  let entries = 0;
  for (const batch of makeBatches(config, examples, 1 << 20)) {
    const count = batch.seqLen * batch.size * config.outputDim;
    weighted += kernel.lossAndGradient(params, batch, new Float64Array(params.length)) * count;
    entries += count;
  }
  const loss = weighted / entries;
  if (!close(loss, referenceLoss(rnn, examples), 1e-11)) throw new Error(`loss ${loss} vs reference ${referenceLoss(rnn, examples)}`);
}

/** Loss and gradient of one path. */
function lossAndGradient(path: (typeof paths)[number], config: RnnConfig, params: Float64Array, batch: Batch): { loss: number; grad: Float64Array } {
  const grad = new Float64Array(params.length).fill(Number.NaN);
  const loss = createTypeScriptKernel(config, { path }).lossAndGradient(params, batch, grad);
  return { loss, grad };
}

function expectSameGradient(a: { loss: number; grad: Float64Array }, b: { loss: number; grad: Float64Array }, tol = 1e-10): void {
  expect(close(a.loss, b.loss, tol)).toBe(true);
  let scale = 0;
  for (const v of a.grad) scale = Math.max(scale, Math.abs(v));
  for (let i = 0; i < a.grad.length; i++) {
    if (!(Math.abs(a.grad[i]! - b.grad[i]!) <= tol * (scale + 1e-12))) throw new Error(`gradient[${i}]: ${a.grad[i]} vs ${b.grad[i]}`);
  }
}

describe("TypeScript kernel", () => {
  for (const path of paths) {
    it(`${path}: forward equals the reference model, and its loss the reference loss`, () => {
      fc.assert(
        fc.property(arbitraryConfig, fc.integer({ min: 1, max: 19 }), fc.integer({ min: 1, max: 6 }), fc.nat(), ({ config, inputRange, outputRange }, count, seqLen, seed) => {
          const examples = randomExamples(config, count, seqLen, seed + 1, inputRange, outputRange);
          checkAgainstReference(createTypeScriptKernel(config, { path }), config, seed, examples);
        }),
        { numRuns: 150, seed: 42 },
      );
    });
  }

  it("small configs take the generated path and large ones the tiled path", () => {
    expect(generatedKernelFits(makeConfig({ hiddenSize: 4, inputDim: 1, outputDim: 1 }))).toBe(true);
    expect(generatedKernelFits(makeConfig({ hiddenSize: 32, inputDim: 1, outputDim: 1 }))).toBe(false);
    expect(generatedKernelFits(makeConfig({ hiddenSize: 8, transitionDepth: 2, readoutDepth: 2, width: 16, encoding: "one-hot", head: "classification" }))).toBe(false);
  });

  it("generated and tiled paths give the same loss and gradient", () => {
    fc.assert(
      fc.property(arbitraryConfig, fc.integer({ min: 1, max: 140 }), fc.integer({ min: 1, max: 5 }), fc.nat(), ({ config, inputRange, outputRange }, count, seqLen, seed) => {
        const examples = randomExamples(config, count, seqLen, seed + 1, inputRange, outputRange);
        const [batch] = makeBatches(config, examples);
        const params = paramsOf(randomRnn(config, seed));
        expectSameGradient(lossAndGradient("generated", config, params, batch!), lossAndGradient("tiled", config, params, batch!));
      }),
      { numRuns: 120, seed: 5 },
    );
  });

  it("matches the reference on networks too large to unroll, and across chunks (more than 64 sequences)", () => {
    const configs = [
      makeConfig({ hiddenSize: 33, inputDim: 1, outputDim: 1, head: "log" }),
      makeConfig({ hiddenSize: 9, transitionDepth: 2, readoutDepth: 2, width: 17, encoding: "one-hot", head: "classification", inputRange: { min: 0, max: 4 } }),
      makeConfig({ hiddenSize: 10, transitionDepth: 3, readoutDepth: 2, width: 13, encoding: "raw", head: "mse" }),
    ];
    configs.forEach((config, n) => {
      expect(generatedKernelFits(config)).toBe(false);
      const examples = [...randomExamples(config, 70, 5, 10 + n, { min: 0, max: 4 }), ...randomExamples(config, 131, 3, 20 + n, { min: 0, max: 4 })];
      checkAgainstReference(createTypeScriptKernel(config), config, n, examples);
    });
    // And the generated path beyond one chunk.
    const small = makeConfig({ hiddenSize: 3, encoding: "one-hot", head: "classification", transitionDepth: 2 });
    checkAgainstReference(createTypeScriptKernel(small, { path: "generated" }), small, 7, randomExamples(small, 150, 4, 8));
  });

  it("tiled path: gradient matches central differences on a large config", () => {
    const config = makeConfig({ hiddenSize: 12, inputDim: 2, transitionDepth: 2, readoutDepth: 2, width: 14, encoding: "one-hot", head: "classification", inputRange: { min: 0, max: 4 } });
    expect(generatedKernelFits(config)).toBe(false);
    const params = paramsOf(randomRnn(config, 3));
    const [batch] = makeBatches(config, randomExamples(config, 70, 4, 4, { min: 0, max: 4 }));
    const kernel = createTypeScriptKernel(config);
    const grad = new Float64Array(params.length);
    kernel.lossAndGradient(params, batch!, grad);
    const scratch = new Float64Array(params.length);
    const rng = new Random(1);
    for (let n = 0; n < 60; n++) {
      const i = rng.int(0, params.length - 1);
      const p0 = params[i]!;
      params[i] = p0 + 1e-5;
      const up = kernel.lossAndGradient(params, batch!, scratch);
      params[i] = p0 - 1e-5;
      const down = kernel.lossAndGradient(params, batch!, scratch);
      params[i] = p0;
      const numeric = (up - down) / 2e-5;
      expect(Math.abs(grad[i]! - numeric) / Math.max(Math.abs(grad[i]!), Math.abs(numeric), 1e-4)).toBeLessThan(1e-5);
    }
  });

  it("one-hot inputs are exact for any encoded values (nonzero lists), as the same network with real inputs", () => {
    // A one-hot config and a raw config with inputDim = encoded width have the same parameter layout;
    // fed the same encoded batch (values other than 0/1, several nonzeros), they must agree.
    for (const inputRange of [
      { min: 0, max: 9 },
      { min: 0, max: 2 },
    ]) {
      const oneHot = makeConfig({ inputDim: 1, hiddenSize: 4, transitionDepth: 2, width: 5, encoding: "one-hot", inputRange });
      const width = paramLayout(oneHot).encodedWidth;
      const raw: RnnConfig = { ...oneHot, inputDim: width, encoding: { kind: "raw" } };
      const rng = new Random(width);
      const size = 70;
      const seqLen = 3;
      const inputs = Float64Array.from({ length: seqLen * size * width }, () => (rng.next() < 0.3 ? rng.int(-2, 2) * 0.75 : 0));
      const targets = Float64Array.from({ length: seqLen * size * oneHot.outputDim }, () => rng.int(-1, 1));
      const batch: Batch = { size, seqLen, inputs, targets };
      const params = paramsOf(randomRnn(oneHot, 2));
      for (const path of paths) {
        const a = { loss: 0, grad: new Float64Array(params.length) };
        a.loss = createTypeScriptKernel(oneHot, { path }).lossAndGradient(params, batch, a.grad);
        const b = { loss: 0, grad: new Float64Array(params.length) };
        b.loss = createTypeScriptKernel(raw, { path: "tiled" }).lossAndGradient(params, batch, b.grad);
        expectSameGradient(a, b, 1e-12);
      }
    }
  });

  it("gives the same gradient whatever the batch's chunking and buffer reuse", () => {
    const config = makeConfig({ encoding: "one-hot", head: "classification", transitionDepth: 2, readoutDepth: 2 });
    const rnn = randomRnn(config, 3);
    const params = paramsOf(rnn);
    const examples = randomExamples(config, 150, 4, 9);
    for (const path of paths) {
      const kernel = createTypeScriptKernel(config, { path });
      const grads = [150, 65, 1].map((n) => {
        // 150 sequences in one batch, in batches of 65, or one at a time (averaged): the same mean gradient.
        const total = new Float64Array(params.length);
        const g = new Float64Array(params.length);
        for (const batch of makeBatches(config, examples, n)) {
          kernel.lossAndGradient(params, batch, g);
          for (let i = 0; i < g.length; i++) total[i]! += (g[i]! * batch.size) / examples.length;
        }
        return total;
      });
      for (const other of [grads[1]!, grads[2]!]) for (let i = 0; i < params.length; i++) expect(close(grads[0]![i]!, other[i]!, 1e-12)).toBe(true);
    }
  });

  it("is deterministic: fresh kernels and repeated calls give identical bits", () => {
    for (const config of [makeConfig({ hiddenSize: 4, head: "log" }), makeConfig({ hiddenSize: 20, transitionDepth: 2, width: 16, encoding: "one-hot", head: "classification" })]) {
      const params = paramsOf(randomRnn(config, 1));
      const [batch] = makeBatches(config, randomExamples(config, 100, 5, 2));
      const runs = [createTypeScriptKernel(config), createTypeScriptKernel(config)].flatMap((kernel) =>
        [0, 1].map(() => {
          const grad = new Float64Array(params.length);
          const loss = kernel.lossAndGradient(params, batch!, grad);
          return [loss, ...grad, ...kernel.forward(params, batch!)];
        }),
      );
      for (const run of runs.slice(1)) expect(run).toEqual(runs[0]);
    }
  });

  it("throws on a classification target outside the head's range", () => {
    const config = makeConfig({ head: "classification" });
    const examples = randomExamples(config, 2, 2, 1, undefined, { min: 5, max: 5 });
    const [batch] = makeBatches(config, examples);
    const params = paramsOf(randomRnn(config, 1));
    for (const path of paths) {
      const kernel = createTypeScriptKernel(config, { path });
      expect(() => kernel.lossAndGradient(params, batch!, new Float64Array(params.length))).toThrow(/outside the head's range/);
    }
  });

  it("generates the same source for the same config (the compilation cache key)", () => {
    const config = makeConfig({ hiddenSize: 2 });
    expect(generateSource(config)).toBe(generateSource({ ...config }));
    expect(generateSource(config)).not.toBe(generateSource(makeConfig({ hiddenSize: 3 })));
  });
});
