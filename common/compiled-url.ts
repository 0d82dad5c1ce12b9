import { existsSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";

/**
 * The URL of a compiled module next to the caller. Worker threads need JavaScript: when the caller
 * runs from the TypeScript source (vitest), point at its counterpart under dist/ (built by
 * `npm run build`, which `npm test` runs first).
 */
export function compiledModuleUrl(callerUrl: string, relativeJs: string): URL {
  const url = new URL(relativeJs, callerUrl);
  if (!callerUrl.endsWith(".ts")) return url;
  const path = fileURLToPath(url);
  const root = fileURLToPath(new URL("..", import.meta.url));
  const compiled = path.startsWith(root) ? `${root}dist/${path.slice(root.length)}` : path;
  if (!existsSync(compiled)) throw new Error(`compiled module ${compiled} is missing: run \`npm run build\` first`);
  return pathToFileURL(compiled);
}
