import { describe, expect, it } from "vitest";
import { hasPlateaued } from "../../rnn/train.js";
import { defaultSearchSpace, formatSearch, probeSizes, searchArchitecture, searchCandidates, trainingWork } from "../../rnn/index.js";
import { componentRanges } from "../../task/index.js";
import type { Dataset, Example } from "../../task/types.js";
import { parity, sequences, sumLast2 } from "./data.js";

function dataset(name: string, train: Example[], test: Example[]): Dataset {
  return {
    kind: "dataset",
    version: 1,
    name,
    inputDim: 1,
    outputDim: 1,
    inputRanges: componentRanges([...train, ...test], "x", 1),
    outputRanges: componentRanges(train, "y", 1),
    train,
    test,
  };
}

const sumData = dataset("sum_last2", sequences(2000, 1, 10, 9, sumLast2), sequences(2000, 2, 10, 9, sumLast2));
/** Small budgets keep the tests quick. */
const quickBudgets = {
  affineBudget: { maxSteps: 3000, plateauWindowSteps: 300 },
  linearBudget: { maxSteps: 3000, plateauWindowSteps: 300 },
  mlpBudget: { maxSteps: 3000, plateauWindowSteps: 300 },
  wide: { width: 64, initScale: 0.3, budget: { maxSteps: 600, plateauWindowSteps: 300, seeds: 1 } },
};

/** The wide family at its cheapest: one seed, a few hundred steps. */
const tinyWide = { width: 64, initScale: 0.3, budget: { maxSteps: 300, plateauWindowSteps: 300, seeds: 1 } };

const parityData = dataset("parity", sequences(2000, 3, 10, 1, parity), sequences(2000, 4, 10, 1, parity));

describe("searchCandidates", () => {
  it("orders candidates by hidden size, then parameter count, and uses one-hot/classification for small alphabets", () => {
    const candidates = searchCandidates(parityData, defaultSearchSpace, 0);
    const hidden = candidates.map((c) => c.config.hiddenSize);
    expect(hidden).toEqual([...hidden].sort((a, b) => a - b));
    expect(candidates.some((c) => c.config.encoding.kind === "one-hot" && c.config.head.kind === "classification")).toBe(true);
    const wide = searchCandidates(sumData, defaultSearchSpace, 0);
    expect(new Set(candidates.map((c) => c.seed)).size).toBe(candidates.length);
    expect(wide.every((c) => c.config.head.kind === "regression" || c.config.outputDim === 1)).toBe(true);
  });

  it("adds the wide family (width-64 transition, initial weights ×0.3) at hidden 1 for small input alphabets only", () => {
    const wide = searchCandidates(parityData, defaultSearchSpace, 0).filter((c) => c.family === "mlp-wide");
    expect(wide.map((c) => c.config.hiddenSize)).toEqual([1, 1, 1, 1]);
    expect(wide.every((c) => c.config.transition.width === 64 && c.initScale === 0.3 && c.config.encoding.kind === "one-hot")).toBe(true);
    expect(searchCandidates(parityData, defaultSearchSpace, 0).filter((c) => c.family !== "mlp-wide").every((c) => c.initScale === 1)).toBe(true);
    // Inputs 0..9 of sum_last2 are a small alphabet too; a large one gets no wide family.
    const large = dataset("large", sequences(50, 1, 5, 60, sumLast2), sequences(50, 2, 5, 60, sumLast2));
    expect(searchCandidates(large, defaultSearchSpace, 0).some((c) => c.family === "mlp-wide")).toBe(false);
  });
});

