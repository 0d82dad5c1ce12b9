/**
 * JSON Lines sequence files: one example per line, `{"x": [[…],…], "y": [[…],…]}`.
 * A bare number is accepted for a 1-dimensional step. Blank lines are skipped.
 */
import type { Example, Step } from "./types.js";
import type { TaskError } from "./errors.js";
import { fail, ok, type Result } from "../common/result.js";

export interface ParsedLines {
  readonly examples: Example[];
  readonly inputDim: number;
  readonly outputDim: number;
}

export interface DimensionHints {
  readonly inputDim?: number;
  readonly outputDim?: number;
}

/** Parse a JSON Lines data file's text; `file` names it in errors. */
export function parseExamples(text: string, file: string, hints: DimensionHints = {}): Result<ParsedLines, TaskError> {
  const examples: Example[] = [];
  let inputDim = hints.inputDim;
  let outputDim = hints.outputDim;
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!.trim();
    if (raw === "") continue;
    const line = i + 1;
    const error = (code: TaskError["code"], field: string | undefined, message: string): Result<ParsedLines, TaskError> =>
      fail(field === undefined ? { code, file, line, message } : { code, file, line, field, message });
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch (e) {
      return error("invalid_json", undefined, `not valid JSON (${(e as Error).message})`);
    }
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
      return error("invalid_field", undefined, 'expected an object {"x": [...], "y": [...]}');
    }
    const record = value as Record<string, unknown>;
    const sequences: Record<"x" | "y", Step[]> = { x: [], y: [] };
    for (const key of ["x", "y"] as const) {
      const steps = record[key];
      if (!Array.isArray(steps)) return error("invalid_field", key, "missing or not a list of steps");
      if (steps.length === 0) return error("empty_data", key, "a sequence needs at least one step");
      const expected = key === "x" ? inputDim : outputDim;
      let dim = expected;
      for (let t = 0; t < steps.length; t++) {
        const step = typeof steps[t] === "number" ? [steps[t]] : steps[t];
        if (!Array.isArray(step)) return error("invalid_field", `${key}[${t}]`, "a step must be a list of integers or a number");
        for (let j = 0; j < step.length; j++) {
          const v = step[j];
          if (typeof v !== "number" || !Number.isSafeInteger(v)) {
            return error("not_integer", `${key}[${t}][${j}]`, `${JSON.stringify(v)} is not an integer`);
          }
        }
        if (dim === undefined) dim = step.length;
        if (step.length !== dim) {
          const firstOfFixed = expected !== undefined && t === 0;
          return error(
            firstOfFixed ? "dimension_mismatch" : "ragged_sequence",
            `${key}[${t}]`,
            firstOfFixed
              ? `has ${step.length} components but the task's ${key === "x" ? "inputDim" : "outputDim"} is ${dim}`
              : `has ${step.length} components but earlier steps have ${dim}`,
          );
        }
        if (dim === 0) return error("invalid_field", `${key}[${t}]`, "a step needs at least one component");
        sequences[key].push(step as number[]);
      }
      if (key === "x") inputDim = dim;
      else outputDim = dim;
    }
    if (sequences.x.length !== sequences.y.length) {
      return error("length_mismatch", "y", `x has ${sequences.x.length} steps but y has ${sequences.y.length}`);
    }
    examples.push({ x: sequences.x, y: sequences.y });
  }
  if (examples.length === 0 || inputDim === undefined || outputDim === undefined) {
    return fail({ code: "empty_data", file, message: "no examples: the file has no non-blank lines" });
  }
  return ok({ examples, inputDim, outputDim });
}

/** One example as a JSON line (the format parseExamples reads and `mips data` prints). */
export function formatExample(example: Example): string {
  return JSON.stringify({ x: example.x, y: example.y });
}
