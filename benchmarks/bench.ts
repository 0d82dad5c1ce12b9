/**
 * `mips bench`: the whole pipeline on built-in tasks, `jobs` tasks at a time, each in its own
 * process under a time budget (benchmarks/bench-task.ts). Every finished task is cached under
 * DIR/cache/<Task>.json, keyed by task, seed, budget and code version (the package version and a hash of
 * the compiled code), so `--resume` continues an interrupted run without redoing finished tasks.
 * At the end it writes DIR/results.json, DIR/LEADERBOARD.md, DIR/programs/<Task>.py (each verified
 * program, the exact emitted file) and DIR/index.html.
 *
 * A task's crash or timeout is that task's failure, never the run's.
 */
import { spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { availableParallelism, cpus, totalmem } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { writeFileAtomic } from "../common/atomic-write.js";
import { compiledModuleUrl } from "../common/compiled-url.js";
import { MIPS_VERSION } from "../common/version.js";
import type { BenchTaskInput, CacheEntry, CacheKey } from "./bench-task.js";
import { leaderboardPage } from "./leaderboard-html.js";
import { failedRow, formatLeaderboardMd, leaderboardTotals, type LeaderboardResults, type LeaderboardRow } from "./leaderboard.js";

export interface BenchOptions {
  readonly tasks: readonly string[];
  /** Tasks at a time (default: the number of cores). */
  readonly jobs?: number;
  readonly seed?: number;
  readonly outDir: string;
  /** Reuse cached results of the same task, seed and code. */
  readonly resume?: boolean;
  /** Each task's synthesis budget (default 300 s); its process is killed 120 s after that. */
  readonly budgetSeconds?: number;
  readonly onTask?: (event: BenchTaskEvent) => void;
}

export interface BenchTaskEvent {
  readonly task: string;
  readonly index: number;
  readonly total: number;
  readonly row: LeaderboardRow;
  readonly cached: boolean;
  readonly seconds: number;
}

const GRACE_SECONDS = 120;

export async function runBench(options: BenchOptions): Promise<LeaderboardResults> {
  const started = performance.now();
  const jobs = options.jobs ?? availableParallelism();
  const seed = options.seed ?? 0;
  const budgetSeconds = options.budgetSeconds ?? 300;
  const cacheDir = join(options.outDir, "cache");
  mkdirSync(cacheDir, { recursive: true });
  const code = codeVersion();
  const entries = new Map<string, CacheEntry>();
  const order = longestFirst(options.tasks, options.outDir);
  let done = 0;
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < order.length) {
      const task = order[next++]!;
      const key: CacheKey = { task, seed, budgetSeconds, code };
      const taskStarted = performance.now();
      const cacheFile = join(cacheDir, `${task}.json`);
      let entry = options.resume ? readCache(cacheFile, key) : null;
      const cached = entry !== null;
      entry ??= await runTask({ task, seed, jobs: 1, budgetSeconds, cacheFile, key }, join(cacheDir, `${task}.log`));
      entries.set(task, entry);
      options.onTask?.({ task, index: ++done, total: order.length, row: entry.row, cached, seconds: (performance.now() - taskStarted) / 1000 });
    }
  };
  await Promise.all(Array.from({ length: Math.min(jobs, order.length) }, lane));

  const rows = options.tasks.map((t) => entries.get(t)!.row);
  const results: LeaderboardResults = {
    kind: "leaderboard",
    version: 1,
    mips: MIPS_VERSION,
    seed,
    tasks: rows,
    totals: leaderboardTotals(rows),
    wallSeconds: Number(((performance.now() - started) / 1000).toFixed(1)),
    machine: machineDescription(jobs),
  };
  writeLeaderboard(options.outDir, results, entries);
  return results;
}

