/** Worker thread of `npm run bench:extract`: extracts one task and posts its row and machine. */
import { parentPort, workerData } from "node:worker_threads";
import { extractTask } from "./extract-task.js";

const { name, modelsDir, seed, retrainMs } = workerData as { name: string; modelsDir: string; seed: number; retrainMs: number };
parentPort!.postMessage(await extractTask(name, modelsDir, seed, retrainMs));
