import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { builtinTask } from "../../benchmarks/builtin.js";
import { resolveTask } from "../../task/load.js";
import type { Task } from "../../task/types.js";
import { verificationData } from "../../synth/verification-data.js";

const builtin = (name: string): Task => builtinTask(name, { seed: 0, trainSize: 200, testSize: 200 })!;
const key = (x: readonly (readonly number[])[]): string => JSON.stringify(x);

describe("verificationData, built-in tasks", () => {
  it("draws fresh held-out data and 2× / 5× lengths from their own seeds, reference outputs included", () => {
    const task = builtin("Sum_Last2");
    const data = verificationData(task, { seed: 0, heldOut: 300 });
    expect(data.suites.map((s) => [s.name, s.required, s.examples.length, s.examples[0]!.x.length])).toEqual([
      ["held-out", true, 300, 10],
      ["exhaustive", true, 10_000, 2],
      ["length-2x", false, 300, 20],
      ["length-5x", false, 300, 50],
    ]);
    const training = new Set([...task.dataset.train, ...task.dataset.test].map((e) => key(e.x)));
    expect(data.suites[0]!.examples.some((e) => training.has(key(e.x)))).toBe(false);
    for (const s of data.suites) for (const e of s.examples.slice(0, 20)) expect(e.y).toEqual(task.reference!(e.x));
    expect(data.dataset).toBe(task.dataset);
  });

  it("is deterministic in the seed", () => {
    const a = verificationData(builtin("Sum_Last2"), { seed: 4, heldOut: 50 });
    const b = verificationData(builtin("Sum_Last2"), { seed: 4, heldOut: 50 });
    const c = verificationData(builtin("Sum_Last2"), { seed: 5, heldOut: 50 });
    expect(b.suites[0]!.examples).toEqual(a.suites[0]!.examples);
    expect(c.suites[0]!.examples).not.toEqual(a.suites[0]!.examples);
  });

  it("enumerates every binary sequence of the training length when there are few enough", () => {
    const suite = verificationData(builtin("Parity_Last3"), { seed: 0, heldOut: 10 }).suites.find((s) => s.name === "exhaustive")!;
    expect(suite.examples.length).toBe(2 ** 10);
    expect(new Set(suite.examples.map((e) => key(e.x))).size).toBe(1024);
  });

  it("stops at the longest length within the bound, over every component of the input", () => {
    // Binary_Addition reads two bits a step: 4 steps, 4^8 = 65,536 ≤ 200,000 < 4^9.
    const suite = verificationData(builtin("Binary_Addition"), { seed: 0, heldOut: 10 }).suites.find((s) => s.name === "exhaustive")!;
    expect(suite.examples.length).toBe(4 ** 8);
    expect(suite.examples[0]!.x[0]).toHaveLength(2);
    expect(verificationData(builtin("Binary_Addition"), { seed: 0, heldOut: 10, exhaustiveLimit: 100 }).suites.find((s) => s.name === "exhaustive")!.examples.length).toBe(4 ** 3);
  });

  it("keeps to the task's support: Bit_Palindrome sequences start with a palindrome", () => {
    const suite = verificationData(builtin("Bit_Palindrome"), { seed: 0, heldOut: 10 }).suites.find((s) => s.name === "exhaustive")!;
    // Of the 1,024 sequences of length 10, those whose prefixes of length 2..10 are all non-palindromes are excluded.
    expect(suite.examples.length).toBeLessThan(1024);
    expect(suite.examples.length).toBeGreaterThan(700);
    expect(suite.examples.some((e) => key(e.x) === key([[0], [1], [1], [1], [1], [1], [1], [1], [1], [1]]))).toBe(false);
    expect(suite.description).toMatch(/that the task's distribution can produce \(of 1,024\)/);
  });
});

describe("verificationData, data-file tasks", () => {
  const lines = (n: number, offset: number): string =>
    Array.from({ length: n }, (_, i) => JSON.stringify({ x: [i + offset, 1], y: [i + offset, i + offset + 1] })).join("\n");
  const fileTask = (withVerify: boolean): Task => {
    const dir = mkdtempSync(join(tmpdir(), "mips-vdata-"));
    writeFileSync(join(dir, "train.jsonl"), lines(20, 0));
    writeFileSync(join(dir, "test.jsonl"), lines(11, 100));
    writeFileSync(join(dir, "verify.jsonl"), lines(7, 200));
    const data = withVerify ? { train: "train.jsonl", test: "test.jsonl", verify: "verify.jsonl" } : { train: "train.jsonl", test: "test.jsonl" };
    writeFileSync(join(dir, "task.json"), JSON.stringify({ name: "running", data }));
    const task = resolveTask(join(dir, "task.json"));
    if (!task.ok) throw new Error(task.failure.message);
    return task.value;
  };

  it("verifies on the task's verify file and leaves the dataset whole", () => {
    const task = fileTask(true);
    const data = verificationData(task, { seed: 0 });
    expect(data.dataset.test).toHaveLength(11);
    expect(data.suites).toHaveLength(1);
    expect(data.suites[0]!.examples.map((e) => e.x[0]![0])).toEqual([200, 201, 202, 203, 204, 205, 206]);
  });

  it("without a verify file, holds half of the test file back from training and extraction", () => {
    const task = fileTask(false);
    const data = verificationData(task, { seed: 0 });
    const kept = data.dataset.test.map((e) => key(e.x));
    const held = data.suites[0]!.examples.map((e) => key(e.x));
    expect(kept.length + held.length).toBe(11);
    expect(held.length).toBe(6);
    expect(kept.some((k) => held.includes(k))).toBe(false);
    expect(data.dataset.train).toBe(task.dataset.train);
    expect(verificationData(task, { seed: 0 }).suites[0]!.examples).toEqual(data.suites[0]!.examples);
  });
});
