/**
 * Verification of an emitted program: run the Python file with `python3` in script mode (and the
 * TypeScript twin in-process) on input sequences and compare every output with the expected one.
 * The expected outputs come from the caller (a task's held-out data or its reference); nothing here
 * knows the task.
 */
import { execFile, spawn } from "node:child_process";
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Example, Step } from "../task/types.js";
import { runTypeScript } from "./typescript.js";

/** The first sequence whose outputs differ, the first differing step, and the input up to it. */
export interface Counterexample {
  readonly sequence: number;
  readonly step: number;
  readonly input: readonly Step[];
  readonly expected: Step;
  readonly got: Step | null;
}

export interface PythonVerification {
  readonly sequences: number;
  readonly passed: number;
  readonly exact: boolean;
  readonly counterexample?: Counterexample;
  /** Set when python3 could not run the program at all (missing interpreter, syntax error, exception). */
  readonly error?: string;
}

/**
 * Sequences per python3 process: a suite is split between the parallel processes, in batches of
 * 5,000 to 25,000 (start-up is ~70 ms, a sequence ~15 µs; a failing program is caught in the
 * first batch that holds a counterexample, so batches stay bounded).
 */
const MIN_BATCH = 5000;
const MAX_BATCH = 25_000;

const interpreters = new Map<string, Promise<string>>();

/**
 * The interpreter file `command` starts (sys.executable), found once per process: a version
 * manager's shim (pyenv's is a shell script) doubled the cost of every start. The command itself
 * when that cannot be asked.
 */
function resolveInterpreter(command: string): Promise<string> {
  let resolved = interpreters.get(command);
  if (resolved === undefined) {
    resolved = new Promise((resolve) => {
      execFile(command, ["-c", "import sys; print(sys.executable)"], { timeout: 10_000 }, (error, stdout) => {
        const path = String(stdout).trim();
        resolve(error === null && path !== "" ? path : command);
      });
    });
    interpreters.set(command, resolved);
  }
  return resolved;
}

/**
 * Run the file on every example, `parallel` python3 processes at a time, and compare. The first
 * counterexample is the first in example order. The processes read and write files, not pipes, so
 * they run on while this thread is busy (checking the TypeScript program, say).
 */
