import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { makeBatches } from "../../rnn/batch.js";
import { paramsOf } from "../../rnn/init.js";
import { createTypeScriptKernel } from "../../rnn/kernel-ts.js";
import { headWidth } from "../../rnn/params.js";
import { referenceLoss, runSequence } from "../../rnn/reference.js";
import { arbitraryConfig, makeConfig, randomExamples, randomRnn } from "./helpers.js";

function close(a: number, b: number, tol = 1e-12): boolean {
  return Math.abs(a - b) <= tol * (1 + Math.abs(a) + Math.abs(b));
}

describe("TypeScript kernel", () => {
  it("forward equals the reference model, and its loss the reference loss", () => {
    fc.assert(
      fc.property(arbitraryConfig, fc.integer({ min: 1, max: 19 }), fc.integer({ min: 1, max: 6 }), fc.nat(), ({ config, inputRange, outputRange }, count, seqLen, seed) => {
        const rnn = randomRnn(config, seed);
        const examples = randomExamples(config, count, seqLen, seed + 1, inputRange, outputRange);
        const [batch] = makeBatches(config, examples);
        const kernel = createTypeScriptKernel(config);
        const params = paramsOf(rnn);
        const out = kernel.forward(params, batch!);
        const hw = headWidth(config.outputDim, config.head);
        examples.forEach((ex, b) => {
          const run = runSequence(rnn, ex.x);
          for (let t = 0; t < seqLen; t++) {
            for (let j = 0; j < hw; j++) {
              const fast = out[(t * count + b) * hw + j]!;
              if (!close(fast, run.outputs[t]![j]!)) throw new Error(`t=${t} b=${b} j=${j}: kernel ${fast}, reference ${run.outputs[t]![j]}`);
            }
          }
        });
        const grad = new Float64Array(params.length);
        const loss = kernel.lossAndGradient(params, batch!, grad);
        expect(close(loss, referenceLoss(rnn, examples), 1e-11)).toBe(true);
      }),
      { numRuns: 300, seed: 42 },
    );
  });

  it("gives the same gradient whatever the batch's padding (blocks of 8) and buffer reuse", () => {
    const config = makeConfig({ encoding: "one-hot", head: "classification", transitionDepth: 2, readoutDepth: 2 });
    const rnn = randomRnn(config, 3);
    const params = paramsOf(rnn);
    const kernel = createTypeScriptKernel(config);
    const examples = randomExamples(config, 11, 4, 9);
    const grads = [11, 1].map((n) => {
      // 11 sequences in one batch, or one sequence at a time (averaged): the same mean gradient.
      const total = new Float64Array(params.length);
      const g = new Float64Array(params.length);
      for (const batch of makeBatches(config, examples, n)) {
        kernel.lossAndGradient(params, batch, g);
        for (let i = 0; i < g.length; i++) total[i]! += (g[i]! * batch.size) / examples.length;
      }
      return total;
    });
    for (let i = 0; i < params.length; i++) expect(close(grads[0]![i]!, grads[1]![i]!, 1e-12)).toBe(true);
  });

  it("throws on a classification target outside the head's range", () => {
    const config = makeConfig({ head: "classification" });
    const examples = randomExamples(config, 2, 2, 1, undefined, { min: 5, max: 5 });
    const [batch] = makeBatches(config, examples);
    const kernel = createTypeScriptKernel(config);
    const params = paramsOf(randomRnn(config, 1));
    expect(() => kernel.lossAndGradient(params, batch!, new Float64Array(params.length))).toThrow(/outside the head's range/);
  });
});
