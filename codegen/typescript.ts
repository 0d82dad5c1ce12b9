/**
 * TypeScript source of a program (a ProgramIR or a transition table), the twin of codegen/python.ts:
 * a module exporting `run(xs)` — xs a list of steps, each a list of inputDim ints; it returns one
 * list of outputDim ints per step. The file is built with ts-morph's structure API and type-checked
 * in memory (strict, noUnusedLocals, noUnusedParameters, lib ES2022) before it is returned; a
 * program that does not type-check is a failure value, never a file. `runTypeScript` runs such a
 * source in-process (transpiled once, evaluated in a `node:vm` context) so that the pipeline can
 * check it against the IR interpreter and the Python program.
 *
 * Inside `run`, registers are `let` locals with literal initial values. A step computes every new
 * value into a `const` (`aNext`) from the old values, then assigns them all; outputs are formulas
 * of the new values. `//` and `%` call the helpers of symbolic/expr.ts `typeScriptHelpers`
 * (included when used), which throw RangeError on a zero divisor where Python raises.
 *
 * Names: registers keep their names, except one that TypeScript reserves or the program uses
 * itself (`new`, `mod`, `state`…), which gets a trailing underscore. Only the inputs and registers
 * that some formula reads are declared (noUnusedLocals); a register nobody reads keeps its update,
 * evaluated for its failures (`void (…)`), and no variable.
 *
 * Deterministic text: the same program and header give the same bytes.
 */
import vm from "node:vm";
import {
  IndentationText, NewLineKind, Project, QuoteKind, StructureKind, VariableDeclarationKind, ts,
  type FunctionDeclarationStructure, type StatementStructures, type WriterFunction,
} from "ts-morph";
import { fail, ok, type Result } from "../common/result.js";
import { formatTypeScript, typeScriptHelpers, type VariableNames } from "../symbolic/expr.js";
import { programNames, validRegisterName, type ProgramIR } from "../symbolic/program.js";
import type { BinaryOp, Expr } from "../symbolic/types.js";
import type { Step } from "../task/types.js";
import type { PythonHeader } from "./python.js";
import type { TableProgram } from "./table.js";

/** The emitted source did not type-check: each diagnostic is one line, `program.ts:LINE: message`. */
export interface TypeScriptFailure {
  readonly reason: "type_errors";
  readonly diagnostics: readonly string[];
}

/** A sequence on which the program threw (or gave something other than safe integers): its index and the message. */
export interface TypeScriptRunFailure {
  readonly sequence: number;
  readonly message: string;
}

const fileName = "program.ts";

export function emitTypeScript(program: ProgramIR | TableProgram, header: PythonHeader): Result<string, TypeScriptFailure> {
  if (program.kind === "program") {
    for (const r of program.registers) {
      if (!validRegisterName(r.name)) throw new RangeError(`emitTypeScript: register name "${r.name}" would shadow a name of the program`);
    }
  }
  const project = newProject();
  const statements = program.kind === "table" ? tableStatements(program) : formulaStatements(program);
  const file = project.createSourceFile(fileName, { statements: [headerComment(header), ...statements] });
  file.formatText(formatSettings);
  const source = file.getFullText();
  const diagnostics = diagnosticLines(project);
  return diagnostics.length === 0 ? ok(source) : fail({ reason: "type_errors", diagnostics });
}

/** The diagnostics of a source under the emitter's compiler options (empty: it type-checks). */
export function typeCheck(source: string): string[] {
  const project = newProject();
  project.createSourceFile(fileName, source);
  return diagnosticLines(project);
}

// ---------------------------------------------------------------- the compiler

/**
 * One Project per call, so no state outlives a call. Measured on the 2-core machine: the
 * constructor takes under 1 ms; the type-check in a fresh Project 70–130 ms (it parses the ES2022
 * lib files), 15–20 ms when one Project is reused; the first call of a process ~650 ms. Reuse is
 * the optimisation to make if emitting ever sits in a loop. skipLibCheck: the bundled lib files
 * need no checking (checking them costs ~5× more).
 */
