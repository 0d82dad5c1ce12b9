import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { benchmarkTasks, findBenchmarkTask, suggestBenchmarkTaskNames } from "../../benchmarks/index.js";

/** A one-component sequence: s(1, 2, 3) is [[1], [2], [3]]. */
const s = (...values: number[]): number[][] => values.map((v) => [v]);
/** A two-component sequence from its columns: pairs([a0, a1], [b0, b1]) is [[a0, b0], [a1, b1]]. */
const pairs = (a: number[], b: number[]): number[][] => a.map((v, t) => [v, b[t]!]);
const repeat = (value: number, times: number): number[] => new Array<number>(times).fill(value);

function expectReference(name: string, x: number[][], y: number[][]): void {
  const task = findBenchmarkTask(name);
  if (task === undefined) throw new Error(`no task ${name}`);
  expect(task.reference(x)).toEqual(y);
}

/**
 * Hand-worked examples, at least one per task, each worked out from the target text in tasks.json
 * (comments show the intermediate values). Not produced by running the references.
 */
const examples: ReadonlyArray<readonly [name: string, x: number[][], y: number[][]]> = [
  ["Abs_Current", s(-3, 0, 5, -100, 99), s(3, 0, 5, 100, 99)],
  // x_{-1} := 0, so y_0 = |x_0|.
  ["Abs_Diff", s(5, -3, -3, 10, -100), s(5, 8, 0, 13, 110)],
  ["Abs_Diff", s(-7, 2), s(7, 9)],
  // prefix sums 2,4,5,5,7
  ["Add_Mod_3", s(2, 2, 1, 0, 2), s(2, 1, 2, 2, 1)],
  // prefix sums 3,6,9,10,10
  ["Add_Mod_4", s(3, 3, 3, 1, 0), s(3, 2, 1, 2, 2)],
  // prefix sums 4,8,10,10,11
  ["Add_Mod_5", s(4, 4, 2, 0, 1), s(4, 3, 0, 0, 1)],
  // prefix sums 5,6,11,16,18
  ["Add_Mod_6", s(5, 1, 5, 5, 2), s(5, 0, 5, 4, 0)],
  // prefix sums 6,12,15,16,16
  ["Add_Mod_7", s(6, 6, 3, 1, 0), s(6, 5, 1, 2, 2)],
  // prefix sums 7,8,15,22,26
  ["Add_Mod_8", s(7, 1, 7, 7, 4), s(7, 0, 7, 6, 2)],
  // windows (0,0,1) (0,1,0) (1,0,1) (0,1,1) (1,1,0) (1,0,1) (0,1,0)
  ["Alternating_Last3", s(1, 0, 1, 1, 0, 1, 0), s(0, 1, 1, 0, 0, 1, 1)],
  // the padding zeros count: (0,0,0) (0,0,1) (0,1,0)
  ["Alternating_Last3", s(0, 1, 0), s(0, 0, 1)],
  // windows (0,0,0,1) (0,0,1,0) (0,1,0,1) (1,0,1,0) (0,1,0,1) (1,0,1,1)
  ["Alternating_Last4", s(1, 0, 1, 0, 1, 1), s(0, 0, 1, 1, 1, 0)],
  ["Alternating_Last4", s(0, 1, 0, 1), s(0, 0, 0, 1)],
  // B = 1,0,1,2,1,0
  ["Balanced_Parenthesis", s(0, 1, 0, 0, 1, 1), s(0, 1, 0, 0, 0, 1)],
  // B = -1,0,1,0: broken at once, so the later zeros of B do not count
  ["Balanced_Parenthesis", s(1, 0, 0, 1), s(0, 0, 0, 0)],
  // B = 1,0,-1,0,1,0: balanced at t=1, broken at t=2
  ["Balanced_Parenthesis", s(0, 1, 1, 0, 0, 1), s(0, 1, 0, 0, 0, 0)],
  // sums 3 (carry 1), 2+2+1=5 (carry 1), 0+0+1=1, 1+1=2
  ["Base_3_Addition", pairs([2, 2, 0, 1], [1, 2, 0, 1]), s(0, 2, 1, 2)],
  // (3^10 - 1) + 1 = 3^10: every digit 0 and the carry out of position 9 is discarded
  ["Base_3_Addition", pairs(repeat(2, 10), [1, ...repeat(0, 9)]), s(...repeat(0, 10))],
  // at length 12 that carry reaches position 10 (0+0+1 = 1), and position 11 is 1+0 = 1
  ["Base_3_Addition", pairs([...repeat(2, 10), 0, 1], [1, ...repeat(0, 11)]), s(...repeat(0, 10), 1, 1)],
  // sums 4 (carry 1), 3+2+1=6 (carry 1), 1+2+1=4 (final carry discarded)
  ["Base_4_Addition", pairs([3, 3, 1], [1, 2, 2]), s(0, 2, 0)],
  // sums 8, 0+4+1=5, 3+1+1=5
  ["Base_5_Addition", pairs([4, 0, 3], [4, 4, 1]), s(3, 0, 0)],
  // sums 10, 5+0+1=6, 0+2+1=3
  ["Base_6_Addition", pairs([5, 5, 0], [5, 0, 2]), s(4, 0, 3)],
  // sums 12, 3+3+1=7, 6+0+1=7
  ["Base_7_Addition", pairs([6, 3, 6], [6, 3, 0]), s(5, 0, 0)],
  // 11 + 9 = 20 = 10100b; the low four bits, least significant first: 0,0,1,0
  ["Binary_Addition", pairs([1, 1, 0, 1], [1, 0, 0, 1]), s(0, 0, 1, 0)],
  // products 1,0,0,1,1; running sums 1,1,1,2,3
  ["Bit_Dot_Prod_Mod2", pairs([1, 1, 0, 1, 1], [1, 0, 1, 1, 1]), s(1, 1, 1, 0, 1)],
  // prefixes 1, 10, 101, 1011, 10110, 101101
  ["Bit_Palindrome", s(1, 0, 1, 1, 0, 1), s(1, 0, 1, 0, 0, 1)],
  ["Bit_Palindrome", s(0, 0, 0, 1), s(1, 1, 1, 0)],
  ["Bit_Shift_Right", s(1, 1, 0, 1), s(0, 1, 1, 0)],
  ["Bitwise_And", pairs([0, 0, 1, 1], [0, 1, 0, 1]), s(0, 0, 0, 1)],
  ["Bitwise_Not", s(0, 1, 1), s(1, 0, 0)],
  ["Bitwise_Or", pairs([0, 0, 1, 1], [0, 1, 0, 1]), s(0, 1, 1, 1)],
  ["Bitwise_Xor", pairs([0, 0, 1, 1], [0, 1, 0, 1]), s(0, 1, 1, 0)],
  ["Current_Number", s(7, 0, 99), s(7, 0, 99)],
  // |x| = 5,3,10,10,0
  ["Diff_Abs_Values", s(-5, 3, -10, 10, 0), s(5, -2, 7, 0, -10)],
  ["Diff_Abs_Values", s(-100), s(100)],
  ["Diff_Last2", s(-5, 3, -10, 99, -100), s(-5, 8, -13, 109, -199)],
  // S = 7,14,21,36,36,37; floor(S/15) = 0,0,1,2,2,2
  ["Dithering", s(7, 7, 7, 15, 0, 1), s(0, 0, 1, 1, 0, 0)],
  ["Dithering", s(15, 15, 0), s(1, 1, 0)],
  // v = 1,3,0,1,3; q = 0,1,0,0,1 (27 / 3 = 9 = 01001b); y = (0, q_0..q_3)
  ["Div_3", s(1, 1, 0, 1, 1), s(0, 0, 1, 0, 0)],
  // 576 / 3 = 192 = 0011000000b; the output is delayed one step, so q_9 is never output
  ["Div_3", s(1, 0, 0, 1, 0, 0, 0, 0, 0, 0), s(0, 0, 0, 1, 1, 0, 0, 0, 0, 0)],
  // v = 1,2,5,0; q = 0,0,1,0 (10 / 5 = 2)
  ["Div_5", s(1, 0, 1, 0), s(0, 0, 0, 1)],
  // v = 1,3,7,5,1; q = 0,0,1,1,0 (31 / 5 = 6)
  ["Div_5", s(1, 1, 1, 1, 1), s(0, 0, 0, 1, 1)],
  // v = 1,3,7,0,0,0; q = 0,0,1,0,0,0 (56 / 7 = 8)
  ["Div_7", s(1, 1, 1, 0, 0, 0), s(0, 0, 0, 1, 0, 0)],
  ["Evens_Counter", s(0, 3, 8, 9, 2), s(1, 1, 2, 2, 3)],
  ["Evens_Detector", s(0, 3, 8, 9, 2, 7), s(1, 0, 1, 0, 1, 0)],
  // counts (0s,1s): (0,1) (1,1) tie -> 0, (2,1) (2,2) tie -> 0, (2,3)
  ["Majority_0_1", s(1, 0, 0, 1, 1), s(1, 0, 0, 0, 1)],
  // counts (0,0,1) (0,1,1) (0,2,1) (0,2,2) (1,2,2) (2,2,2)
  ["Majority_0_2", s(2, 1, 1, 2, 0, 0), s(2, 1, 1, 1, 1, 0)],
  // counts (0,0,0,1) (0,0,1,1) (0,0,1,2) (0,0,2,2) (0,1,2,2)
  ["Majority_0_3", s(3, 2, 3, 2, 1), s(3, 2, 3, 2, 2)],
  ["Max_Seen", s(3, 1, 4, 1, 5, 9, 2), s(3, 3, 4, 4, 5, 9, 9)],
  ["Min_Seen", s(5, 7, 2, 9, 0, 3), s(5, 5, 2, 2, 0, 0)],
  // v = 1,1,1,-1; p = 1,2,3,2
  ["Newton_Freebody", s(1, 0, 0, -2), s(1, 2, 3, 2)],
  // the bound 550 = 10 * (1 + 2 + ... + 10)
  ["Newton_Freebody", s(...repeat(10, 10)), s(10, 30, 60, 100, 150, 210, 280, 360, 450, 550)],
  // a = 0,0,-1,2; v = 0,0,-1,1; p = 0,0,-1,0
  ["Newton_Gravity", s(1, 1, 0, 3), s(0, 0, -1, 0)],
  // an impulse: p_t = p_{t-1} - p_{t-2} + x_t rings with period 6
  ["Newton_Spring", s(1, 0, 0, 0, 0, 0, 0), s(1, 1, 0, -1, -1, 0, 1)],
  // a_t = (Fx - vy, Fy + vx) = (1,0) (0,1) (-1,1) (-2,2); v = (1,0) (1,1) (0,2) (-2,4); p = (1,0) (2,1) (2,3) (0,7)
  ["Newton_Magnetic", [[1, 0], [0, 0], [0, 0], [0, 2]], [[1, 0], [2, 1], [2, 3], [0, 7]]],
  ["Parity_All", s(1, 1, 0, 1), s(1, 0, 0, 1)],
  ["Parity_Bits_Mod2", s(1, 1, 0, 0, 1), s(0, 1, 0, 1, 0)],
  ["Parity_Last2", s(1, 1, 0, 1), s(1, 0, 1, 1)],
  // windows (0,0,1) (0,1,1) (1,1,0) (1,0,1) (0,1,0) (1,0,0)
  ["Parity_Last3", s(1, 1, 0, 1, 0, 0), s(1, 0, 0, 0, 1, 1)],
  // windows sum 1,2,2,2,1,1: x_0 and x_1 leave the window at t = 4 and 5
  ["Parity_Last4", s(1, 1, 0, 0, 0, 1), s(1, 0, 0, 0, 1, 1)],
  // zeros so far 1,1,2,3,3
  ["Parity_Zeros", s(0, 1, 0, 0, 1), s(1, 1, 0, 1, 1)],
  ["Perfect_Square_Detector", s(0, 1, 2, 4, 9, 15, 16, 19), s(1, 1, 0, 1, 1, 0, 1, 0)],
  ["Prev1", s(5, 7, 99), s(0, 5, 7)],
  ["Prev2", s(5, 7, 99, 3), s(0, 0, 5, 7)],
  ["Prev3", s(5, 7, 99, 3, 8), s(0, 0, 0, 5, 7)],
  ["Prev4", s(5, 7, 99, 3, 8, 1), s(0, 0, 0, 0, 5, 7)],
  ["Prev5", s(5, 7, 99, 3, 8, 1, 2), s(0, 0, 0, 0, 0, 5, 7)],
  // x_{-1} := 0, so a leading 0 counts as a repeat
  ["Previous_Equals_Current", s(0, 0, 3, 3, 7), s(1, 1, 0, 1, 0)],
  ["Previous_Equals_Current", s(5, 5), s(0, 1)],
  ["Sum_All", s(99, 1, 50), s(99, 100, 150)],
  ["Sum_Last2", s(1, 2, 3), s(1, 3, 5)],
  ["Sum_Last3", s(1, 2, 3, 4, 5), s(1, 3, 6, 9, 12)],
  ["Sum_Last4", s(1, 2, 3, 4, 5, 6), s(1, 3, 6, 10, 14, 18)],
  ["Sum_Last5", s(1, 2, 3, 4, 5, 6, 7), s(1, 3, 6, 10, 15, 20, 25)],
  ["Sum_Last6", s(1, 2, 3, 4, 5, 6, 7, 8), s(1, 3, 6, 10, 15, 21, 27, 33)],
  ["Sum_Last7", s(1, 2, 3, 4, 5, 6, 7, 8, 9), s(1, 3, 6, 10, 15, 21, 28, 35, 42)],
];

