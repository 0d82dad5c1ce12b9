import fc from "fast-check";

// Property tests draw from one fixed seed so that a CI run is reproducible; FC_SEED=<integer>
// explores other draws locally (a failure prints the seed and path to replay it).
const requested = process.env.FC_SEED;
const seed = requested === undefined ? 20_240_205 : Number(requested);
if (!Number.isSafeInteger(seed)) throw new Error(`FC_SEED must be an integer, got ${JSON.stringify(requested)}`);
fc.configureGlobal({ ...fc.readConfigureGlobal(), seed });
