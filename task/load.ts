/**
 * The boundary where user input becomes a typed Task: a task.json file (data files or a built-in
 * reference) or a bare built-in name. Everything past this point trusts its types.
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { z } from "zod";
import { builtinTask, suggestBenchmarkTaskNames } from "../benchmarks/index.js";
import { fail, ok, type Result } from "../common/result.js";
import type { TaskError } from "./errors.js";
import { parseExamples } from "./jsonl.js";
import { componentRanges } from "./ranges.js";
import type { Dataset, Example, Task } from "./types.js";

const positiveInt = z.number().int().positive();

const builtinSchema = z.strictObject({
  builtin: z.string().min(1),
  seed: z.number().int().nonnegative().optional(),
  trainSize: positiveInt.optional(),
  testSize: positiveInt.optional(),
  length: positiveInt.optional(),
});

const fileSchema = z.strictObject({
  name: z.string().min(1),
  data: z.strictObject({ train: z.string().min(1), test: z.string().min(1), verify: z.string().min(1).optional() }),
  inputDim: positiveInt.optional(),
  outputDim: positiveInt.optional(),
});

export type TaskFile = z.infer<typeof builtinSchema> | z.infer<typeof fileSchema>;

export interface BuiltinOptions {
  readonly seed?: number;
  readonly trainSize?: number;
  readonly testSize?: number;
  readonly length?: number;
}

/**
 * Resolve what a user typed: a path to a task.json (anything ending in .json or naming an existing
 * file) or the name of a built-in task.
 */
export function resolveTask(spec: string, overrides: BuiltinOptions = {}): Result<Task, TaskError> {
  if (spec.endsWith(".json") || existsSync(spec)) return loadTaskFile(spec, overrides);
  return loadBuiltin(spec, "(command line)", undefined, overrides);
}

/** Load and validate a task.json file. */
export function loadTaskFile(path: string, overrides: BuiltinOptions = {}): Result<Task, TaskError> {
  const text = readText(path);
  if (!text.ok) return text;
  let value: unknown;
  try {
    value = JSON.parse(text.value);
  } catch (e) {
    return fail({ code: "invalid_json", file: path, message: `not valid JSON (${(e as Error).message})` });
  }
  const isBuiltin = typeof value === "object" && value !== null && "builtin" in value;
  const parsed = (isBuiltin ? builtinSchema : fileSchema).safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = issue.path.length > 0 ? issue.path.join(".") : undefined;
    const base = { code: "invalid_field" as const, file: path, message: issue.message };
    return fail(field === undefined ? base : { ...base, field });
  }
  const file = parsed.data;
  if ("builtin" in file) {
    const { builtin, ...options } = file;
    return loadBuiltin(builtin, path, "builtin", { ...options, ...overrides });
  }
  return loadDataTask(path, file);
}

function loadBuiltin(name: string, file: string, field: string | undefined, options: BuiltinOptions): Result<Task, TaskError> {
  const task = builtinTask(name, options);
  if (task) return ok(task);
  const near = suggestBenchmarkTaskNames(name);
  const hint = near.length > 0 ? `; did you mean ${near.join(", ")}?` : "; `mips tasks` lists them";
  const base = { code: "unknown_builtin" as const, file, message: `unknown built-in task "${name}"${hint}` };
  return fail(field === undefined ? base : { ...base, field });
}

function loadDataTask(path: string, file: z.infer<typeof fileSchema>): Result<Task, TaskError> {
  const base = dirname(path);
  const hints: { inputDim?: number; outputDim?: number } = {};
  if (file.inputDim !== undefined) hints.inputDim = file.inputDim;
  if (file.outputDim !== undefined) hints.outputDim = file.outputDim;
  const splits: Example[][] = [];
  const files = { train: file.data.train, test: file.data.test, ...(file.data.verify !== undefined ? { verify: file.data.verify } : {}) };
  for (const [split, name] of Object.entries(files)) {
    const dataPath = resolve(base, name);
    const text = readText(dataPath, `data.${split}`);
    if (!text.ok) return text;
    const parsed = parseExamples(text.value, name, hints);
    if (!parsed.ok) return parsed;
    // The first file fixes the dimensions the second must follow.
    hints.inputDim = parsed.value.inputDim;
    hints.outputDim = parsed.value.outputDim;
    splits.push(parsed.value.examples);
  }
  const [train, test, verification] = splits as [Example[], Example[], Example[] | undefined];
  const inputDim = hints.inputDim!;
  const outputDim = hints.outputDim!;
  const dataset: Dataset = {
    kind: "dataset",
    version: 1,
    name: file.name,
    inputDim,
    outputDim,
    inputRanges: componentRanges([...train, ...test], "x", inputDim),
    outputRanges: componentRanges(train, "y", outputDim),
    train,
    test,
  };
  return ok({ name: file.name, inputDim, outputDim, source: { kind: "file", path }, dataset, ...(verification ? { verification } : {}) });
}

function readText(path: string, field?: string): Result<string, TaskError> {
  const base = field === undefined ? { file: path } : { file: path, field };
  if (!existsSync(path)) return fail({ ...base, code: "file_not_found", message: "no such file" });
  try {
    if (statSync(path).isDirectory()) return fail({ ...base, code: "unreadable_file", message: "is a directory, not a file" });
    return ok(readFileSync(path, "utf8"));
  } catch (e) {
    return fail({ ...base, code: "unreadable_file", message: (e as Error).message });
  }
}
