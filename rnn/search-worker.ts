/** Worker thread of the architecture search: holds the data once, trains candidates on request. */
import { parentPort, workerData } from "node:worker_threads";
import type { Candidate } from "./candidates.js";
import { runAttempt, type AttemptOptions } from "./attempt.js";
import type { TrainingData } from "./train.js";

const { data, options } = workerData as { data: TrainingData; options: AttemptOptions };

parentPort!.on("message", (message: { id: number; candidate: Candidate }) => {
  try {
    const rnn = runAttempt(message.candidate, data, options);
    parentPort!.postMessage({ id: message.id, rnn });
  } catch (error) {
    parentPort!.postMessage({ id: message.id, error: (error as Error).stack ?? String(error) });
  }
});