describe("references on hand-worked examples", () => {
  it.each(examples)("%s: %j -> %j", (name, x, y) => expectReference(name, x, y));

  it("covers every task", () => {
    const covered = new Set(examples.map(([name]) => name));
    expect(benchmarkTasks.map((task) => task.name).filter((name) => !covered.has(name))).toEqual([]);
  });

  it("Newton_Magnetic refuses lengths where doubles stop being exact", () => {
    const task = findBenchmarkTask("Newton_Magnetic")!;
    expect(() => task.reference(Array.from({ length: 60 }, () => [10, 10]))).not.toThrow();
    expect(() => task.reference(Array.from({ length: 200 }, () => [10, 10]))).toThrow(RangeError);
  });
});

describe("lookup", () => {
  it("finds exact names only", () => {
    expect(findBenchmarkTask("Sum_Last2")?.name).toBe("Sum_Last2");
    expect(findBenchmarkTask("sum_last2")).toBeUndefined();
    expect(findBenchmarkTask("Nope")).toBeUndefined();
  });

  it("suggests close names", () => {
    expect(suggestBenchmarkTaskNames("sum_last2")).toEqual(["Sum_Last2"]);
    expect(suggestBenchmarkTaskNames("Parity_Al")).toContain("Parity_All");
    expect(suggestBenchmarkTaskNames("Binary_Adition")).toEqual(["Binary_Addition"]);
    expect(suggestBenchmarkTaskNames("Sum_Last")).toEqual(["Sum_Last2", "Sum_Last3", "Sum_Last4"]);
    expect(suggestBenchmarkTaskNames("zzzzzzzzzzzz")).toEqual([]);
  });
});

