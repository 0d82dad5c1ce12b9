import { describe, expect, it } from "vitest";
import { benchmarkTasks, findBenchmarkTask, sampleExamples } from "../../benchmarks/index.js";
import type { BenchmarkTask } from "../../benchmarks/index.js";
import type { Example } from "../../task/types.js";

const task = (name: string): BenchmarkTask => findBenchmarkTask(name)!;
const key = (example: Example): string => JSON.stringify(example.x);

/**
 * Problems with lengths, dimensions, integrality or the input alphabet, as readable lines (an
 * expect per value would make these loops slow).
 */
function malformed(spec: BenchmarkTask, examples: readonly Example[], length: number): string[] {
  const problems: string[] = [];
  for (const { x, y } of examples) {
    if (x.length !== length || y.length !== length) problems.push(`${spec.name}: lengths ${x.length}, ${y.length}`);
    for (const step of x) {
      const inAlphabet = (v: number) => Number.isInteger(v) && v >= spec.input.min && v <= spec.input.max;
      if (step.length !== spec.inputDim || !step.every(inAlphabet)) problems.push(`${spec.name}: input step ${JSON.stringify(step)}`);
    }
    for (const step of y) {
      if (step.length !== spec.outputDim || !step.every(Number.isInteger)) {
        problems.push(`${spec.name}: output step ${JSON.stringify(step)}`);
      }
    }
  }
  return problems;
}

/** "[a,b]" (optionally followed by a note such as "(bound)") or "{0,1}"; undefined for looser ranges. */
function numericRange(outputRange: string): { min: number; max: number } | undefined {
  if (outputRange === "{0,1}") return { min: 0, max: 1 };
  const match = /^\[(-?\d+),(-?\d+)\]/.exec(outputRange);
  return match ? { min: Number(match[1]), max: Number(match[2]) } : undefined;
}

describe("sampleExamples", () => {
  it("is deterministic, and the seed matters", () => {
    for (const spec of benchmarkTasks) {
      const a = sampleExamples(spec, { n: 30, seed: 7 });
      expect(sampleExamples(spec, { n: 30, seed: 7 }), spec.name).toEqual(a);
      expect(sampleExamples(spec, { n: 30, seed: 8 }).map(key), spec.name).not.toEqual(a.map(key));
    }
  });

  it("pairs every input with its reference output", () => {
    for (const spec of benchmarkTasks) {
      for (const { x, y } of sampleExamples(spec, { n: 5, seed: 1 })) expect(y).toEqual(spec.reference(x));
    }
  });

  it("stays in the alphabet at the default length and at 1, 2x and 5x", () => {
    const problems: string[] = [];
    for (const spec of benchmarkTasks) {
      problems.push(...malformed(spec, sampleExamples(spec, { n: 200, seed: 3 }), spec.seqLen));
      for (const length of [1, 2 * spec.seqLen, 5 * spec.seqLen]) {
        problems.push(...malformed(spec, sampleExamples(spec, { n: 20, seed: 4, length }), length));
      }
    }
    expect(problems).toEqual([]);
  });

  it("uses the whole input alphabet", () => {
    const spec = task("Abs_Current");
    const values = new Set(sampleExamples(spec, { n: 2000, seed: 5 }).flatMap(({ x }) => x.map((step) => step[0])));
    expect(values.size).toBe(200);
  });

  it("keeps outputs in the spec's numeric output range over 2,000 samples", () => {
    const checked: string[] = [];
    const outside: string[] = [];
    for (const spec of benchmarkTasks) {
      const range = numericRange(spec.outputRange);
      if (range === undefined) continue;
      checked.push(spec.name);
      for (const { y } of sampleExamples(spec, { n: 2000, seed: 11 })) {
        for (const v of y.flat()) if (v < range.min || v > range.max) outside.push(`${spec.name}: ${v}`);
      }
    }
    expect(outside).toEqual([]);
    // Only Newton_Magnetic ("about [-1031,1001] observed ...") has no exact range.
    expect(benchmarkTasks.filter((spec) => !checked.includes(spec.name)).map((spec) => spec.name)).toEqual([
      "Newton_Magnetic",
    ]);
  });

  it("returns nothing for n = 0 and rejects bad sizes", () => {
    expect(sampleExamples(task("Sum_All"), { n: 0, seed: 0 })).toEqual([]);
    expect(() => sampleExamples(task("Sum_All"), { n: -1, seed: 0 })).toThrow(RangeError);
    expect(() => sampleExamples(task("Sum_All"), { n: 1, seed: 0, length: 0 })).toThrow(RangeError);
  });
});

describe("Bit_Palindrome sampling", () => {
  const spec = task("Bit_Palindrome");

  it("starts every sequence with a palindrome of length >= 2", () => {
    const examples = sampleExamples(spec, { n: 2000, seed: 2 });
    for (const { x, y } of examples) {
      // y_t = 1 for some t >= 1 means the prefix x_0..x_t is a palindrome of length t + 1 >= 2.
      const palindromeEnds = y.map(([v], t) => (v === 1 ? t : -1)).filter((t) => t >= 1);
      expect(palindromeEnds.length, JSON.stringify(x)).toBeGreaterThan(0);
    }
    // L is uniform in {2..10}: about 1 in 9 sequences is a palindrome over its whole length.
    const whole = examples.filter(({ y }) => y[9]![0] === 1).length;
    expect(whole).toBeGreaterThan(2000 / 9 - 80);
  });

  it("follows the length override", () => {
    for (const { x, y } of sampleExamples(spec, { n: 200, seed: 3, length: 25 })) {
      expect(x).toHaveLength(25);
      expect(y.slice(1).some(([v]) => v === 1)).toBe(true);
    }
  });
});

describe("Previous_Equals_Current sampling", () => {
  const spec = task("Previous_Equals_Current");

  it("draws distinct sequences", () => {
    const examples = sampleExamples(spec, { n: 5000, seed: 9 });
    expect(examples).toHaveLength(5000);
    expect(new Set(examples.map(key)).size).toBe(5000);
  });

  it("stays distinct when duplicates are likely (512 possible sequences of length 3)", () => {
    const examples = sampleExamples(spec, { n: 200, seed: 9, length: 3 });
    expect(new Set(examples.map(key)).size).toBe(200);
    const most = sampleExamples(spec, { n: 500, seed: 9, length: 3 });
    expect(new Set(most.map(key)).size).toBe(500);
  });

  it("returns every possible sequence when n exceeds how many there are", () => {
    const all = sampleExamples(spec, { n: 1000, seed: 9, length: 2 });
    expect(all).toHaveLength(64);
    expect(new Set(all.map(key)).size).toBe(64);
  });
});
