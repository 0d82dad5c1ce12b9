/**
 * `npm run bench:synth`: `synthesize` end to end, one task after another (each run uses both cores),
 * on the issue's example tasks — or on --tasks A,B. Writes benchmarks/results/synth.{json,md}
 * (status, program lines, verification, seconds per stage, and the median wall time) and every
 * verified program as benchmarks/results/synth/<Task>.py, the exact emitted file.
 *
 * Options: --tasks A,B, --seed S, --jobs N (threads inside one synthesis), --task-time-limit
 * SECONDS (synthesize's budget).
 */
import { mkdirSync } from "node:fs";
import { writeFileAtomic } from "../common/atomic-write.js";
import { MIPS_VERSION } from "../common/version.js";
import { synthesisReport, type SynthesisReport } from "../synth/report.js";
import { synthesize } from "../synth/synthesize.js";
import { builtinTask } from "./builtin.js";
import { parseBenchOptions, resultsDir } from "./bench-runner.js";
import { benchmarkTasks } from "./tasks.js";

/** The tasks issue 5 names: linear, Boolean, modular and finite-state programs. */
export const EXAMPLE_TASKS = [
  "Sum_Last2", "Prev3", "Sum_All", "Diff_Last2", "Abs_Diff", "Binary_Addition", "Parity_Last3",
  "Bitwise_Xor", "Add_Mod_3", "Newton_Spring", "Base_3_Addition", "Div_3", "Evens_Counter",
];

interface Row {
  readonly task: string;
  readonly status: SynthesisReport["status"] | "crashed";
  readonly wallSeconds: number;
  readonly report: SynthesisReport | null;
  readonly error: string | null;
}

async function main(): Promise<void> {
  const options = parseBenchOptions("bench:synth", 900);
  const names = options.fullRun ? EXAMPLE_TASKS : options.names;
  const programsDir = `${resultsDir}synth/`;
  mkdirSync(programsDir, { recursive: true });
  const rows: Row[] = [];
  for (const name of names) {
    const started = performance.now();
    let row: Row;
    try {
      const result = await synthesize(builtinTask(name, { seed: options.seed })!, { seed: options.seed, jobs: options.jobs, budgetSeconds: options.limitMs / 1000 });
      if (result.status !== "unsolved") writeFileAtomic(`${programsDir}${name}.py`, result.program!.python);
      const report = synthesisReport(result, MIPS_VERSION);
      row = { task: name, status: result.status, wallSeconds: seconds(started), report, error: null };
    } catch (error) {
      row = { task: name, status: "crashed", wallSeconds: seconds(started), report: null, error: (error as Error).stack ?? String(error) };
    }
    rows.push(row);
    process.stdout.write(`${name.padEnd(20)} ${row.status.padEnd(9)} ${row.wallSeconds.toFixed(1)} s${row.report?.failure ? `  ${row.report.failure.stage}: ${row.report.failure.detail}` : ""}\n`);
    const suffix = options.fullRun || names === EXAMPLE_TASKS ? "" : "-subset";
    writeFileAtomic(`${resultsDir}synth${suffix}.json`, `${JSON.stringify(rows, null, 1)}\n`);
    writeFileAtomic(`${resultsDir}synth${suffix}.md`, formatTable(rows));
  }
}

const seconds = (started: number): number => Number(((performance.now() - started) / 1000).toFixed(1));

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function formatTable(rows: readonly Row[]): string {
  const solved = rows.filter((r) => r.status === "formula" || r.status === "table");
  const lines = [
    "# mips synth on the example tasks",
    "",
    `Verified programs: **${solved.length} of ${rows.length}** (${rows.filter((r) => r.status === "formula").length} formulas, ${rows.filter((r) => r.status === "table").length} tables). ` +
      `Median wall time ${median(rows.map((r) => r.wallSeconds)).toFixed(1)} s, slowest ${Math.max(...rows.map((r) => r.wallSeconds)).toFixed(1)} s (\`npm run bench:synth\`, seed 0, 2 cores, one task at a time). ` +
      "Each program is in [`synth/`](synth/) exactly as emitted.",
    "",
    "| task | status | hidden (paper) | machine | program | held-out | exhaustive | 2× / 5× length | train s | extract s | regress s | verify s | total s |",
    "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
  ];
  for (const r of rows) {
    const rep = r.report;
    const paper = benchmarkTasks.find((t) => t.name === r.task)?.paper.rnnHiddenDim ?? "–";
    const suite = (name: string): string => {
      const s = rep?.verification?.suites.find((x) => x.name === name);
      return s ? `${s.python.exact && (s.typescript?.exact ?? true) ? "✓" : "✗"} ${s.sequences.toLocaleString("en-US")}` : "–";
    };
    const program = rep?.program ? rep.program.lines.map((l) => `\`${l.line.replace(/\|/g, "\\|")}\``).join("<br>") : "–";
    const s = rep?.seconds;
    lines.push(
      `| ${r.task} | ${r.status === "unsolved" ? `**unsolved** (${rep?.failure?.stage})` : r.status} | ${rep?.network?.hiddenSize ?? "–"} (${paper}) | ${rep?.machine?.description ?? "–"} | ${program} | ${suite("held-out")} | ${suite("exhaustive")} | ${suite("length-2x")} / ${suite("length-5x")} | ${s?.train.toFixed(1) ?? "–"} | ${s?.extract.toFixed(1) ?? "–"} | ${s?.regress.toFixed(1) ?? "–"} | ${s?.verify.toFixed(1) ?? "–"} | ${r.wallSeconds.toFixed(1)} |`,
    );
  }
  return `${lines.join("\n")}\n`;
}

await main();
