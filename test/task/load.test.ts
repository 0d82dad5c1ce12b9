import { mkdtempSync, mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { describeTaskError, loadTaskFile, parseExamples, resolveTask } from "../../task/index.js";

/** A fresh folder with the given files; returns the path of `task.json` in it. */
function taskFolder(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "mips-task-"));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, ".."), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return join(dir, "task.json");
}

const good = JSON.stringify({ name: "echo", data: { train: "train.jsonl", test: "test.jsonl" } });

/** The one-line error for a task folder, with the temporary directory stripped. */
function errorOf(files: Record<string, string>): string {
  const path = taskFolder(files);
  const result = loadTaskFile(path);
  if (result.ok) throw new Error("expected an error");
  return describeTaskError(result.failure).replace(path, "task.json");
}

describe("task.json with data files", () => {
  it("loads data, accepts bare numbers for 1-dimensional steps, infers dimensions and ranges", () => {
    const path = taskFolder({
      "task.json": good,
      "train.jsonl": '{"x": [1, 2, 3], "y": [[1], [3], [5]]}\n\n{"x": [[0]], "y": [0]}\n',
      "test.jsonl": '{"x": [[4], [-1]], "y": [[4], [3]]}\n',
    });
    const result = loadTaskFile(path);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const task = result.value;
    expect(task.inputDim).toBe(1);
    expect(task.outputDim).toBe(1);
    expect(task.dataset.train).toEqual([
      { x: [[1], [2], [3]], y: [[1], [3], [5]] },
      { x: [[0]], y: [[0]] },
    ]);
    expect(task.dataset.inputRanges).toEqual([{ min: -1, max: 4 }]);
    expect(task.dataset.outputRanges).toEqual([{ min: 0, max: 5 }]);
    expect(task.sample).toBeUndefined();
  });

  it("resolves data paths relative to the task file", () => {
    const path = taskFolder({
      "task.json": JSON.stringify({ name: "sub", data: { train: "data/a.jsonl", test: "data/b.jsonl" }, inputDim: 2 }),
      "data/a.jsonl": '{"x": [[1, 2]], "y": [[3]]}',
      "data/b.jsonl": '{"x": [[2, 2]], "y": [[4]]}',
    });
    const result = loadTaskFile(path);
    expect(result.ok && result.value.inputDim).toBe(2);
  });

  it("names the file, line and field of each problem", () => {
    const data = (train: string, test = '{"x": [[1]], "y": [[1]]}') => ({ "task.json": good, "train.jsonl": train, "test.jsonl": test });
    expect(errorOf({ "task.json": good, "test.jsonl": "" })).toMatch(/train\.jsonl: data\.train: no such file$/);
    expect(errorOf(data('{"x": [[1]], "y": [[1]]}\n{"x": [[1], [2, 3]], "y": [[1], [2]]}'))).toBe(
      "train.jsonl:2: x[1]: has 2 components but earlier steps have 1",
    );
    expect(errorOf(data('{"x": [[1.5]], "y": [[1]]}'))).toBe("train.jsonl:1: x[0][0]: 1.5 is not an integer");
    expect(errorOf(data('{"x": [["a"]], "y": [[1]]}'))).toBe('train.jsonl:1: x[0][0]: "a" is not an integer');
    expect(errorOf(data('{"x": [[1], [2]], "y": [[1]]}'))).toBe("train.jsonl:1: y: x has 2 steps but y has 1");
    expect(errorOf(data("\n\n"))).toBe("train.jsonl: no examples: the file has no non-blank lines");
    expect(errorOf(data("{not json"))).toMatch(/^train\.jsonl:1: not valid JSON/);
    expect(errorOf(data('{"x": [[1]]}'))).toBe("train.jsonl:1: y: missing or not a list of steps");
    expect(errorOf(data('{"x": [[1]], "y": [[1]]}', '{"x": [[1, 2]], "y": [[1]]}'))).toBe(
      "test.jsonl:1: x[0]: has 2 components but the task's inputDim is 1",
    );
  });

  it("rejects malformed task files naming the field", () => {
    expect(errorOf({ "task.json": "{" })).toMatch(/^task\.json: not valid JSON/);
    expect(errorOf({ "task.json": JSON.stringify({ name: "x" }) })).toMatch(/^task\.json: data: /);
    expect(errorOf({ "task.json": JSON.stringify({ name: "x", data: { train: "a", test: "b" }, inputDim: 0 }) })).toMatch(
      /^task\.json: inputDim: /,
    );
    expect(errorOf({ "task.json": JSON.stringify({ name: "x", data: { train: "a", test: "b" }, extra: 1 }) })).toMatch(/^task\.json: /);
  });
});

describe("built-in tasks", () => {
  it("resolves a bare name and a task.json naming a builtin with overrides", () => {
    const byName = resolveTask("Sum_Last2");
    expect(byName.ok && byName.value.dataset.train.length).toBe(10_000);
    const path = taskFolder({ "task.json": JSON.stringify({ builtin: "Sum_Last2", seed: 3, trainSize: 50, testSize: 20 }) });
    const byFile = loadTaskFile(path);
    expect(byFile.ok).toBe(true);
    if (!byFile.ok) return;
    expect(byFile.value.dataset.train.length).toBe(50);
    expect(byFile.value.dataset.test.length).toBe(20);
    expect(byFile.value.sample).toBeTypeOf("function");
  });

  it("reports unknown builtins with suggestions", () => {
    const result = resolveTask("sum_last2");
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.failure.code).toBe("unknown_builtin");
    expect(describeTaskError(result.failure)).toContain("Sum_Last2");
    expect(errorOf({ "task.json": JSON.stringify({ builtin: "Nope_Task" }) })).toMatch(/^task\.json: builtin: unknown built-in task "Nope_Task"/);
  });
});

describe("parseExamples", () => {
  it("honours dimension hints", () => {
    const result = parseExamples('{"x": [[1]], "y": [[1]]}', "f.jsonl", { inputDim: 2 });
    expect(result.ok).toBe(false);
  });
});