function newProject(): Project {
  return new Project({
    useInMemoryFileSystem: true,
    compilerOptions: {
      strict: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.ESNext,
      noUnusedLocals: true,
      noUnusedParameters: true,
      lib: ["lib.es2022.d.ts"],
      types: [],
      skipLibCheck: true,
    },
    manipulationSettings: {
      indentationText: IndentationText.TwoSpaces,
      newLineKind: NewLineKind.LineFeed,
      quoteKind: QuoteKind.Double,
      useTrailingCommas: true,
    },
  });
}

const formatSettings = {
  indentSize: 2,
  tabSize: 2,
  convertTabsToSpaces: true,
  newLineCharacter: "\n",
  ensureNewLineAtEndOfFile: true,
  semicolons: ts.SemicolonPreference.Insert,
} as const;

function diagnosticLines(project: Project): string[] {
  return project.getPreEmitDiagnostics().map((d) => {
    const message = ts.flattenDiagnosticMessageText(d.compilerObject.messageText, " ");
    const where = d.getSourceFile()?.getBaseName() ?? fileName;
    const line = d.getLineNumber();
    return line === undefined ? `${where}: ${message}` : `${where}:${line}: ${message}`;
  });
}

// ---------------------------------------------------------------- the file

/** The header as the file's leading comment block; text cannot close the comment. */
function headerComment(header: PythonHeader): WriterFunction {
  const line = (text: string): string => (text === "" ? " *" : ` * ${text.replace(/\*\//g, "*\\/")}`.trimEnd());
  const lines = ["/**", line(header.title), ...(header.lines.length === 0 ? [] : [" *", ...header.lines.map(line)]), " */"];
  return (writer) => {
    for (const text of lines) writer.writeLine(text);
    writer.blankLine();
  };
}

/**
 * `export function run(xs)`: the lines before the loop, `for (const step of xs) { … }`, then
 * `return ys;` (one writer, so the text has no blank line the structure printer would add).
 */
function runFunction(docs: string, before: readonly string[], loopBody: readonly string[]): FunctionDeclarationStructure {
  return {
    kind: StructureKind.Function,
    docs: [docs],
    isExported: true,
    name: "run",
    parameters: [{ name: "xs", type: "readonly (readonly number[])[]" }],
    returnType: "number[][]",
    statements: (writer) => {
      for (const line of before) writer.writeLine(line);
      writer.write("for (const step of xs)").block(() => {
        for (const line of loopBody) writer.writeLine(line);
      });
      writer.writeLine("return ys;");
    },
  };
}

const ints = (n: number): string => `${n} int${n === 1 ? "" : "s"}`;

function formulaStatements(ir: ProgramIR): (string | StatementStructures)[] {
  const usage = { state: new Set<number>(), input: new Set<number>(), ops: new Set<BinaryOp>() };
  for (const r of ir.registers) collect(r.update.expr, usage);
  for (const f of ir.outputs) collect(f.expr, usage);

  const names = programNames(ir);
  const tsNames: VariableNames = { state: registerNames(names.state), input: names.input };
  const helpers = typeScriptHelpers.split(/\n(?=function )/).map((text) => text.trim());
  const helper = (name: string): string => {
    const text = helpers.find((h) => h.startsWith(`function ${name}(`));
    if (text === undefined) throw new Error(`emitTypeScript: typeScriptHelpers defines no ${name}`);
    return text;
  };
  const used = (["floordiv", "mod"] as const).filter((op) => usage.ops.has(op));

  const before: string[] = [];
  const loopBody: string[] = [
    `if (step.length !== ${ir.inputDim}) throw new RangeError(\`a step has \${step.length} inputs, the program reads ${ir.inputDim}\`);`,
  ];
  for (const i of [...usage.input].sort((a, b) => a - b)) loopBody.push(`const ${tsNames.input[i]} = step[${i}];`);
  const read = ir.registers.map((_, i) => usage.state.has(i));
  ir.registers.forEach((r, i) => {
    if (read[i]) before.push(`let ${tsNames.state[i]} = ${r.initial};`);
  });
  before.push("const ys: number[][] = [];");
  ir.registers.forEach((r, i) => {
    const formula = formatTypeScript(r.update.expr, tsNames);
    if (read[i]) loopBody.push(`const ${tsNames.state[i]}Next = ${formula};`);
    else loopBody.push(`void (${formula}); // register ${r.name}: read by no formula`);
  });
  ir.registers.forEach((_, i) => {
    if (read[i]) loopBody.push(`${tsNames.state[i]} = ${tsNames.state[i]}Next;`);
  });
  loopBody.push(`ys.push([${ir.outputs.map((f) => formatTypeScript(f.expr, tsNames)).join(", ")}]);`);

  const docs = [
    `The outputs at every step: each step of xs is ${ints(ir.inputDim)}, and each output ${ints(ir.outputDim)}.`,
    "Registers update together from their old values; outputs read the new values.",
  ].join("\n");
  return [...used.map(helper), runFunction(docs, before, loopBody)];
}

