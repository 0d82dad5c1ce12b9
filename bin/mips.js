#!/usr/bin/env node
// The `mips` executable: runs the compiled CLI (built into dist/ by `npm install` / `npm ci`).
import { main } from "../dist/cli.js";

process.exitCode = await main(process.argv);
