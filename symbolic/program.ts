/**
 * ProgramIR, the value symbolic regression produces, and its interpreter (the reference that the
 * emitted code must agree with).
 *
 * A program is a few integer registers with literal initial values and one formula per register
 * and per output. One step, reading input x_t:
 * 1. every register updates at once from the OLD registers and x_t: in an update formula, variable
 *    {kind: "state", index: i} is register i before the step;
 * 2. every output is a formula of the NEW registers and x_t: in an output formula, {kind: "state",
 *    index: i} is register i after the step.
 * This is the Moore machine of fsm-extract/ (the output belongs to the state entered) written as
 * formulas. Evaluation follows Python (symbolic/expr.ts `evaluate`).
 *
 * Invariants: registers[i].update and outputs[j] mention only state variables < registers.length
 * and input variables < inputDim; outputs.length === outputDim; register names are distinct Python
 * identifiers that are not keywords, builtins or the emitted program's own names (`validRegisterName`).
 */
import { evaluate, formatPython, type VariableNames } from "./expr.js";
import type { Formula } from "./types.js";

export interface Register {
  readonly name: string;
  readonly initial: number;
  readonly update: Formula;
}

export interface ProgramIR {
  readonly kind: "program";
  readonly version: 1;
  readonly inputDim: number;
  readonly outputDim: number;
  readonly registers: readonly Register[];
  readonly outputs: readonly Formula[];
  /** How the machine's states were re-coded into these registers (symbolic/recode.ts), in words. */
  readonly recoding: string;
  /**
   * Registers and inputs that hold only 0 or 1 on every row of the machine the program was fitted
   * to; the printers use them bare as truth values (see VariableNames.binary). Absent: none known.
   */
  readonly binary?: { readonly registers: readonly boolean[]; readonly inputs: readonly boolean[] };
}

/** One step: the new registers and the outputs, or null when a formula fails (division by zero, overflow). */
export function stepProgram(
  ir: ProgramIR,
  registers: readonly number[],
  input: readonly number[],
): { registers: number[]; outputs: number[] } | null {
  const next: number[] = [];
  for (const register of ir.registers) {
    const value = evaluate(register.update.expr, { state: registers, input });
    if (value === null) return null;
    next.push(value);
  }
  const outputs: number[] = [];
  for (const output of ir.outputs) {
    const value = evaluate(output.expr, { state: next, input });
    if (value === null) return null;
    outputs.push(value);
  }
  return { registers: next, outputs };
}

/** The outputs at every step of one input sequence (each step a list of inputDim ints), or null when evaluation fails. */
export function runProgram(ir: ProgramIR, xs: readonly (readonly number[])[]): number[][] | null {
  let registers = ir.registers.map((r) => r.initial);
  const ys: number[][] = [];
  for (const x of xs) {
    if (x.length !== ir.inputDim) throw new RangeError(`runProgram: a step has ${x.length} inputs, the program reads ${ir.inputDim}`);
    const step = stepProgram(ir, registers, x);
    if (step === null) return null;
    registers = step.registers;
    ys.push(step.outputs);
  }
  return ys;
}

// ---------------------------------------------------------------- names

/** Python keywords and the builtins a formula or the emitted program could plausibly shadow. */
const reserved = new Set([
  "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue", "def", "del", "elif",
  "else", "except", "finally", "for", "from", "global", "if", "import", "in", "is", "lambda", "nonlocal", "not", "or",
  "pass", "raise", "return", "try", "while", "with", "yield", "match", "case", "type",
  "abs", "all", "any", "bin", "bool", "chr", "dict", "divmod", "filter", "float", "format", "hash", "hex", "id", "input",
  "int", "iter", "len", "list", "map", "max", "min", "next", "object", "oct", "open", "ord", "pow", "print", "range",
  "repr", "reversed", "round", "set", "slice", "sorted", "str", "sum", "tuple", "zip", "json", "sys",
  // The emitted program's own names (DESIGN.md: `run(xs)`, a loop over steps `x`, outputs `ys`).
  "x", "t", "xs", "ys", "y", "run", "main", "line", "step",
]);

/** A register name is a lower-case Python identifier that shadows nothing in the emitted program. */
export function validRegisterName(name: string): boolean {
  return /^[a-z][a-z0-9_]*$/.test(name) && !reserved.has(name) && !/^x\d+$/.test(name);
}

/** Plain names for `count` registers: a, b, c, … (skipping t, x, y), then r0, r1, … beyond. */
export function plainRegisterNames(count: number): string[] {
  const letters = "abcdefghijklmnopqrsuvwz".split("");
  return count <= letters.length ? letters.slice(0, count) : Array.from({ length: count }, (_, i) => `r${i}`);
}

/**
 * Printing names: registers by name, inputs `x` (one input) or `x0`, `x1`, … The same names serve
 * update formulas (old values) and output formulas (new values); formatProgram says which is which.
 */
export function programNames(ir: Pick<ProgramIR, "registers" | "inputDim" | "binary">): VariableNames {
  return {
    state: ir.registers.map((r) => r.name),
    input: Array.from({ length: ir.inputDim }, (_, i) => (ir.inputDim === 1 ? "x" : `x${i}`)),
    ...(ir.binary ? { binary: { state: ir.binary.registers, input: ir.binary.inputs } } : {}),
  };
}

/**
 * The program as a person reads it, e.g.
 * ```
 * registers (updated together from their old values)   init  method          size
 *   a = x                                                0     integer-linear  1
 *   b = a                                                0     integer-linear  1
 * outputs (of the new registers)
 *   y0 = a + b                                                 integer-linear  3
 * recoding: lattice codes as extracted
 * ```
 */
export function formatProgram(ir: ProgramIR): string {
  const names = programNames(ir);
  const rows = [
    ...ir.registers.map((r) => ({ left: `  ${r.name} = ${formatPython(r.update.expr, names)}`, init: String(r.initial), f: r.update })),
    ...ir.outputs.map((f, j) => ({ left: `  y${j} = ${formatPython(f.expr, names)}`, init: "", f })),
  ];
  const width = Math.max(52, ...rows.map((r) => r.left.length)) + 2;
  const line = (r: (typeof rows)[number]): string =>
    `${r.left.padEnd(width)}${r.init.padEnd(6)}${r.f.method.padEnd(16)}${r.f.size}`.trimEnd();
  return [
    `${"registers (updated together from their old values)".padEnd(width)}init  method          size`,
    ...rows.slice(0, ir.registers.length).map(line),
    "outputs (of the new registers)",
    ...rows.slice(ir.registers.length).map(line),
    `recoding: ${ir.recoding}`,
  ].join("\n");
}

/** Total node count of the program's formulas: the measure re-codings compete on. */
export function programSize(ir: Pick<ProgramIR, "registers" | "outputs">): number {
  return ir.registers.reduce((s, r) => s + r.update.size, 0) + ir.outputs.reduce((s, f) => s + f.size, 0);
}
