/**
 * The words at the top of an emitted program: the task, where the program came from, how each
 * line was found, and how it was verified. Only counts and facts go in — no timings — so the same
 * seed gives the same bytes.
 */
import type { PythonHeader } from "../codegen/python.js";
import type { TableProgram } from "../codegen/table.js";
import type { VerificationRecord } from "../codegen/verify.js";
import { formatPython } from "../symbolic/expr.js";
import { programNames, type ProgramIR } from "../symbolic/program.js";

export interface Provenance {
  readonly task: string;
  readonly seed: number;
  readonly hiddenSize: number;
  readonly machine: string;
}

const methodWords: Record<string, string> = {
  constant: "constant",
  "integer-linear": "integer-linear regression",
  boolean: "Boolean regression",
  search: "formula search",
};

export function programHeader(program: ProgramIR | TableProgram, provenance: Provenance, record: VerificationRecord | null, why?: string): PythonHeader {
  const lines = [
    `Synthesized by mips (seed ${provenance.seed}) from a recurrent network with ${provenance.hiddenSize} hidden unit${provenance.hiddenSize === 1 ? "" : "s"};`,
    `machine read out of it: ${provenance.machine}.`,
    "",
    ...(program.kind === "program" ? formulaLines(program) : tableLines(program, why)),
    "",
    ...verificationLines(record),
  ];
  return { title: `${provenance.task}: ${program.kind === "program" ? "a program of formulas" : "a transition table"}`, lines };
}

function formulaLines(ir: ProgramIR): string[] {
  const names = programNames(ir);
  const rows = [
    ...ir.registers.map((r) => ({ text: `${r.name} = ${formatPython(r.update.expr, names)}`, method: r.update.method, note: `initially ${r.initial}` })),
    ...ir.outputs.map((f, j) => ({ text: `y${j} = ${formatPython(f.expr, names)}`, method: f.method, note: "" })),
  ];
  const width = Math.min(60, Math.max(...rows.map((r) => r.text.length))) + 2;
  const line = (r: (typeof rows)[number]): string =>
    `  ${r.text.padEnd(width)}${methodWords[r.method] ?? r.method}${r.note ? `, ${r.note}` : ""}`;
  return [
    ...(ir.registers.length > 0 ? ["Registers, updated together from their old values at each step:", ...rows.slice(0, ir.registers.length).map(line)] : ["No registers: the output reads the current input only."]),
    "Output, from the new register values:",
    ...rows.slice(ir.registers.length).map(line),
    `State coding: ${ir.recoding}.`,
  ];
}

function tableLines(table: TableProgram, why: string | undefined): string[] {
  const known = table.next.filter((n) => n !== null).length;
  return [
    `An explicit transition table, not formulas${why ? `: ${why}` : ""}.`,
    `${table.states} states × ${table.inputs.length} inputs (${known} transitions known); the output belongs to the state entered.`,
  ];
}

function verificationLines(record: VerificationRecord | null): string[] {
  if (record === null) return ["Not verified."];
  const line = (s: VerificationRecord["suites"][number]): string => {
    const verdict = s.python.exact ? "exact" : s.python.error ? `error: ${s.python.error}` : `wrong at sequence ${s.python.counterexample!.sequence}, step ${s.python.counterexample!.step}`;
    return `  ${s.name}: ${s.description}: ${verdict}`;
  };
  const required = record.suites.filter((s) => s.required);
  const optional = record.suites.filter((s) => !s.required);
  const ts = record.suites.every((s) => s.typescript === null || s.typescript.exact);
  return [
    record.verified ? "Verified: the Python version, run by python3, matched the task at every step of" : "NOT verified: the Python version, run by python3, was checked on",
    ...required.map(line),
    ...(optional.length > 0 ? ["Length generalisation (reported, not required):", ...optional.map(line)] : []),
    ts ? "The TypeScript version of this program gave the same outputs." : "The TypeScript version of this program did not match on every suite.",
  ];
}
