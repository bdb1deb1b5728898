// The module hooks registered by ts-loader.mjs: a file:…/*.ts module is loaded as an ES module compiled from
// TypeScript; everything else as Node loads it.
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { transform } from "esbuild";

export async function load(url, context, nextLoad) {
  if (!url.startsWith("file:") || !url.endsWith(".ts")) return nextLoad(url, context);
  const path = fileURLToPath(url);
  const { code } = await transform(await readFile(path, "utf8"), {
    loader: "ts",
    format: "esm",
    sourcefile: path,
    sourcemap: "inline",
    target: "node20",
  });
  return { format: "module", source: code, shortCircuit: true };
}