function tableStatements(table: TableProgram): (string | StatementStructures)[] {
  const m = table.inputs.length;
  const rows = Array.from({ length: table.states }, (_, s) =>
    `  [${table.next.slice(s * m, (s + 1) * m).map((n) => (n === null ? "null" : String(n))).join(", ")}],`);
  const constant = (doc: string, name: string, type: string | undefined, initializer: string): StatementStructures => ({
    kind: StructureKind.VariableStatement,
    docs: [doc],
    declarationKind: VariableDeclarationKind.Const,
    declarations: [{ name, ...(type === undefined ? {} : { type }), initializer }],
  });
  const keys = table.inputs.map((x, i) => `[${JSON.stringify(x.join(","))}, ${i}]`);
  const outputs = table.outputs.map((o) => `  ${o === null ? "null" : `[${o.join(", ")}]`},`);
  const loopBody = [
    'const index = INPUT_INDEX.get(step.join(","));',
    "const following = index === undefined ? null : NEXT_STATE[state][index];",
    "const output = following === null ? null : OUTPUT[following];",
    "if (following === null || output === null) {",
    '  throw new Error(`input [${step.join(", ")}] in state ${state} is outside the transition table`);',
    "}",
    "state = following;",
    "ys.push([...output]);",
  ];
  return [
    "// Transition table: the extracted machine, listed (no formula was found).",
    constant("The number of each input step, keyed by its ints joined with commas.", "INPUT_INDEX", undefined,
      `new Map<string, number>([${keys.join(", ")}])`),
    constant("The state before the first step.", "INITIAL_STATE", "number", String(table.initial)),
    constant("NEXT_STATE[state][input number]; null: the network never showed this pair.", "NEXT_STATE",
      "readonly (readonly (number | null)[])[]", ["[", ...rows, "]"].join("\n")),
    constant("OUTPUT[state]: the output on entering the state; null: no transition enters it.", "OUTPUT",
      "readonly (readonly number[] | null)[]", ["[", ...outputs, "]"].join("\n")),
    runFunction(
      `The outputs at every step (each step ${ints(table.inputDim)}, each output ${ints(table.outputDim)}); a step outside the table throws.`,
      ["let state = INITIAL_STATE;", "const ys: number[][] = [];"],
      loopBody,
    ),
  ];
}

// ---------------------------------------------------------------- names and usage

/** Which variables a formula reads and which binary operators it uses. */
function collect(expr: Expr, into: { state: Set<number>; input: Set<number>; ops: Set<BinaryOp> }): void {
  switch (expr.kind) {
    case "const": return;
    case "var": (expr.variable.kind === "state" ? into.state : into.input).add(expr.variable.index); return;
    case "unary": collect(expr.arg, into); return;
    case "binary": into.ops.add(expr.op); collect(expr.left, into); collect(expr.right, into); return;
    case "if": collect(expr.cond, into); collect(expr.then, into); collect(expr.else, into); return;
  }
}

/**
 * Lower-case names TypeScript or the program itself claims. Register names are lower-case
 * identifiers (symbolic/program.ts `validRegisterName`), so globals (`Math`, `Map`) and the
 * `…Next` constants cannot collide with them.
 */
const reservedInTypeScript = new Set([
  "break", "case", "catch", "class", "const", "continue", "debugger", "default", "delete", "do", "else", "enum", "export",
  "extends", "false", "finally", "for", "function", "if", "import", "in", "instanceof", "new", "null", "return", "super",
  "switch", "this", "throw", "true", "try", "typeof", "var", "void", "while", "with", "implements", "interface", "let",
  "package", "private", "protected", "public", "static", "yield", "await", "arguments", "eval", "undefined",
  "run", "xs", "ys", "step", "floordiv", "mod", "state", "index", "following", "output",
]);