export async function verifyPython(source: string, examples: readonly Example[], python = "python3", parallel = 2): Promise<PythonVerification> {
  const interpreter = await resolveInterpreter(python);
  const batch = Math.min(MAX_BATCH, Math.max(MIN_BATCH, Math.ceil(examples.length / parallel)));
  const dir = mkdtempSync(join(tmpdir(), "mips-verify-"));
  try {
    const file = join(dir, "program.py");
    writeFileSync(file, source);
    const starts = Array.from({ length: Math.ceil(examples.length / batch) }, (_, i) => i * batch);
    const runs: Promise<ProcessRun>[] = [];
    const launchUpTo = (count: number): void => {
      while (runs.length < Math.min(count, starts.length)) {
        const k = runs.length;
        const slice = examples.slice(starts[k]!, starts[k]! + batch);
        writeFileSync(join(dir, `in-${k}.jsonl`), slice.map((e) => JSON.stringify(e.x)).join("\n") + "\n");
        runs.push(runProcess(interpreter, [file], join(dir, `in-${k}`)));
      }
    };
    const settle = async (): Promise<void> => void (await Promise.allSettled(runs));
    let passed = 0;
    for (let k = 0; k < starts.length; k++) {
      launchUpTo(k + parallel);
      const run = await runs[k]!;
      if (run.error !== null || run.status !== 0) {
        const why = run.error ?? run.stderr.trim().split("\n").slice(-1)[0] ?? `exit ${run.status}`;
        await settle();
        return { sequences: examples.length, passed, exact: false, error: `${python}: ${why}` };
      }
      const lines = run.stdout.trim() === "" ? [] : run.stdout.trim().split("\n");
      const start = starts[k]!;
      const size = Math.min(batch, examples.length - start);
      for (let i = 0; i < size; i++) {
        const got = lines[i] === undefined ? null : (JSON.parse(lines[i]!) as number[][]);
        const step = firstDifference(examples[start + i]!.y, got);
        if (step >= 0) {
          await settle();
          return { sequences: examples.length, passed, exact: false, counterexample: counterexample(examples, start + i, step, got) };
        }
        passed++;
      }
    }
    return { sequences: examples.length, passed, exact: true };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

interface ProcessRun {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** The process could not be started (e.g. no python3). */
  readonly error: string | null;
}

/** Run `command` with stdin from `${stem}.jsonl`, stdout and stderr to files beside it. */
function runProcess(command: string, args: readonly string[], stem: string): Promise<ProcessRun> {
  return new Promise((resolve) => {
    const fds = [openSync(`${stem}.jsonl`, "r"), openSync(`${stem}.out`, "w"), openSync(`${stem}.err`, "w")];
    let done = false;
    const finish = (status: number | null, error: string | null): void => {
      if (done) return;
      done = true;
      for (const fd of fds) closeSync(fd);
      resolve({ status, stdout: readFileSync(`${stem}.out`, "utf8"), stderr: readFileSync(`${stem}.err`, "utf8"), error });
    };
    const child = spawn(command, args, { stdio: fds });
    child.on("error", (e) => finish(null, e.message));
    child.on("close", (status) => finish(status, null));
  });
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

function counterexample(examples: readonly Example[], sequence: number, step: number, got: readonly Step[] | null): Counterexample {
  const e = examples[sequence]!;
  return { sequence, step, input: e.x.slice(0, step + 1), expected: e.y[step] ?? [], got: got?.[step] ?? null };
}

// ---------------------------------------------------------------- the verification record

/** Sequences with their expected outputs, and what passing them means. */
export interface VerificationSuite {
  readonly name: string;
  /** What the suite is, in words: "10,000 fresh sequences of length 10". */
  readonly description: string;
  /** Required suites decide "verified"; the others (length generalisation) are reported beside them. */
  readonly required: boolean;
  readonly examples: readonly Example[];
}

export interface SuiteResult {
  readonly name: string;
  readonly description: string;
  readonly required: boolean;
  readonly sequences: number;
  /** Longest sequence in the suite. */
  readonly length: number;
  /** The Python program, run by python3. */
  readonly python: PythonVerification;
  /** The TypeScript program, run in-process on the same inputs (null when there is none). */
  readonly typescript: { readonly exact: boolean; readonly counterexample?: Counterexample; readonly error?: string } | null;
}

export interface VerificationRecord {
  readonly kind: "verification";
  readonly version: 1;
  /** Every required suite is non-empty and exact in Python, and the TypeScript program agrees. */
  readonly verified: boolean;
  /** Every suite that is not required (longer sequences) is exact; null when there were none. */
  readonly generalises: boolean | null;
  readonly suites: readonly SuiteResult[];
}

/** Run both programs on every suite; an empty required suite cannot verify anything. */
export async function verifyProgram(python: string, typescript: string | null, suites: readonly VerificationSuite[], python3 = "python3"): Promise<VerificationRecord> {
  const results: SuiteResult[] = [];
  for (const suite of suites) {
    // python3 runs in child processes while the TypeScript program runs here.
    const pending = verifyPython(python, suite.examples, python3);
    const ts = typescript === null ? null : checkTypeScript(typescript, suite.examples);
    results.push({
      name: suite.name,
      description: suite.description,
      required: suite.required,
      sequences: suite.examples.length,
      length: suite.examples.reduce((m, e) => Math.max(m, e.x.length), 0),
      python: await pending,
      typescript: ts,
    });
  }
  const passes = (r: SuiteResult): boolean => r.python.exact && (r.typescript === null || r.typescript.exact);
  const required = results.filter((r) => r.required);
  const optional = results.filter((r) => !r.required);
  return {
    kind: "verification",
    version: 1,
    verified: required.length > 0 && required.every((r) => r.sequences > 0 && passes(r)),
    generalises: optional.length === 0 ? null : optional.every(passes),
    suites: results,
  };
}

function checkTypeScript(source: string, examples: readonly Example[]): NonNullable<SuiteResult["typescript"]> {
  const run = runTypeScript(source, examples.map((e) => e.x));
  if (!run.ok) {
    const e = examples[run.failure.sequence];
    return { exact: false, error: `sequence ${run.failure.sequence}${e ? ` (${e.x.length} steps)` : ""}: ${run.failure.message}` };
  }
  for (let i = 0; i < examples.length; i++) {
    const step = firstDifference(examples[i]!.y, run.value[i] ?? null);
    if (step >= 0) return { exact: false, counterexample: counterexample(examples, i, step, run.value[i] ?? null) };
  }
  return { exact: true };
}