describe("searchArchitecture", () => {
  it("finds the smallest perfect network: hidden 2 and a linear transition for y = x_t + x_{t-1}", async () => {
    const result = await searchArchitecture(sumData, { seed: 0, jobs: 1, space: { hiddenSizes: [1, 2], seedsPerShape: 1, ...quickBudgets } });
    expect(result.perfect).toBe(true);
    expect(result.stopReason).toBe("found");
    expect(result.best!.config.hiddenSize).toBe(2);
    expect(result.best!.config.transition.depth).toBe(1);
    // Every hidden-1 candidate was tried and failed before the winner.
    expect(result.trace.filter((a) => a.hiddenSize === 1).every((a) => !a.perfect)).toBe(true);
    expect(formatSearch(result)).toMatch(/>>>> +2 +linear/);
  });

  it("gives the same winner on worker threads as in-process (the order, not the timing, decides)", async () => {
    const space = { hiddenSizes: [1, 2], ...quickBudgets };
    const one = await searchArchitecture(parityData, { seed: 5, jobs: 1, space });
    const two = await searchArchitecture(parityData, { seed: 5, jobs: 2, space });
    expect(one.perfect).toBe(true);
    expect(two.best!.config).toEqual(one.best!.config);
    expect(two.best!.transition).toEqual(one.best!.transition);
    expect(two.best!.training!.seed).toBe(one.best!.training!.seed);
  });

  it("reports exhaustion with the most accurate network when nothing is perfect", async () => {
    const result = await searchArchitecture(sumData, { seed: 0, jobs: 1, space: { hiddenSizes: [1], seedsPerShape: 1, affineBudget: { maxSteps: 300, plateauWindowSteps: 300 }, linearBudget: { maxSteps: 300, plateauWindowSteps: 300 }, mlpBudget: { maxSteps: 300, plateauWindowSteps: 300 }, wide: tinyWide } });
    expect(result.perfect).toBe(false);
    expect(result.stopReason).toBe("exhausted");
    expect(result.best).not.toBeNull();
    expect(formatSearch(result)).toContain("not perfect (exhausted)");
  });

  it("stops at the training budget: an attempt counts only while its predecessors did less work, the same with one slot or two", async () => {
    const space = { hiddenSizes: [1, 2], seedsPerShape: 1, affineBudget: { maxSteps: 300, plateauWindowSteps: 300 }, linearBudget: { maxSteps: 300, plateauWindowSteps: 300 }, mlpBudget: { maxSteps: 300, plateauWindowSteps: 300 }, wide: tinyWide };
    const unlimited = await searchArchitecture(sumData, { seed: 1, jobs: 1, space: { ...space, hiddenSizes: [1] } });
    const work = unlimited.trace.map((a) => a.work);
    expect(work.every((w, i) => w === trainingWork(unlimited.trace[i]!.steps, { params: unlimited.trace[i]!.params, layers: unlimited.trace[i]!.transitionDepth + unlimited.trace[i]!.readoutDepth }))).toBe(true);
    expect(work.length).toBeGreaterThan(3);
    // A budget that the first three attempts reach: exactly three attempts count, then it stops.
    const budget = work[0]! + work[1]! + work[2]!;
    const one = await searchArchitecture(sumData, { seed: 1, jobs: 1, space, trainingBudget: budget });
    const two = await searchArchitecture(sumData, { seed: 1, jobs: 2, space, trainingBudget: budget });
    for (const result of [one, two]) {
      expect(result.stopReason).toBe("training_budget");
      expect(result.perfect).toBe(false);
      expect(result.work).toBeCloseTo(budget, 9);
      expect(result.trace.map((a) => [a.family, a.seed, a.steps])).toEqual(unlimited.trace.slice(0, 3).map((a) => [a.family, a.seed, a.steps]));
    }
    // A little less and the third attempt still counts; a little more and a fourth does.
    const below = await searchArchitecture(sumData, { seed: 1, jobs: 1, space, trainingBudget: budget * 0.999 });
    expect(below.trace).toHaveLength(3);
    const above = await searchArchitecture(sumData, { seed: 1, jobs: 2, space, trainingBudget: budget * 1.001 });
    expect(above.trace).toHaveLength(4);
  });

  it("counts work as steps × (330 µs per layer after the first + 1.1 µs per parameter)", () => {
    expect(trainingWork(1000, { params: 100, layers: 4 })).toBeCloseTo(1.1, 12);
    expect(trainingWork(0, { params: 400, layers: 2 })).toBe(0);
  });
});

describe("hasPlateaued", () => {
  const history = (losses: number[]) => losses.map((loss, i) => ({ step: (i + 1) * 100, loss }));
  it("fires only when the last window did not improve enough on the best before it", () => {
    expect(hasPlateaued(history([5, 4, 3, 2, 1, 0.5]), 200, 0.05)).toBe(false);
    expect(hasPlateaued(history([5, 4, 3, 3, 3, 3]), 200, 0.05)).toBe(true);
    expect(hasPlateaued(history([5, 5, 5]), 200, 0.05)).toBe(false); // too early: needs two windows
  });
});

describe("probeSizes", () => {
  it("doubles through the allowed sizes and ends with the largest", () => {
    expect(probeSizes([1, 2, 3, 4, 5, 6, 7, 8, 12, 16])).toEqual([1, 2, 4, 8, 16]);
    expect(probeSizes([2, 3, 5, 24])).toEqual([2, 5, 24]);
    expect(probeSizes([1, 2, 3])).toEqual([1, 2, 3]);
  });
});
