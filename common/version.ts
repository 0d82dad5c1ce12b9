/** The package version (package.json), for reports and caches that must say which code made them. */
import { readFileSync } from "node:fs";

// Compiled to dist/common/version.js: the package root is two levels up.
const manifest = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string };

export const MIPS_VERSION: string = manifest.version;
