/** Worker thread of `npm run bench:regress`: regresses one task's machine and posts its row. */
import { parentPort, workerData } from "node:worker_threads";
import { regressTask } from "./regress-task.js";

const { name, machinesDir, timeLimitMs, seed } = workerData as { name: string; machinesDir: string; timeLimitMs: number; seed: number };
parentPort!.postMessage(await regressTask(name, machinesDir, timeLimitMs, seed));
