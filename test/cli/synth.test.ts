import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { builtinTask } from "../../benchmarks/builtin.js";
import { rnnToJson } from "../../rnn/serialize.js";
import { addModLine } from "../fsm-extract/networks.js";
import { runCli } from "./run-cli.js";

const tempDir = (): string => mkdtempSync(join(tmpdir(), "mips-synth-"));
const root = fileURLToPath(new URL("../..", import.meta.url));

/** Run an emitted program as a script on input sequences; its outputs, one list per sequence. */
function runPython(file: string, inputs: readonly (readonly (readonly number[])[])[]): number[][][] {
  const run = spawnSync("python3", [file], { input: inputs.map((x) => JSON.stringify(x)).join("\n") + "\n", encoding: "utf8" });
  expect(run.status, run.stderr).toBe(0);
  return run.stdout.trim().split("\n").map((l) => JSON.parse(l) as number[][]);
}

interface Report {
  status: string;
  task: string;
  failure: { stage: string; reason: string } | null;
  program: { kind: string; lines: { line: string; method: string }[] } | null;
  verification: { verified: boolean; suites: { name: string; sequences: number; python: { exact: boolean } }[] } | null;
  python: string | null;
  typescript: string | null;
}

/** (s + x) mod 3, the hand-made network of test/fsm-extract/networks.ts: synth runs without training. */
function addMod3Model(dir: string): string {
  const model = join(dir, "add3.json");
  writeFileSync(model, rnnToJson(addModLine(3)));
  return model;
}