/** Run one task's process; its cache entry, or a failed row when it crashed or ran out of time. */
async function runTask(input: BenchTaskInput, logFile: string): Promise<CacheEntry> {
  rmSync(input.cacheFile, { force: true });
  const started = performance.now();
  const script = fileURLToPath(compiledModuleUrl(import.meta.url, "./bench-task.js"));
  const log = openSync(logFile, "w");
  // In bench's process group, so Ctrl-C (or killing the group) stops the tasks too. A timeout kills
  // the task's process; python3 processes it started end on their own when their input is read.
  const child = spawn(process.execPath, [script, JSON.stringify(input)], { stdio: ["ignore", log, log] });
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    child.kill("SIGKILL");
  }, (input.budgetSeconds + GRACE_SECONDS) * 1000);
  const status = await new Promise<number | null>((resolve) => {
    child.on("error", () => resolve(null));
    child.on("exit", (code) => resolve(code));
  });
  clearTimeout(timer);
  closeSync(log);
  const seconds = (performance.now() - started) / 1000;
  const entry = readCache(input.cacheFile, input.key);
  if (entry && status === 0) return entry;
  const failure = timedOut
    ? failedRow(input.task, "timeout", `no result within ${input.budgetSeconds + GRACE_SECONDS} s (budget ${input.budgetSeconds} s)`, seconds)
    : failedRow(input.task, "crash", `the task's process exited with ${status ?? "an error"}: ${lastLine(logFile)}`, seconds);
  const failed: CacheEntry = { kind: "bench-task", version: 1, key: input.key, row: failure, python: null, svg: null };
  writeFileAtomic(input.cacheFile, `${JSON.stringify(failed)}\n`);
  return failed;
}

function readCache(file: string, key: CacheKey): CacheEntry | null {
  try {
    const entry = JSON.parse(readFileSync(file, "utf8")) as CacheEntry;
    const k = entry.key;
    return entry.kind === "bench-task" && k.task === key.task && k.seed === key.seed && k.budgetSeconds === key.budgetSeconds && k.code === key.code ? entry : null;
  } catch {
    return null;
  }
}

/**
 * The code a result was made with: the package version and a hash of every compiled module, so any
 * change to the pipeline makes earlier cache entries stale.
 */
export function codeVersion(): string {
  const root = fileURLToPath(new URL("..", compiledModuleUrl(import.meta.url, "./bench-task.js")));
  const hash = createHash("sha256");
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name.endsWith(".js")) hash.update(path.slice(root.length)).update(readFileSync(path));
    }
  };
  walk(root);
  return `${MIPS_VERSION}+${hash.digest("hex").slice(0, 12)}`;
}

/** Slowest tasks of the previous run first, so the last tasks to finish are short ones. */
function longestFirst(tasks: readonly string[], outDir: string): string[] {
  const previous = new Map<string, number>();
  try {
    const results = JSON.parse(readFileSync(join(outDir, "results.json"), "utf8")) as LeaderboardResults;
    for (const r of results.tasks) previous.set(r.task, r.seconds["total"] ?? 0);
  } catch {
    // No earlier run: the registry's order.
  }
  return [...tasks].sort((a, b) => (previous.get(b) ?? 0) - (previous.get(a) ?? 0));
}

function writeLeaderboard(outDir: string, results: LeaderboardResults, entries: ReadonlyMap<string, CacheEntry>): void {
  const programs = join(outDir, "programs");
  mkdirSync(programs, { recursive: true });
  for (const name of readdirSync(programs)) {
    if (name.endsWith(".py") && !entries.get(name.slice(0, -3))?.python) rmSync(join(programs, name));
  }
  for (const [task, entry] of entries) if (entry.python) writeFileAtomic(join(programs, `${task}.py`), entry.python);
  writeFileAtomic(join(outDir, "results.json"), `${JSON.stringify(results, null, 1)}\n`);
  writeFileAtomic(join(outDir, "LEADERBOARD.md"), formatLeaderboardMd(results));
  writeFileAtomic(join(outDir, "index.html"), leaderboardPage(results, entries));
}

function machineDescription(jobs: number): LeaderboardResults["machine"] {
  const python = spawnSync("python3", ["--version"], { encoding: "utf8" });
  return {
    cpus: availableParallelism(),
    cpuModel: cpus()[0]?.model.trim() ?? "unknown",
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.versions.node,
    python: python.status === 0 ? python.stdout.trim() : null,
    jobs,
  };
}

function lastLine(file: string): string {
  if (!existsSync(file)) return "no output";
  const lines = readFileSync(file, "utf8").trim().split("\n");
  const error = lines.find((l) => /Error|error:/.test(l));
  return (error ?? lines[lines.length - 1] ?? "no output").slice(0, 300);
}
