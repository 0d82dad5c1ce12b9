import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { builtinTask } from "../../benchmarks/builtin.js";
import type { LeaderboardResults } from "../../benchmarks/leaderboard.js";
import { runCli } from "./run-cli.js";

const root = fileURLToPath(new URL("../..", import.meta.url));
const tempDir = (): string => mkdtempSync(join(tmpdir(), "mips-bench-"));

/** Outputs of a program run alone as a script, one list per input sequence. */
function runProgram(file: string, inputs: readonly (readonly (readonly number[])[])[]): number[][][] {
  const run = spawnSync("python3", [file], { input: inputs.map((x) => JSON.stringify(x)).join("\n") + "\n", encoding: "utf8" });
  expect(run.status, run.stderr).toBe(0);
  return run.stdout.trim().split("\n").map((l) => JSON.parse(l) as number[][]);
}

describe("mips bench", () => {
  it("writes results.json, LEADERBOARD.md, programs/ and index.html for a task subset", () => {
    const out = join(tempDir(), "board");
    const run = runCli(["bench", "--tasks", "Sum_All,Bitwise_Xor", "--out", out, "--jobs", "2"], { timeoutMs: 600_000 });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/\[ 2\/2\]/);
    const results = JSON.parse(readFileSync(join(out, "results.json"), "utf8")) as LeaderboardResults;
    expect(results.tasks.map((t) => [t.task, t.status])).toEqual([["Sum_All", "formula"], ["Bitwise_Xor", "formula"]]);
    expect(results.totals).toMatchObject({ tasks: 2, solved: 2, formulas: 2, tables: 0, paperMips: 2 });
    expect(results.tasks[0]!.verification.heldOut).toEqual({ sequences: 10000, length: 10, exact: true });
    expect(readdirSync(join(out, "programs")).sort()).toEqual(["Bitwise_Xor.py", "Sum_All.py"]);
    expect(readFileSync(join(out, "LEADERBOARD.md"), "utf8")).toMatch(/mips verified programs for \*\*2 of 2\*\* tasks/);
    expect(readFileSync(join(out, "index.html"), "utf8")).toMatch(/^<!doctype html>/);
    const task = builtinTask("Sum_All")!;
    const examples = task.sample!(100, 777, 30);
    expect(runProgram(join(out, "programs", "Sum_All.py"), examples.map((e) => e.x))).toEqual(examples.map((e) => e.y));
  });

  it("rejects an unknown task with exit code 2", () => {
    const run = runCli(["bench", "--tasks", "Sum_All,Sum_Lats2", "--out", join(tempDir(), "x")]);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/unknown built-in task "Sum_Lats2"; did you mean Sum_Last2/);
  });

  it("after a kill, --resume finishes without redoing the finished tasks", async () => {
    const out = join(tempDir(), "board");
    const tasks = "Sum_All,Diff_Last2,Sum_Last2";
    const child = spawn(process.execPath, [`${root}bin/mips.js`, "bench", "--tasks", tasks, "--out", out, "--jobs", "1"], { stdio: "ignore", detached: true });
    const first = join(out, "cache", "Sum_All.json");
    for (let waited = 0; !existsSync(first) && waited < 240_000; waited += 200) await new Promise((r) => setTimeout(r, 200));
    process.kill(-child.pid!, "SIGKILL");
    await new Promise((r) => child.on("exit", r));
    expect(existsSync(first)).toBe(true);
    expect(existsSync(join(out, "results.json"))).toBe(false);
    const finishedAt = statSync(first).mtimeMs;

    const resumed = runCli(["bench", "--tasks", tasks, "--out", out, "--jobs", "1", "--resume"], { timeoutMs: 600_000 });
    expect(resumed.status, resumed.stderr).toBe(0);
    expect(resumed.stdout).toMatch(/Sum_All +cached formula/);
    expect(resumed.stdout).not.toMatch(/Sum_Last2 +cached/);
    expect(statSync(first).mtimeMs).toBe(finishedAt);
    const results = JSON.parse(readFileSync(join(out, "results.json"), "utf8")) as LeaderboardResults;
    expect(results.tasks.map((t) => t.status)).toEqual(["formula", "formula", "formula"]);

    // A finished run is not redone at all.
    const again = runCli(["bench", "--tasks", tasks, "--out", out, "--jobs", "1", "--resume"], { timeoutMs: 120_000 });
    expect(again.stdout.match(/cached/g)).toHaveLength(3);
  });
});

describe("the committed leaderboard", () => {
  const board = join(root, "benchmarks", "leaderboard");
  const committed = existsSync(join(board, "results.json"));

  it.skipIf(!committed)("every program in programs/ reproduces its task when run alone (a sample of tasks, fresh sequences)", () => {
    const results = JSON.parse(readFileSync(join(board, "results.json"), "utf8")) as LeaderboardResults;
    const solved = results.tasks.filter((t) => t.status !== "unsolved").map((t) => t.task);
    expect(readdirSync(join(board, "programs")).sort()).toEqual(solved.map((t) => `${t}.py`).sort());
    // Every fourth solved task: a spread of formulas and tables across the registry.
    for (const name of solved.filter((_, i) => i % 4 === 0)) {
      const task = builtinTask(name)!;
      const examples = task.sample!(200, 4242);
      expect(runProgram(join(board, "programs", `${name}.py`), examples.map((e) => e.x)), name).toEqual(examples.map((e) => e.y));
    }
  });
});

