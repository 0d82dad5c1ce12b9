/**
 * The result directory of `mips synth --out DIR`, replaced as a whole: the files are written into a
 * fresh directory beside DIR, which then takes DIR's place by rename. A run killed at any point
 * leaves either the previous result or the new one, never a mixture, and never a partial file.
 *
 * DIR is only ever replaced when it is empty or holds an earlier mips result (a report.json of kind
 * "synthesis-report"), so a mistyped --out cannot delete someone's files.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";

/** Null when DIR can receive a result; otherwise the reason, in words, for a one-line error. */
export function outputDirProblem(dir: string): string | null {
  const target = resolve(dir);
  if (existsSync(target)) {
    if (!statSync(target).isDirectory()) return "exists and is not a directory";
    const entries = readdirSync(target);
    if (entries.length > 0 && !isMipsResult(target)) return "exists and is not a mips result directory (it has files but no mips report.json); use a new or empty directory";
  }
  try {
    mkdirSync(dirname(target), { recursive: true });
    rmSync(mkdtempSync(join(dirname(target), `.${basename(target)}.check-`)), { recursive: true, force: true });
  } catch (error) {
    return `cannot write there (${(error as Error).message})`;
  }
  return null;
}

/** Replace DIR by a directory holding exactly `files` (name → contents). */
export function writeOutputDir(dir: string, files: Readonly<Record<string, string>>): void {
  const target = resolve(dir);
  const problem = outputDirProblem(target);
  if (problem !== null) throw new Error(`${dir}: ${problem}`);
  const fresh = mkdtempSync(join(dirname(target), `.${basename(target)}.new-`));
  let previous: string | null = null;
  try {
    for (const [name, contents] of Object.entries(files)) writeFileSync(join(fresh, name), contents);
    if (existsSync(target)) {
      previous = `${fresh.replace(/\.new-/, ".old-")}`;
      renameSync(target, previous);
    }
    renameSync(fresh, target);
  } catch (error) {
    rmSync(fresh, { recursive: true, force: true });
    if (previous !== null && !existsSync(target)) renameSync(previous, target);
    throw error;
  }
  if (previous !== null) rmSync(previous, { recursive: true, force: true });
}

function isMipsResult(dir: string): boolean {
  try {
    const report = JSON.parse(readFileSync(join(dir, "report.json"), "utf8")) as { kind?: unknown };
    return report.kind === "synthesis-report";
  } catch {
    return false;
  }
}
