import { mkdtempSync, readFileSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { rnnToJson } from "../../rnn/serialize.js";
import { addModLine, linearNetwork } from "../fsm-extract/networks.js";
import { runCli } from "./run-cli.js";

const tempDir = (): string => mkdtempSync(join(tmpdir(), "mips-extract-"));

describe("mips extract", () => {
  it("reads the 3 states of a (s + x) mod 3 network on Add_Mod_3 and writes its diagrams", () => {
    const dir = tempDir();
    const model = join(dir, "model.json");
    writeFileSync(model, rnnToJson(addModLine(3)));
    const run = runCli(["extract", "Add_Mod_3", "--model", model, "--dot", join(dir, "m.dot"), "--mermaid", join(dir, "m.mmd")], { timeoutMs: 300_000 });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toContain("task Add_Mod_3");
    expect(run.stdout).toMatch(/machine +3 states, 3 inputs seen, 9 transitions/);
    expect(run.stdout).toMatch(/exact on 10,000 held-out sequences/);
    const dot = readFileSync(join(dir, "m.dot"), "utf8");
    expect(dot).toMatch(/^digraph machine/);
    expect(dot.match(/ -> s\d/g)?.length).toBe(1 + 9);
    expect(readFileSync(join(dir, "m.mmd"), "utf8")).toMatch(/^stateDiagram-v2/);
  });

  it("puts a linear Sum_Last2 network on a rank-2 lattice and prints the machine as JSON", () => {
    const dir = tempDir();
    const model = join(dir, "model.json");
    // h = (x_t, x_{t−1}), y = h0 + h1: a shift register.
    writeFileSync(model, rnnToJson(linearNetwork([[0, 0], [1, 0]], [[1], [0]], [[1, 1]], [0])));
    const run = runCli(["extract", "Sum_Last2", "--model", model, "--json"], { timeoutMs: 300_000 });
    expect(run.status, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout) as { machine: { path: string; stateDim: number; transitions: unknown[] }; check: { exact: boolean; sequences: number } };
    expect(report.machine.path).toBe("lattice");
    expect(report.machine.stateDim).toBe(2);
    expect(report.check).toMatchObject({ exact: true, sequences: 10000 });
  });

  it("trains and extracts a user's task.json with data files (no --model)", () => {
    const dir = tempDir();
    // y_t = x_t + x_{t−1} over digits: a two-register shift machine.
    let state = 777;
    const digit = (): number => (state = (state * 1103515245 + 12345) % 2147483648) % 10;
    const line = (): string => {
      const xs = Array.from({ length: 6 }, digit);
      return JSON.stringify({ x: xs, y: xs.map((v, t) => v + (t > 0 ? xs[t - 1]! : 0)) });
    };
    writeFileSync(join(dir, "train.jsonl"), Array.from({ length: 2000 }, line).join("\n"));
    writeFileSync(join(dir, "test.jsonl"), Array.from({ length: 1000 }, line).join("\n"));
    writeFileSync(join(dir, "task.json"), JSON.stringify({ name: "pairs", data: { train: "train.jsonl", test: "test.jsonl" } }));
    const run = runCli(["extract", join(dir, "task.json"), "--json"], { timeoutMs: 300_000 });
    expect(run.status, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout) as { task: string; machine: { path: string; stateDim: number }; check: { exact: boolean; sequences: number } };
    expect(report.task).toBe("pairs");
    expect(report.machine).toMatchObject({ path: "lattice", stateDim: 2 });
    expect(report.check).toMatchObject({ exact: true, sequences: 1000 });
  });

  it("rejects a missing or mismatched model with exit code 2 and writes nothing", () => {
    const dir = tempDir();
    const missing = runCli(["extract", "Add_Mod_3", "--model", join(dir, "nope.json"), "--dot", join(dir, "m.dot")]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/nope\.json: cannot read the model \(ENOENT\)/);
    const model = join(dir, "model.json");
    writeFileSync(model, rnnToJson(addModLine(3)));
    const mismatched = runCli(["extract", "Binary_Addition", "--model", model]);
    expect(mismatched.status).toBe(2);
    expect(mismatched.stderr).toMatch(/model\.json: config: the model maps 1 inputs to 1 outputs, task Binary_Addition has 2 and 1/);
    writeFileSync(join(dir, "bad.json"), "{\"kind\": \"rnn\"");
    expect(runCli(["extract", "Add_Mod_3", "--model", join(dir, "bad.json")]).status).toBe(2);
    expect(existsSync(join(dir, "m.dot"))).toBe(false);
  });
});
