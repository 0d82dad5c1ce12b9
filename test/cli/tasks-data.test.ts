import { describe, expect, it } from "vitest";
import { benchmarkTasks } from "../../benchmarks/index.js";
import { runCli } from "./run-cli.js";

describe("mips tasks", () => {
  it("lists all 62 tasks as a table and as JSON", () => {
    const table = runCli(["tasks"]);
    expect(table.status).toBe(0);
    expect(table.stdout.trim().split("\n")).toHaveLength(63);
    const json = runCli(["tasks", "--json"]);
    const rows = JSON.parse(json.stdout) as Array<{ name: string; paper: { rnnHiddenDim: number } }>;
    expect(rows.map((r) => r.name)).toEqual(benchmarkTasks.map((t) => t.name));
    expect(rows.find((r) => r.name === "Add_Mod_8")!.paper.rnnHiddenDim).toBe(67);
  });
});

describe("mips data", () => {
  it("prints examples that agree with every task's reference, at the task's length and at another", () => {
    // Every task at its own length; every fourth also at another length (a process start each).
    for (const [i, task] of benchmarkTasks.entries()) {
      for (const length of i % 4 === 0 ? [task.seqLen, 13] : [task.seqLen]) {
        const run = runCli(["data", task.name, "--n", "5", "--seed", "7", "--length", String(length)]);
        expect(run.status, `${task.name}: ${run.stderr}`).toBe(0);
        const lines = run.stdout.trim().split("\n").map((l) => JSON.parse(l) as { x: number[][]; y: number[][] });
        expect(lines).toHaveLength(5);
        for (const { x, y } of lines) {
          expect(x).toHaveLength(length);
          expect(x.every((step) => step.length === task.inputDim && step.every((v) => v >= task.input.min && v <= task.input.max))).toBe(true);
          expect(y.every((step) => step.length === task.outputDim)).toBe(true);
          expect(y).toEqual(task.reference(x));
        }
      }
    }
  });

  it("is deterministic in the seed", () => {
    const a = runCli(["data", "Parity_Last3", "--n", "20", "--seed", "3"]).stdout;
    const b = runCli(["data", "Parity_Last3", "--n", "20", "--seed", "3"]).stdout;
    const c = runCli(["data", "Parity_Last3", "--n", "20", "--seed", "4"]).stdout;
    expect(a).toBe(b);
    expect(a).not.toBe(c);
  });
});

describe("bad input", () => {
  it("exits 2 with a one-line error naming the cause", () => {
    const unknown = runCli(["data", "Sum_Lst2"]);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr.trim()).toMatch(/^mips: \(command line\): unknown built-in task "Sum_Lst2"; did you mean Sum_Last2\b.*\?$/);
    const missing = runCli(["data", "no/such/task.json"]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain("no/such/task.json: no such file");
    const badFlag = runCli(["data", "Sum_Last2", "--n", "-3"]);
    expect(badFlag.status).toBe(2);
    expect(badFlag.stderr).toContain("expected a positive integer");
    expect(runCli(["frobnicate"]).status).toBe(2);
  });

  it("--help exits 0 on every command", () => {
    for (const command of [[], ["tasks"], ["data"], ["train"]]) {
      const run = runCli([...command, "--help"]);
      expect(run.status).toBe(0);
      expect(run.stdout).toContain("Usage: mips");
    }
  });
});
