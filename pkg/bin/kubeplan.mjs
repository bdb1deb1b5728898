#!/usr/bin/env node
// `npx kubeplan ...`: the native CLI's verbs, flags, output bytes and exit codes, from the WebAssembly engine.
import { setFlagsFromString } from "node:v8";

// V8 runs the engine first as quickly compiled code (Liftoff) and compiles again with its optimising compiler
// (TurboFan) every function that has run past a budget. A one-shot command spent most of its time in that second
// compilation: on the playground's 1,000-node example, 2.7 s of CPU against 0.7 s with Liftoff alone (see
// benches/README.md, "The npm CLI: no second compilation"). A budget a hundred times V8's default (1,800,000)
// leaves a command of a few thousand pods on Liftoff and still optimises the hottest loops of a long plan.
// Set before the engine's module is compiled, in this process only: the library never changes V8's flags, and
// the language server, which runs for hours, keeps V8's default.
if (process.argv[2] !== "lsp") setFlagsFromString("--wasm-tiering-budget=180000000");

const { runCli } = await import("../node.mjs");
const { createNodeIo } = await import("../src/node-io.js");

// `kubeplan plan ... | head`: a closed pipe is not worth a stack trace (the native binary ignores it too).
process.stdout.on("error", () => {});
process.stderr.on("error", () => {});

const out = runCli(process.argv.slice(2), createNodeIo());
process.stdout.write(out.stdout);
process.stderr.write(out.stderr);
process.exitCode = out.exitCode >= 0 && out.exitCode <= 255 ? out.exitCode : 2;
