/** Worker thread of `searchFormulaInWorker`: one search per thread, answered by one message. */
import { parentPort, workerData } from "node:worker_threads";
import { searchFormula, type SearchOptions } from "./search.js";
import type { RegressionTable } from "./types.js";

const { table, options } = workerData as { table: RegressionTable; options: SearchOptions };

try {
  parentPort!.postMessage({ result: searchFormula(table, options) });
} catch (error) {
  parentPort!.postMessage({ error: (error as Error).stack ?? String(error) });
}
