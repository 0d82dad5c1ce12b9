/** The package version (package.json), for reports and caches that must say which code made them. */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** The nearest package.json above this module: the package root, from dist/common/ or from common/ (tests). */
function readManifest(): { version: string } {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const file = join(dir, "package.json");
    if (existsSync(file)) return JSON.parse(readFileSync(file, "utf8")) as { version: string };
    const parent = dirname(dir);
    if (parent === dir) throw new Error("mips: cannot find its package.json");
    dir = parent;
  }
}

export const MIPS_VERSION: string = readManifest().version;