// The shared spec lives next to the repository; when it is not checked out, the cross-check is skipped.
const specPath = fileURLToPath(new URL("../../../shared/benchmark/tasks.json", import.meta.url));
const specPresent = existsSync(specPath);

interface SpecTask {
  name: string;
  inputDim: number;
  outputDim: number;
  input: { min: number; max: number; distribution: string };
  seqLen: number;
  outputRange: string;
  target: string;
  split: number;
  paper: unknown;
}

describe("registry against ../shared/benchmark/tasks.json", () => {
  it.skipIf(!specPresent)(
    specPresent ? "has the same 62 tasks with the same fields" : `skipped: ${specPath} not found`,
    () => {
      const spec = JSON.parse(readFileSync(specPath, "utf8")) as SpecTask[];
      expect(spec).toHaveLength(62);
      expect(benchmarkTasks.map((task) => task.name)).toEqual(spec.map((task) => task.name));
      for (const expected of spec) {
        const task = findBenchmarkTask(expected.name)!;
        const { distribution } = expected.input;
        const sampling = distribution.startsWith("NOT iid")
          ? "palindrome-prefix"
          : distribution.includes("duplicate sequences removed")
            ? "iid-unique"
            : "iid";
        expect({
          name: task.name,
          inputDim: task.inputDim,
          outputDim: task.outputDim,
          input: task.input,
          sampling: task.sampling,
          seqLen: task.seqLen,
          outputRange: task.outputRange,
          target: task.target,
          split: task.split,
          paper: task.paper,
        }).toEqual({
          name: expected.name,
          inputDim: expected.inputDim,
          outputDim: expected.outputDim,
          input: { min: expected.input.min, max: expected.input.max },
          sampling,
          seqLen: expected.seqLen,
          outputRange: expected.outputRange,
          target: expected.target,
          split: expected.split,
          paper: expected.paper,
        });
      }
    },
  );
});
