import { describe, expect, it } from "vitest";
import { builtinTask, findBenchmarkTask } from "../../benchmarks/index.js";

describe("builtinTask", () => {
  it("returns undefined for unknown names", () => {
    expect(builtinTask("No_Such_Task")).toBeUndefined();
    expect(builtinTask("sum_all")).toBeUndefined();
  });

  it("builds a dataset with the default sizes and the spec's alphabet", () => {
    const task = builtinTask("Base_3_Addition")!;
    expect(task.name).toBe("Base_3_Addition");
    expect(task.source).toEqual({ kind: "builtin", builtin: "Base_3_Addition" });
    expect([task.inputDim, task.outputDim]).toEqual([2, 1]);
    const { dataset } = task;
    expect(dataset.kind).toBe("dataset");
    expect(dataset.version).toBe(1);
    expect(dataset.train).toHaveLength(10_000);
    expect(dataset.test).toHaveLength(10_000);
    expect(dataset.inputRanges).toEqual([
      { min: 0, max: 2 },
      { min: 0, max: 2 },
    ]);
    expect(dataset.outputRanges).toEqual([{ min: 0, max: 2 }]);
    expect(dataset.train[0]!.x).toHaveLength(10);
  });

  it("takes output ranges from the training data only", () => {
    const { dataset } = builtinTask("Sum_Last2", { trainSize: 50, testSize: 50, seed: 1 })!;
    const values = dataset.train.flatMap(({ y }) => y.map((step) => step[0]!));
    expect(dataset.outputRanges).toEqual([{ min: Math.min(...values), max: Math.max(...values) }]);
  });

  it("draws train and test from different streams, deterministically", () => {
    const a = builtinTask("Current_Number", { trainSize: 20, testSize: 20, seed: 3 })!;
    const b = builtinTask("Current_Number", { trainSize: 20, testSize: 20, seed: 3 })!;
    const c = builtinTask("Current_Number", { trainSize: 20, testSize: 20, seed: 4 })!;
    expect(JSON.stringify(a.dataset)).toBe(JSON.stringify(b.dataset));
    expect(a.dataset.train).not.toEqual(a.dataset.test);
    expect(a.dataset.train).not.toEqual(c.dataset.train);
  });

  it("serialises its dataset as plain JSON", () => {
    const { dataset } = builtinTask("Newton_Magnetic", { trainSize: 5, testSize: 5 })!;
    expect(JSON.parse(JSON.stringify(dataset))).toEqual(dataset);
  });

  it("honours the length option and samples fresh data of any length", () => {
    const task = builtinTask("Div_3", { trainSize: 5, testSize: 5, length: 12 })!;
    expect(task.dataset.train[0]!.x).toHaveLength(12);
    const reference = findBenchmarkTask("Div_3")!.reference;
    const fresh = task.sample!(10, 99);
    expect(fresh[0]!.x).toHaveLength(12);
    const longer = task.sample!(10, 99, 50);
    expect(longer[0]!.x).toHaveLength(50);
    for (const { x, y } of longer) expect(y).toEqual(reference(x));
    expect(task.sample!(10, 99, 50)).toEqual(longer);
  });

  it("rejects empty splits", () => {
    expect(() => builtinTask("Sum_All", { trainSize: 0 })).toThrow(RangeError);
  });
});
