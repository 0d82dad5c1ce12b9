import { describe, expect, it } from "vitest";
import { measureAccuracy } from "../../rnn/accuracy.js";
import { paramsOf } from "../../rnn/init.js";
import { learningRateAt, trainRnn } from "../../rnn/train.js";
import { makeConfig } from "./helpers.js";
import { parity, sequences, sumLast2 } from "./data.js";

const sumConfig = makeConfig({ inputDim: 1, outputDim: 1, hiddenSize: 2, transitionDepth: 1, readoutDepth: 1, encoding: "raw", head: "log" });
const sumData = { train: sequences(2000, 1, 10, 9, sumLast2), test: sequences(10_000, 2, 10, 9, sumLast2) };

describe("trainRnn", () => {
  it("learns Sum_Last2 (raw input, hidden 2, linear transition, log regression) to 100% on 10,000 held-out sequences", () => {
    const rnn = trainRnn(sumConfig, sumData, { seed: 0, maxSteps: 3000 });
    expect(rnn.training).toMatchObject({ perfect: true, stopReason: "perfect", heldOutAccuracy: 1, heldOutSequences: 10_000, kernel: "typescript" });
    expect(rnn.training!.steps).toBeLessThan(3000);
    // The record agrees with an independent measurement.
    expect(measureAccuracy(rnn, sumData.test).correctSequences).toBe(10_000);
  });

  it("learns prefix parity (one-hot input, classification, hidden 3, transition depth 2) to 100%", () => {
    const config = makeConfig({ inputDim: 1, outputDim: 1, hiddenSize: 3, transitionDepth: 2, width: 4, readoutDepth: 1, encoding: "one-hot", head: "classification", inputRange: { min: 0, max: 1 }, outputRange: { min: 0, max: 1 } });
    const data = { train: sequences(2000, 3, 10, 1, parity), test: sequences(10_000, 4, 10, 1, parity) };
    const rnn = trainRnn(config, data, { seed: 1, maxSteps: 3000 });
    expect(rnn.training).toMatchObject({ perfect: true, stopReason: "perfect", heldOutAccuracy: 1 });
  });

  it("is deterministic: the same seed gives identical weights, another seed different ones", () => {
    const opts = { maxSteps: 60, evalEvery: 1000 };
    const a = trainRnn(sumConfig, sumData, { seed: 5, ...opts });
    const b = trainRnn(sumConfig, sumData, { seed: 5, ...opts });
    const c = trainRnn(sumConfig, sumData, { seed: 6, ...opts });
    expect(Array.from(paramsOf(a))).toEqual(Array.from(paramsOf(b)));
    expect(Array.from(paramsOf(a))).not.toEqual(Array.from(paramsOf(c)));
    expect(a.training).toMatchObject({ steps: 60, stopReason: "step_limit", perfect: false });
  });

  it("scales the seeded initial draw by initScale", () => {
    const opts = { seed: 5, maxSteps: 0 };
    const plain = paramsOf(trainRnn(sumConfig, sumData, opts));
    const scaled = paramsOf(trainRnn(sumConfig, sumData, { ...opts, initScale: 0.3 }));
    expect(plain.some((p) => p !== 0)).toBe(true);
    expect(Array.from(scaled)).toEqual(Array.from(plain, (p) => p * 0.3));
  });

  it("trains on sequences of mixed lengths and scores every held-out sequence", () => {
    const train = [...sequences(500, 7, 4, 9, sumLast2), ...sequences(500, 8, 9, 9, sumLast2)];
    const test = [...sequences(300, 9, 3, 9, sumLast2), ...sequences(300, 10, 12, 9, sumLast2)];
    const rnn = trainRnn(sumConfig, { train, test }, { seed: 0, maxSteps: 3000 });
    expect(rnn.training).toMatchObject({ perfect: true, heldOutSequences: 600 });
  });

  it("reports progress and stops at the time limit", () => {
    const seen: number[] = [];
    const small = { train: sumData.train.slice(0, 200), test: sumData.test.slice(0, 200) };
    const rnn = trainRnn(sumConfig, small, { seed: 0, maxSteps: 1_000_000, learningRate: 1e-6, evalEvery: 10, timeLimitMs: 300, onProgress: (step) => seen.push(step) });
    expect(rnn.training!.stopReason).toBe("time_limit");
    expect(rnn.training!.steps).toBeGreaterThan(10);
    expect(seen.every((step, i) => step === 10 * (i + 1))).toBe(true);
  });

  it("stops with diverged when the loss is no longer finite", () => {
    const config = makeConfig({ inputDim: 1, outputDim: 1, hiddenSize: 2, transitionDepth: 1, readoutDepth: 1, encoding: "raw", head: "mse" });
    const huge = sequences(100, 1, 10, 9, (xs) => xs.map(() => 1e200));
    const rnn = trainRnn(config, { train: huge, test: huge }, { seed: 0, maxSteps: 100 });
    expect(rnn.training).toMatchObject({ stopReason: "diverged", steps: 0, perfect: false });
  });

  it("warms up linearly, then decays by a cosine to the final fraction", () => {
    expect(learningRateAt(0, 1000, 1, 10, 0.05)).toBeCloseTo(0.1);
    expect(learningRateAt(9, 1000, 1, 10, 0.05)).toBeCloseTo(1, 3);
    expect(learningRateAt(999, 1000, 1, 10, 0.05)).toBeCloseTo(0.05);
    expect(learningRateAt(499.5, 1000, 1, 0, 0)).toBeCloseTo(0.5);
  });
});
