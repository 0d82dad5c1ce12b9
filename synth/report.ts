/**
 * A synthesis as people and programs read it: `synthesisReport` (report.json: everything but the
 * weights, the machine's rows and the sources, which have their own files) and `formatSummary`
 * (the one-screen text `mips synth` prints under the program).
 */
import type { TableProgram } from "../codegen/table.js";
import type { VerificationRecord } from "../codegen/verify.js";
import { formatPython } from "../symbolic/expr.js";
import { programNames, type ProgramIR } from "../symbolic/program.js";
import { formatTextTable } from "../common/text-table.js";
import { describeMachine, STAGES, type Synthesis } from "./synthesize.js";

export interface ProgramLine {
  /** "a = x", "y0 = a + b", or "transition table" for a table program. */
  readonly line: string;
  readonly method: string;
}

export interface SynthesisReport {
  readonly kind: "synthesis-report";
  readonly version: 1;
  readonly mips: string;
  readonly task: string;
  readonly seed: number;
  readonly status: Synthesis["status"];
  readonly failure: Synthesis["failure"];
  readonly program: { readonly kind: "formula" | "table"; readonly size: number; readonly lines: readonly ProgramLine[]; readonly recoding: string | null } | null;
  readonly candidates: Synthesis["candidates"];
  readonly network: { readonly hiddenSize: number; readonly hiddenAfterNormalizing: number | null; readonly parameters: number | null } | null;
  readonly machine: { readonly path: "lattice" | "finite"; readonly states: number; readonly description: string } | null;
  readonly search: Synthesis["search"];
  readonly extraction: Synthesis["extraction"];
  readonly regression: Synthesis["regression"];
  readonly verification: VerificationRecord | null;
  readonly seconds: Synthesis["seconds"];
}

export function synthesisReport(s: Synthesis, mipsVersion: string): SynthesisReport {
  const p = s.program;
  return {
    kind: "synthesis-report",
    version: 1,
    mips: mipsVersion,
    task: s.task,
    seed: s.seed,
    status: s.status,
    failure: s.failure,
    program: p ? { kind: p.kind, size: p.size, lines: programLines(p.ir), recoding: p.ir.kind === "program" ? p.ir.recoding : null } : null,
    candidates: s.candidates,
    network: s.model
      ? { hiddenSize: s.model.config.hiddenSize, hiddenAfterNormalizing: s.extraction?.hiddenSize.after ?? null, parameters: s.search && s.search.winnerIndex >= 0 ? s.search.trace[s.search.winnerIndex]!.params : null }
      : null,
    machine: s.machine ? { path: s.machine.path, states: s.machine.states.length, description: describeMachine(s.machine) } : null,
    search: s.search,
    extraction: s.extraction,
    regression: s.regression,
    verification: s.verification,
    seconds: s.seconds,
  };
}

export function programLines(ir: ProgramIR | TableProgram): ProgramLine[] {
  if (ir.kind === "table") return [{ line: `transition table: ${ir.states} states × ${ir.inputs.length} inputs`, method: "table" }];
  const names = programNames(ir);
  return [
    ...ir.registers.map((r) => ({ line: `${r.name} = ${formatPython(r.update.expr, names)}`, method: r.update.method })),
    ...ir.outputs.map((f, j) => ({ line: `y${j} = ${formatPython(f.expr, names)}`, method: f.method })),
  ];
}

/** The one-screen summary: verdict, program lines with methods, network, machine, verification, time per stage. */
export function formatSummary(r: SynthesisReport): string {
  const verdict = r.status === "unsolved"
    ? `NOT SOLVED at stage ${r.failure!.stage} (${r.failure!.reason}): ${r.failure!.detail}`
    : `verified program (${r.status === "formula" ? "formulas" : "transition table"})`;
  const lines = [`task ${r.task}: ${verdict}`];
  if (r.program) {
    lines.push("", `program (${r.program.kind}, size ${r.program.size})${r.status === "unsolved" ? " — not verified" : ""}:`);
    lines.push(...formatTextTable(["line", "method"], r.program.lines.map((l) => [l.line, l.method])).map((l) => `  ${l}`));
    if (r.program.recoding) lines.push(`  state coding: ${r.program.recoding}`);
  }
  lines.push("");
  if (r.network) {
    const after = r.network.hiddenAfterNormalizing !== null && r.network.hiddenAfterNormalizing !== r.network.hiddenSize ? ` (${r.network.hiddenAfterNormalizing} after normalizing)` : "";
    lines.push(`network       hidden ${r.network.hiddenSize}${after}${r.network.parameters !== null ? `, ${r.network.parameters} parameters` : ""}`);
  }
  if (r.machine) lines.push(`machine       ${r.machine.description}${r.machine.path === "lattice" ? `, ${r.machine.states} codes seen` : ""}`);
  if (r.verification) {
    for (const s of r.verification.suites) {
      const ok = s.python.exact && (s.typescript === null || s.typescript.exact);
      lines.push(`${s.required ? "verified on " : "generalises "} ${ok ? "yes" : "NO "}  ${s.name}: ${s.description}`);
    }
  }
  const stages = STAGES.filter((st) => r.seconds[st] > 0).map((st) => `${st} ${r.seconds[st].toFixed(1)} s`);
  lines.push(`time          ${stages.join(", ")}; total ${r.seconds.total.toFixed(1)} s`);
  return lines.join("\n");
}
