/**
 * fsm-extract/: read a trained network's hidden states out as a machine with integer states.
 * Input: an Rnn and data (sequences only; targets are never read). Output: a Machine checked
 * against the network on held-out sequences, or a typed failure naming why no path worked.
 * Two paths: an integer lattice h ≈ z·A + b (lattice.ts, lattice-path.ts) and finite states by
 * exploration or k-means (explore.ts, clusters.ts, minimize.ts, finite-path.ts).
 */
export type { ClusterDescription, LatticeDescription, Machine, MachineCheck, OutputRow, StateCode, TransitionRow } from "./types.js";
export type { HiddenTrace } from "./hidden-states.js";
export { collectHiddenStates, inputAlphabet } from "./hidden-states.js";
export type { Extraction, ExtractionAttempt, ExtractionFailure, ExtractionPath, ExtractOptions } from "./extract.js";
export { extractMachine } from "./extract.js";
export type { ModelExtraction } from "./pipeline.js";
export { extractModel } from "./pipeline.js";
export type { MachineRunner } from "./check.js";
export { checkMachine } from "./check.js";
export { machineToDot, machineToMermaid } from "./diagram.js";
export type { LatticeFit, LatticeFailure } from "./lattice.js";
export { bestLattice, fitLattices } from "./lattice.js";
