import { mkdtempSync, readFileSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { rnnFromJson, runSequence } from "../../rnn/index.js";
import { runCli } from "./run-cli.js";

describe("mips train", () => {
  it("finds a hidden-1 network for Bitwise_Not, prints JSON and writes a loadable model", () => {
    const dir = mkdtempSync(join(tmpdir(), "mips-train-"));
    const out = join(dir, "model.json");
    const run = runCli(["train", "Bitwise_Not", "--json", "--out", out], { timeoutMs: 300_000 });
    expect(run.status, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout) as { task: string; perfect: boolean; config: { hiddenSize: number }; trace: unknown[] };
    expect(report.task).toBe("Bitwise_Not");
    expect(report.perfect).toBe(true);
    expect(report.config.hiddenSize).toBe(1);
    const model = rnnFromJson(readFileSync(out, "utf8"), out);
    expect(model.ok).toBe(true);
    if (model.ok) expect(runSequence(model.value, [[0], [1], [1]]).predictions).toEqual([[1], [0], [0]]);
  });

  it("trains on a user's task.json with data files and prints the search table", () => {
    const dir = mkdtempSync(join(tmpdir(), "mips-train-"));
    const line = (xs: number[]) => JSON.stringify({ x: xs, y: xs.map((v, t) => v + (t > 0 ? xs[t - 1]! : 0)) });
    let state = 12345;
    const digit = () => (state = (state * 1103515245 + 12345) % 2147483648) % 10;
    const lines = (n: number) => Array.from({ length: n }, () => line(Array.from({ length: 6 }, digit))).join("\n");
    writeFileSync(join(dir, "train.jsonl"), lines(2000));
    writeFileSync(join(dir, "test.jsonl"), lines(1000));
    writeFileSync(join(dir, "task.json"), JSON.stringify({ name: "pairs", data: { train: "train.jsonl", test: "test.jsonl" } }));
    const run = runCli(["train", join(dir, "task.json"), "--max-hidden", "4"], { timeoutMs: 300_000 });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toContain("task pairs");
    expect(run.stdout).toMatch(/>>>> +2 +linear/);
    expect(run.stdout).toMatch(/perfect: hidden 2/);
  });

  it("rejects bad input with exit code 2 and writes nothing", () => {
    const dir = mkdtempSync(join(tmpdir(), "mips-train-"));
    const out = join(dir, "model.json");
    const run = runCli(["train", "Not_A_Task", "--out", out]);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('unknown built-in task "Not_A_Task"');
    expect(existsSync(out)).toBe(false);
    expect(runCli(["train", "Bitwise_Not", "--kernel", "gpu"]).status).toBe(2);
  });
});
