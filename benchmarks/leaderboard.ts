/**
 * The leaderboard's data: one row per task (what mips did, beside what the paper's MIPS and GPT-4
 * did), the totals, and LEADERBOARD.md. Rows are plain JSON, built from a synthesis report by
 * `leaderboardRow` in the task's own process and cached as they are.
 */
import type { SynthesisReport } from "../synth/report.js";
import { benchmarkTasks } from "./tasks.js";

export interface SuiteSummary {
  readonly sequences: number;
  /** Longest sequence (the exhaustive suite: the length enumerated). */
  readonly length: number;
  /** Python and TypeScript both exact. */
  readonly exact: boolean;
}

export interface LeaderboardRow {
  readonly task: string;
  readonly status: "formula" | "table" | "unsolved";
  /** Unsolved: the stage that stopped (train, extract, regress, emit, verify, or "timeout"/"crash") and why. */
  readonly stage: string | null;
  readonly reason: string | null;
  /** Each register and output line of the program with its method ("table" for a table program). */
  readonly lines: readonly { readonly line: string; readonly method: string }[];
  readonly programSize: number | null;
  readonly hiddenSize: number | null;
  readonly paperHiddenSize: number;
  readonly machine: { readonly path: "lattice" | "finite"; readonly states: number } | null;
  readonly verification: {
    readonly heldOut: SuiteSummary | null;
    readonly exhaustive: SuiteSummary | null;
    readonly length2x: SuiteSummary | null;
    readonly length5x: SuiteSummary | null;
  };
  readonly seconds: Readonly<Record<string, number>>;
  readonly paper: { readonly mipsSolved: boolean; readonly mipsMethod: string | null; readonly gpt4Solved: boolean };
}

export interface LeaderboardTotals {
  readonly tasks: number;
  readonly solved: number;
  readonly formulas: number;
  readonly tables: number;
  readonly paperMips: number;
  readonly gpt4: number;
  /** Solved by mips, by neither the paper's MIPS nor GPT-4. */
  readonly newlySolved: readonly string[];
  /** Solved by the paper's MIPS but not by mips. */
  readonly paperOnly: readonly string[];
  /** Solved by mips, the paper's MIPS or GPT-4. */
  readonly union: number;
}

export interface LeaderboardResults {
  readonly kind: "leaderboard";
  readonly version: 1;
  readonly mips: string;
  readonly seed: number;
  readonly tasks: readonly LeaderboardRow[];
  readonly totals: LeaderboardTotals;
  readonly wallSeconds: number;
  readonly machine: { readonly cpus: number; readonly cpuModel: string; readonly memoryGiB: number; readonly node: string; readonly python: string | null; readonly jobs: number };
}

function paperOf(task: string): LeaderboardRow["paper"] & { readonly hidden: number } {
  const spec = benchmarkTasks.find((t) => t.name === task);
  if (!spec) throw new RangeError(`leaderboard: unknown task ${task}`);
  return { mipsSolved: spec.paper.mipsSolved, mipsMethod: spec.paper.mipsMethod, gpt4Solved: spec.paper.gpt4Solved, hidden: spec.paper.rnnHiddenDim };
}

export function leaderboardRow(report: SynthesisReport): LeaderboardRow {
  const { hidden, ...paper } = paperOf(report.task);
  const suite = (name: string): SuiteSummary | null => {
    const s = report.verification?.suites.find((x) => x.name === name);
    return s ? { sequences: s.sequences, length: s.length, exact: s.python.exact && (s.typescript?.exact ?? true) } : null;
  };
  return {
    task: report.task,
    status: report.status,
    stage: report.failure?.stage ?? null,
    reason: report.failure ? `${report.failure.reason}: ${report.failure.detail}` : null,
    lines: report.program?.lines ?? [],
    programSize: report.program?.size ?? null,
    hiddenSize: report.network?.hiddenSize ?? null,
    paperHiddenSize: hidden,
    machine: report.machine ? { path: report.machine.path, states: report.machine.states } : null,
    verification: { heldOut: suite("held-out"), exhaustive: suite("exhaustive"), length2x: suite("length-2x"), length5x: suite("length-5x") },
    seconds: Object.fromEntries(Object.entries(report.seconds).map(([k, v]) => [k, Number(v.toFixed(1))])),
    paper,
  };
}

/** A task that produced no report (its process crashed or ran out of time). */
export function failedRow(task: string, stage: "timeout" | "crash", reason: string, seconds: number): LeaderboardRow {
  const { hidden, ...paper } = paperOf(task);
  return {
    task, status: "unsolved", stage, reason, lines: [], programSize: null, hiddenSize: null, paperHiddenSize: hidden, machine: null,
    verification: { heldOut: null, exhaustive: null, length2x: null, length5x: null }, seconds: { total: Number(seconds.toFixed(1)) }, paper,
  };
}