function registerNames(names: readonly string[]): string[] {
  const taken = new Set(names);
  return names.map((name) => {
    if (!reservedInTypeScript.has(name)) return name;
    let renamed = `${name}_`;
    while (taken.has(renamed) || reservedInTypeScript.has(renamed)) renamed += "_";
    taken.add(renamed);
    return renamed;
  });
}

// ---------------------------------------------------------------- running

type RunFunction = (xs: readonly (readonly number[])[]) => unknown;

/**
 * Runs an emitted source on each sequence: transpiled once (ts.transpileModule, CommonJS), evaluated
 * once in a fresh `node:vm` context, then `run` is called per sequence. The first sequence on which
 * `run` throws, or returns anything but one list of safe integers per step, is the failure. −0 reads
 * as 0 (Python has no −0). A source that does not evaluate or defines no `run` is a bug of the
 * caller (sources come from emitTypeScript) and throws.
 */
export function runTypeScript(
  source: string,
  sequences: readonly (readonly (readonly number[])[])[],
): Result<number[][][], TypeScriptRunFailure> {
  const run = loadRun(source);
  const results: number[][][] = [];
  for (let s = 0; s < sequences.length; s++) {
    const xs = sequences[s]!;
    let ys: unknown;
    try {
      ys = run(xs);
    } catch (error) {
      return fail({ sequence: s, message: errorMessage(error) });
    }
    const checked = checkOutputs(ys, xs.length);
    if (typeof checked === "string") return fail({ sequence: s, message: checked });
    results.push(checked);
  }
  return ok(results);
}

/**
 * Global names of the emitted code. In a vm context every global lookup goes through the
 * context's interceptor: binding these once as parameters of a wrapper made `run` about 20× faster
 * (10,000 sequences of length 10: ~100 ms → ~5 ms, as fast as the main realm). They are the
 * context's own builtins, so the program still sees nothing of ours.
 */
const globalsUsed = ["Object", "Number", "Math", "Map", "Error", "RangeError"];

function loadRun(source: string): RunFunction {
  const js = ts.transpileModule(source, {
    compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS },
    fileName,
  }).outputText;
  const wrapped = `(function (exports, ${globalsUsed.join(", ")}) {\n${js}\n})(exports, ${globalsUsed.join(", ")});\n`;
  const context = vm.createContext({ exports: {} }, { codeGeneration: { strings: false, wasm: false } });
  new vm.Script(wrapped, { filename: "program.js" }).runInContext(context);
  const run = (context["exports"] as Record<string, unknown>)["run"];
  if (typeof run !== "function") throw new Error("runTypeScript: the source exports no function run");
  return run as RunFunction;
}

/** The outputs copied out of the vm's realm, or what is wrong with them. */
function checkOutputs(ys: unknown, steps: number): number[][] | string {
  if (!Array.isArray(ys) || ys.length !== steps) return `run returned ${describeValue(ys)}, not one list per step (${steps})`;
  const copy: number[][] = [];
  for (let t = 0; t < steps; t++) {
    const y: unknown = ys[t];
    if (!Array.isArray(y)) return `step ${t}: output ${describeValue(y)} is not a list`;
    const row: number[] = [];
    for (let j = 0; j < y.length; j++) {
      const value: unknown = y[j];
      if (typeof value !== "number" || !Number.isSafeInteger(value)) return `step ${t}: output ${j} is ${describeValue(value)}, not a safe integer`;
      row.push(value + 0);
    }
    copy.push(row);
  }
  return copy;
}

function describeValue(value: unknown): string {
  if (Array.isArray(value)) return `a list of ${value.length}`;
  return typeof value === "number" ? String(value) : typeof value;
}

/** `RangeError: integer division or modulo by zero` (errors from the vm's realm are not instances of ours). */
function errorMessage(error: unknown): string {
  if (typeof error === "object" && error !== null && "message" in error) {
    const name = "name" in error && typeof error.name === "string" ? `${error.name}: ` : "";
    return `${name}${String(error.message)}`;
  }
  return String(error);
}
