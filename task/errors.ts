/** Why a task could not be loaded: data that names the file, line and field at fault. */
export type TaskErrorCode =
  | "file_not_found"
  | "unreadable_file"
  | "invalid_json"
  | "invalid_field"
  | "unknown_builtin"
  | "ragged_sequence"
  | "not_integer"
  | "length_mismatch"
  | "dimension_mismatch"
  | "empty_data";

export interface TaskError {
  readonly code: TaskErrorCode;
  /** The file at fault (task.json or a data file), as the user named it. */
  readonly file: string;
  /** 1-based line of a JSON Lines data file. */
  readonly line?: number;
  /** Dotted path of the field at fault, e.g. `data.train` or `x[3][0]`. */
  readonly field?: string;
  readonly message: string;
}

/** One line, for the terminal: `file:line: field: message`. */
export function describeTaskError(error: TaskError): string {
  const where = error.line !== undefined ? `${error.file}:${error.line}` : error.file;
  const field = error.field ? ` ${error.field}:` : "";
  return `${where}:${field} ${error.message}`;
}