export function leaderboardTotals(rows: readonly LeaderboardRow[]): LeaderboardTotals {
  const solved = (r: LeaderboardRow): boolean => r.status !== "unsolved";
  return {
    tasks: rows.length,
    solved: rows.filter(solved).length,
    formulas: rows.filter((r) => r.status === "formula").length,
    tables: rows.filter((r) => r.status === "table").length,
    paperMips: rows.filter((r) => r.paper.mipsSolved).length,
    gpt4: rows.filter((r) => r.paper.gpt4Solved).length,
    newlySolved: rows.filter((r) => solved(r) && !r.paper.mipsSolved && !r.paper.gpt4Solved).map((r) => r.task),
    paperOnly: rows.filter((r) => !solved(r) && r.paper.mipsSolved).map((r) => r.task),
    union: rows.filter((r) => solved(r) || r.paper.mipsSolved || r.paper.gpt4Solved).length,
  };
}

/** The one-line summary README and LEADERBOARD.md open with. */
export function summaryLine(results: LeaderboardResults): string {
  const t = results.totals;
  return `mips verified programs for **${t.solved} of ${t.tasks}** tasks (${t.formulas} formulas, ${t.tables} transition tables); ` +
    `the paper's MIPS solved ${t.paperMips}, GPT-4 ${t.gpt4}. ${t.newlySolved.length} tasks are solved by mips and by neither; ` +
    `${t.union} by at least one of the three. Full run: ${(results.wallSeconds / 60).toFixed(1)} min on ${results.machine.cpus} cores.`;
}

export function formatLeaderboardMd(results: LeaderboardResults): string {
  const t = results.totals;
  const check = (s: SuiteSummary | null): string => (s === null ? "–" : `${s.exact ? "✓" : "✗"} ${s.sequences.toLocaleString("en-US")}`);
  const cell = (text: string): string => text.replace(/\|/g, "\\|").replace(/\n/g, " ");
  const lines = [
    "# mips leaderboard: the 62 MIPS benchmark tasks",
    "",
    summaryLine(results),
    "",
    `- Solved by mips and by neither the paper's MIPS nor GPT-4 (${t.newlySolved.length}): ${t.newlySolved.join(", ") || "none"}.`,
    `- Solved by the paper's MIPS but not by mips (${t.paperOnly.length}): ${t.paperOnly.join(", ") || "none"}.`,
    `- "Verified" means the emitted Python file, run by python3, and its TypeScript twin reproduce the task at every step of 10,000 fresh held-out sequences and, for small alphabets, of every input sequence up to the longest length with at most 200,000 of them (the exhaustive column gives the count). The 2× and 5× columns test length generalisation and are not required. The paper checked its programs on 10 sequences; GPT-4's count is the paper's.`,
    `- mips ${results.mips}, seed ${results.seed}, ${results.machine.jobs} tasks at a time on ${results.machine.cpus} cores (${results.machine.cpuModel}), Node ${results.machine.node}, ${results.machine.python ?? "no python3"}. Programs: [programs/](programs/); an interactive page: [index.html](index.html).`,
    "",
    "| task | mips | program | hidden (paper) | machine | held-out | exhaustive | 2× | 5× | paper MIPS | GPT-4 | seconds |",
    "|---|---|---|---|---|---|---|---|---|---|---|---|",
  ];
  for (const r of results.tasks) {
    const status = r.status === "unsolved" ? `**unsolved** (${r.stage})` : r.status === "formula" ? `[formula](programs/${r.task}.py)` : `[table](programs/${r.task}.py)`;
    const program = r.status === "unsolved" ? cell(r.reason ?? "") : r.lines.map((l) => `\`${cell(l.line)}\` (${l.method})`).join("<br>");
    const machine = r.machine ? `${r.machine.path} ${r.machine.states}` : "–";
    lines.push(
      `| ${r.task} | ${status} | ${program} | ${r.hiddenSize ?? "–"} (${r.paperHiddenSize}) | ${machine} | ${check(r.verification.heldOut)} | ${check(r.verification.exhaustive)} | ${check(r.verification.length2x)} | ${check(r.verification.length5x)} | ${r.paper.mipsSolved ? `yes (${r.paper.mipsMethod})` : "no"} | ${r.paper.gpt4Solved ? "yes" : "no"} | ${r.seconds["total"]?.toFixed(1) ?? "–"} |`,
    );
  }
  return `${lines.join("\n")}\n`;
}