describe("mips synth", () => {
  it("compiles an Add_Mod_3 network into a verified program and writes the result directory", () => {
    const dir = tempDir();
    const out = join(dir, "result");
    const run = runCli(["synth", "Add_Mod_3", "--model", addMod3Model(dir), "--out", out], { timeoutMs: 300_000 });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^"""Add_Mod_3: a program of formulas/);
    expect(run.stdout).toMatch(/task Add_Mod_3: verified program \(formulas\)/);
    expect(run.stdout).toMatch(/verified on +yes +held-out: 10,000 fresh sequences of length 10/);
    expect(run.stdout).toMatch(/verified on +yes +exhaustive: all 59,049 input sequences of length 10 over 0\.\.2/);
    expect(readdirSync(out).sort()).toEqual(["machine.dot", "machine.json", "model.json", "program.py", "program.ts", "report.json"]);
    expect(readdirSync(dir).sort()).toEqual(["add3.json", "result"]);

    const program = readFileSync(join(out, "program.py"), "utf8");
    expect(run.stdout).toContain(program);
    expect(program).toMatch(/% 3/);
    const task = builtinTask("Add_Mod_3")!;
    const examples = task.sample!(300, 12345, 25);
    expect(runPython(join(out, "program.py"), examples.map((e) => e.x))).toEqual(examples.map((e) => e.y));

    const report = JSON.parse(readFileSync(join(out, "report.json"), "utf8")) as Report;
    expect(report).toMatchObject({ status: "formula", task: "Add_Mod_3", failure: null });
    expect(report.verification!.suites.map((s) => [s.name, s.python.exact])).toEqual([
      ["held-out", true], ["exhaustive", true], ["length-2x", true], ["length-5x", true],
    ]);
    expect(readFileSync(join(out, "program.ts"), "utf8")).toMatch(/export function run\(/);
    expect(readFileSync(join(out, "machine.dot"), "utf8")).toMatch(/^digraph machine/);

    // The same seed gives the same bytes.
    const again = runCli(["synth", "Add_Mod_3", "--model", join(dir, "add3.json"), "--json"], { timeoutMs: 300_000 });
    expect((JSON.parse(again.stdout) as Report).python).toBe(program);
  });

  it("trains, extracts and verifies Sum_Last2 from scratch (--json)", () => {
    const run = runCli(["synth", "Sum_Last2", "--json"], { timeoutMs: 300_000 });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stderr).toBe("");
    const report = JSON.parse(run.stdout) as Report;
    expect(report.status).toBe("formula");
    expect(report.program!.lines.map((l) => l.method)).toEqual(["integer-linear", "integer-linear", "integer-linear"]);
    const dir = tempDir();
    writeFileSync(join(dir, "p.py"), report.python!);
    expect(runPython(join(dir, "p.py"), [[[3], [4], [5]], [[-7]]])).toEqual([[[3], [7], [9]], [[-7]]]);
  });

  it("compiles a user's task.json with data files and verifies on the held-back half of the test file", () => {
    const dir = tempDir();
    // y_t = x_t + x_{t−1} over digits.
    let state = 4242;
    const digit = (): number => (state = (state * 1103515245 + 12345) % 2147483648) % 10;
    const line = (): string => {
      const xs = Array.from({ length: 6 }, digit);
      return JSON.stringify({ x: xs, y: xs.map((v, t) => v + (t > 0 ? xs[t - 1]! : 0)) });
    };
    writeFileSync(join(dir, "train.jsonl"), Array.from({ length: 2000 }, line).join("\n"));
    writeFileSync(join(dir, "test.jsonl"), Array.from({ length: 2000 }, line).join("\n"));
    writeFileSync(join(dir, "task.json"), JSON.stringify({ name: "pairs", data: { train: "train.jsonl", test: "test.jsonl" } }));
    const run = runCli(["synth", join(dir, "task.json"), "--out", join(dir, "out")], { timeoutMs: 300_000 });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/verified on +yes +held-out: 1,000 sequences of the test file, held back from training and extraction/);
    expect(runPython(join(dir, "out", "program.py"), [[[1], [2], [9]], [[5]]])).toEqual([[[1], [3], [11]], [[5]]]);
  });
});

describe("mips synth, bad input and interruptions", () => {
  const expectBadInput = (args: string[], message: RegExp, dir: string): void => {
    const run = runCli(args);
    expect(run.status, run.stderr).toBe(2);
    expect(run.stderr.trim().split("\n")).toHaveLength(1);
    expect(run.stderr).toMatch(message);
    expect(run.stdout).toBe("");
    expect(existsSync(join(dir, "out"))).toBe(false);
  };

  it("rejects malformed, missing and inconsistent task files and unknown builtins with one line and exit 2", () => {
    const dir = tempDir();
    const out = ["--out", join(dir, "out")];
    writeFileSync(join(dir, "broken.json"), "{\"name\": ");
    expectBadInput(["synth", join(dir, "broken.json"), ...out], /broken\.json: not valid JSON/, dir);
    expectBadInput(["synth", join(dir, "missing.json"), ...out], /missing\.json: no such file/, dir);
    writeFileSync(join(dir, "train.jsonl"), '{"x": [[1, 2], [3]], "y": [1, 2]}\n');
    writeFileSync(join(dir, "test.jsonl"), '{"x": [1], "y": [1]}\n');
    writeFileSync(join(dir, "ragged.json"), JSON.stringify({ name: "r", data: { train: "train.jsonl", test: "test.jsonl" } }));
    expectBadInput(["synth", join(dir, "ragged.json"), ...out], /train\.jsonl:1: x\[1\]/, dir);
    expectBadInput(["synth", "Sum_Lats2", ...out], /unknown built-in task "Sum_Lats2"; did you mean Sum_Last2/, dir);
  });

  it("rejects an --out it cannot write before any work, and leaves nothing behind", () => {
    const dir = tempDir();
    writeFileSync(join(dir, "file"), "x");
    const run = runCli(["synth", "Add_Mod_3", "--out", join(dir, "file", "out")]);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/^mips: --out .*file\/out: cannot write there/);
    writeFileSync(join(dir, "notes.txt"), "mine");
    const occupied = runCli(["synth", "Add_Mod_3", "--out", dir]);
    expect(occupied.status).toBe(2);
    expect(occupied.stderr).toMatch(/not a mips result directory/);
    expect(readdirSync(dir).sort()).toEqual(["file", "notes.txt"]);
  });

  it("a run killed part-way leaves the earlier result intact", async () => {
    const dir = tempDir();
    const out = join(dir, "result");
    const first = runCli(["synth", "Add_Mod_3", "--model", addMod3Model(dir), "--out", out], { timeoutMs: 300_000 });
    expect(first.status, first.stderr).toBe(0);
    const before = Object.fromEntries(readdirSync(out).map((f) => [f, readFileSync(join(out, f), "utf8")]));
    // A second run (training from scratch) killed while it works.
    const child = spawn(process.execPath, [`${root}bin/mips.js`, "synth", "Add_Mod_3", "--out", out], { stdio: "ignore" });
    await new Promise((resolve) => setTimeout(resolve, 4000));
    child.kill("SIGKILL");
    await new Promise((resolve) => child.on("exit", resolve));
    expect(Object.fromEntries(readdirSync(out).map((f) => [f, readFileSync(join(out, f), "utf8")]))).toEqual(before);
    expect(readdirSync(dir).sort()).toEqual(["add3.json", "result"]);
  });
});
