#!/usr/bin/env node
// `npx kubeplan ...`: the native CLI's verbs, flags, output bytes and exit codes, from the WebAssembly engine.
import { runCli } from "../node.mjs";
import { createNodeIo } from "../src/node-io.js";

// `kubeplan plan ... | head`: a closed pipe is not worth a stack trace (the native binary ignores it too).
process.stdout.on("error", () => {});
process.stderr.on("error", () => {});

const out = runCli(process.argv.slice(2), createNodeIo());
process.stdout.write(out.stdout);
process.stderr.write(out.stderr);
process.exitCode = out.exitCode >= 0 && out.exitCode <= 255 ? out.exitCode : 2;
