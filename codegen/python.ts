/**
 * Python source of a ProgramIR (DESIGN.md, "The emitted program"): a standard-library-only file
 * with `run(xs)` — xs a list of steps, each a list of inputDim ints; returns one list of outputDim
 * ints per step — and, run as a script, JSON Lines on stdin (a JSON array of steps, or an object
 * {"x": steps}; a bare number is a 1-dimensional step) to one JSON array of outputs per line.
 *
 * Inside `run` the registers are plain local variables with literal initial values, updated
 * together by one tuple assignment from their old values; then the outputs are formulas of the new
 * values. Deterministic text: the same IR and header give the same bytes.
 */
import { formatPython } from "../symbolic/expr.js";
import { programNames, validRegisterName, type ProgramIR } from "../symbolic/program.js";
import type { Step } from "../task/types.js";
import type { TableProgram } from "./table.js";

export interface PythonHeader {
  /** First docstring line, e.g. the task name. */
  readonly title: string;
  /** Further docstring lines: how each formula was found, how the program was verified. */
  readonly lines: readonly string[];
}

export function emitPython(ir: ProgramIR, header: PythonHeader): string {
  const names = programNames(ir);
  for (const r of ir.registers) {
    if (!validRegisterName(r.name)) throw new RangeError(`emitPython: register name "${r.name}" would shadow a name of the program`);
  }
  const indent = (n: number, text: string): string => `${" ".repeat(n)}${text}`;
  const body: string[] = [];
  if (ir.registers.length > 0) {
    body.push(indent(4, `${ir.registers.map((r) => r.name).join(", ")} = ${ir.registers.map((r) => String(r.initial)).join(", ")}`));
  }
  body.push(indent(4, "ys = []"), indent(4, "for x in xs:"));
  if (ir.inputDim > 1) body.push(indent(8, `${names.input.join(", ")} = x`));
  else body.push(indent(8, "x = x[0]"));
  if (ir.registers.length > 0) {
    const updates = ir.registers.map((r) => formatPython(r.update.expr, names));
    body.push(indent(8, `${ir.registers.map((r) => r.name).join(", ")} = ${updates.join(", ")}`));
  }
  body.push(indent(8, `ys.append([${ir.outputs.map((f) => formatPython(f.expr, names)).join(", ")}])`));
  body.push(indent(4, "return ys"));
  return pythonFile(header, [], body);
}

/**
 * Python source of a transition-table program (codegen/table.ts): the tables as module constants,
 * `run(xs)` looks each step up. A step the table does not cover raises ValueError naming it.
 */
export function emitPythonTable(table: TableProgram, header: PythonHeader): string {
  const tuple = (x: Step): string => (x.length === 1 ? `(${x[0]},)` : `(${x.join(", ")})`);
  const m = table.inputs.length;
  const rows = Array.from({ length: table.states }, (_, s) =>
    `    [${table.next.slice(s * m, (s + 1) * m).map((n) => (n === null ? "None" : String(n))).join(", ")}],`);
  const constants = [
    "# Transition table: the extracted machine, listed (the docstring says why there are no formulas).",
    `INPUT_INDEX = {${table.inputs.map((x, i) => `${tuple(x)}: ${i}`).join(", ")}}`,
    `INITIAL_STATE = ${table.initial}`,
    "# NEXT_STATE[state][input index]; None: the network never showed this pair.",
    "NEXT_STATE = [",
    ...rows,
    "]",
    "# OUTPUT[state]: the output on entering the state.",
    "OUTPUT = [",
    ...table.outputs.map((o) => `    ${o === null ? "None" : `[${o.join(", ")}]`},`),
    "]",
    "",
    "",
  ];
  const body = [
    "    state = INITIAL_STATE",
    "    ys = []",
    "    for x in xs:",
    "        index = INPUT_INDEX.get(tuple(x))",
    "        following = None if index is None else NEXT_STATE[state][index]",
    "        if following is None or OUTPUT[following] is None:",
    '            raise ValueError(f"input {x} in state {state} is outside the transition table")',
    "        state = following",
    "        ys.append(list(OUTPUT[state]))",
    "    return ys",
  ];
  return pythonFile(header, constants, body);
}

/** The file around `run`: docstring, imports, module constants, run(xs), and the JSON Lines script mode. */
function pythonFile(header: PythonHeader, constants: readonly string[], runBody: readonly string[]): string {
  const docstring = [`"""${escapeDocstring(header.title)}`, "", ...header.lines.map(escapeDocstring), '"""'];
  return [
    ...docstring,
    "import json",
    "import sys",
    "",
    "",
    ...constants,
    "def run(xs):",
    ...runBody,
    "",
    "",
    "def main():",
    "    for line in sys.stdin:",
    "        if not line.strip():",
    "            continue",
    "        data = json.loads(line)",
    '        steps = data["x"] if isinstance(data, dict) else data',
    "        steps = [step if isinstance(step, list) else [step] for step in steps]",
    '        print(json.dumps(run(steps), separators=(",", ":")))',
    "",
    "",
    'if __name__ == "__main__":',
    "    main()",
    "",
  ].join("\n");
}

/** Docstring text must not close the docstring or start an escape. */
function escapeDocstring(line: string): string {
  return line.replace(/\\/g, "\\\\").replace(/"""/g, '\\"\\"\\"').trimEnd();
}
