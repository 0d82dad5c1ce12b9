/** The TypeScript kernel's gradient against central finite differences of its own loss. */
import { describe, expect, it } from "vitest";
import { makeBatches } from "../../rnn/batch.js";
import { paramsOf } from "../../rnn/init.js";
import { createTypeScriptKernel } from "../../rnn/kernel-ts.js";
import type { RnnConfig } from "../../rnn/types.js";
import { makeConfig, randomExamples, randomRnn, type ConfigSpec } from "./helpers.js";

/** Max over parameters of |analytic − numeric| / max(|analytic|, |numeric|, 1e-4). */
function gradientCheck(config: RnnConfig, seed: number): { maxRelativeError: number; params: number } {
  const rnn = randomRnn(config, seed);
  const examples = randomExamples(config, 7, 4, seed + 100, inputRange);
  const [batch] = makeBatches(config, examples);
  const kernel = createTypeScriptKernel(config);
  const params = paramsOf(rnn);
  const grad = new Float64Array(params.length);
  kernel.lossAndGradient(params, batch!, grad);
  const scratch = new Float64Array(params.length);
  const h = 1e-5;
  let worst = 0;
  for (let i = 0; i < params.length; i++) {
    const p0 = params[i]!;
    params[i] = p0 + h;
    const up = kernel.lossAndGradient(params, batch!, scratch);
    params[i] = p0 - h;
    const down = kernel.lossAndGradient(params, batch!, scratch);
    params[i] = p0;
    const numeric = (up - down) / (2 * h);
    const err = Math.abs(grad[i]! - numeric) / Math.max(Math.abs(grad[i]!), Math.abs(numeric), 1e-4);
    worst = Math.max(worst, err);
  }
  return { maxRelativeError: worst, params: params.length };
}

const heads = ["log", "mse", "classification"] as const;
const encodings = ["raw", "one-hot"] as const;
const inputRange = { min: 0, max: 4 };
const cases: ConfigSpec[] = [];
for (const head of heads)
  for (const encoding of encodings)
    for (let transitionDepth = 1; transitionDepth <= 3; transitionDepth++)
      for (let readoutDepth = 1; readoutDepth <= 3; readoutDepth++) cases.push({ head, encoding, transitionDepth, readoutDepth, hiddenSize: 3, width: 4, inputRange });
// One-hot inputs 8 or more columns wide (2 × 5 above) go through the kernel's nonzero-entry list;
// narrower ones (1 × 5 here) through the dense product.
for (const head of heads) cases.push({ head, encoding: "one-hot", inputDim: 1, transitionDepth: 2, readoutDepth: 2, hiddenSize: 3, width: 4, inputRange });

describe("TypeScript kernel gradient vs central differences", () => {
  it(`matches on ${cases.length} head × encoding × depth combinations`, () => {
    let overall = 0;
    const lines: string[] = [];
    cases.forEach((spec, n) => {
      const { maxRelativeError, params } = gradientCheck(makeConfig(spec), 1000 + n);
      overall = Math.max(overall, maxRelativeError);
      lines.push(`${spec.head} ${spec.encoding}${spec.inputDim === 1 ? " (1 input)" : ""} depths ${spec.transitionDepth}/${spec.readoutDepth}: ${params} params, max relative error ${maxRelativeError.toExponential(2)}`);
      expect(maxRelativeError, lines.at(-1)).toBeLessThan(1e-5);
    });
    console.log(`gradient check (TypeScript kernel)\n${lines.join("\n")}\noverall max relative error ${overall.toExponential(2)}`);
  });
});
