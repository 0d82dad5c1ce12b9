/**
 * Verification of an emitted Python program: run it with `python3` in script mode on input
 * sequences and compare every output with the expected one. The expected outputs come from the
 * caller (a task's held-out data or its reference); nothing here knows the task.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Example, Step } from "../task/types.js";

export interface PythonVerification {
  readonly sequences: number;
  readonly passed: number;
  readonly exact: boolean;
  /** The first sequence whose outputs differ, with the first differing step. */
  readonly counterexample?: { readonly sequence: number; readonly step: number; readonly input: readonly Step[]; readonly expected: Step; readonly got: Step | null };
  /** Set when python3 could not run the program at all (missing interpreter, syntax error, exception). */
  readonly error?: string;
}

/** Sequences per python3 process: large enough to amortise start-up, small enough for the pipe. */
const BATCH = 5000;

export function verifyPython(source: string, examples: readonly Example[], python = "python3"): PythonVerification {
  const dir = mkdtempSync(join(tmpdir(), "mips-verify-"));
  try {
    const file = join(dir, "program.py");
    writeFileSync(file, source);
    let passed = 0;
    for (let start = 0; start < examples.length; start += BATCH) {
      const batch = examples.slice(start, start + BATCH);
      const run = spawnSync(python, [file], { input: batch.map((e) => JSON.stringify(e.x)).join("\n") + "\n", encoding: "utf8", maxBuffer: 1 << 30 });
      if (run.error || run.status !== 0) {
        const why = run.error ? run.error.message : run.stderr.trim().split("\n").slice(-1)[0] ?? `exit ${run.status}`;
        return { sequences: examples.length, passed, exact: false, error: `${python}: ${why}` };
      }
      const lines = run.stdout.trim() === "" ? [] : run.stdout.trim().split("\n");
      for (let i = 0; i < batch.length; i++) {
        const expected = batch[i]!.y;
        const got = lines[i] === undefined ? null : (JSON.parse(lines[i]!) as number[][]);
        const step = firstDifference(expected, got);
        if (step >= 0) {
          return {
            sequences: examples.length,
            passed,
            exact: false,
            counterexample: { sequence: start + i, step, input: batch[i]!.x.slice(0, step + 1), expected: expected[step]!, got: got?.[step] ?? null },
          };
        }
        passed++;
      }
    }
    return { sequences: examples.length, passed, exact: true };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The first step where the outputs differ (a missing or extra step counts), or −1. */
function firstDifference(expected: readonly Step[], got: readonly Step[] | null): number {
  if (got === null) return 0;
  for (let t = 0; t < Math.max(expected.length, got.length); t++) {
    const e = expected[t];
    const g = got[t];
    if (!e || !g || e.length !== g.length || e.some((v, j) => v !== g[j])) return t;
  }
  return -1;
}
