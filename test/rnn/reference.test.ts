import { describe, expect, it } from "vitest";
import { createAccuracyMeter, measureAccuracy } from "../../rnn/accuracy.js";
import { paramsOf, rnnFromParams } from "../../rnn/init.js";
import { createTypeScriptKernel } from "../../rnn/kernel-ts.js";
import { encodeStep, predict, runSequence } from "../../rnn/reference.js";
import type { Rnn } from "../../rnn/types.js";
import { makeConfig, randomExamples, randomRnn } from "./helpers.js";
import { sequences, sumLast2 } from "./data.js";

/** Sum_Last2 by hand: h = [x_t, x_{t-1}], y = h0 + h1. */
function handSumLast2(): Rnn {
  const config = makeConfig({ inputDim: 1, outputDim: 1, hiddenSize: 2, encoding: "raw", head: "mse" });
  // Transition rows over [h0, h1, x]: h0' = x, h1' = h0. Readout: y = h0 + h1.
  return rnnFromParams(config, Float64Array.from([0, 0, 1, 1, 0, 0, 0, 0, 1, 1, 0]));
}

describe("reference model", () => {
  it("runs a hand-built Sum_Last2 network exactly", () => {
    const run = runSequence(handSumLast2(), [[3], [4], [9]]);
    expect(run.hidden).toEqual([
      [0, 0],
      [3, 0],
      [4, 3],
      [9, 4],
    ]);
    expect(run.outputs).toEqual([[3], [7], [13]]);
    expect(run.predictions).toEqual([[3], [7], [13]]);
  });

  it("encodes one-hot per component; out-of-range values as zeros", () => {
    const enc = { kind: "one-hot", ranges: [{ min: 0, max: 2 }, { min: -1, max: 0 }] } as const;
    expect(encodeStep(enc, [2, -1])).toEqual([0, 0, 1, 1, 0]);
    expect(encodeStep(enc, [5, 0])).toEqual([0, 0, 0, 0, 1]);
    expect(encodeStep({ kind: "raw" }, [5, -3])).toEqual([5, -3]);
  });

  it("predicts round(ŷ) or min + argmax (first on ties)", () => {
    expect(predict({ kind: "regression", loss: "log" }, [2.5, -0.4, -2.5])).toEqual([3, 0, -2]);
    const head = { kind: "classification", ranges: [{ min: 3, max: 5 }, { min: 0, max: 1 }] } as const;
    expect(predict(head, [0.1, 2, 2, 7, -1])).toEqual([4, 0]);
  });
});

describe("accuracy", () => {
  it("is 100% for the hand-built Sum_Last2 network and counts every position", () => {
    const acc = measureAccuracy(handSumLast2(), sequences(1000, 1, 10, 9, sumLast2));
    expect(acc).toEqual({ accuracy: 1, positions: 10_000, correctPositions: 10_000, sequences: 1000, correctSequences: 1000 });
  });

  it("agrees with the reference model's predictions on random networks", () => {
    for (const head of ["log", "classification"] as const) {
      const config = makeConfig({ head, encoding: "one-hot", transitionDepth: 2 });
      const rnn = randomRnn(config, 5, 3);
      const examples = [...randomExamples(config, 50, 3, 1), ...randomExamples(config, 30, 6, 2)];
      let right = 0;
      let allRight = 0;
      for (const ex of examples) {
        const run = runSequence(rnn, ex.x);
        let wrong = 0;
        ex.y.forEach((y, t) => y.forEach((v, j) => (run.predictions[t]![j] === v ? right++ : wrong++)));
        if (wrong === 0) allRight++;
      }
      const acc = createAccuracyMeter(config, createTypeScriptKernel(config), examples, 16)(paramsOf(rnn));
      expect(acc.correctPositions).toBe(right);
      expect(acc.correctSequences).toBe(allRight);
      expect(acc.positions).toBe((50 * 3 + 30 * 6) * 2);
    }
  });
});
