// The TypeScript declarations compile for a consumer that uses every function and reads the results, in a browser
// project (DOM lib) and in a Node one (types: ["node"], no DOM lib).
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";

import { pkgDir, repoDir } from "./helpers.mjs";

const tsc = [process.env.KUBEPLAN_TSC, join(repoDir, ".tools", "node_modules", "typescript", "bin", "tsc")].find(
  (p) => p && existsSync(p),
);

const skip = tsc ? false : "typescript not installed (scripts/test-js.sh installs it)";

function compile(tsconfig) {
  const r = spawnSync(process.execPath, [tsc, "--noEmit", "-p", join(pkgDir, "test", "consumer", tsconfig)], { encoding: "utf8" });
  assert.equal(r.status, 0, r.stdout + r.stderr);
}

test("tsc --noEmit on a consumer (DOM lib)", { skip }, () => compile("tsconfig.json"));

// No DOM lib, Node's types only, and the package's declarations checked too (no skipLibCheck).
test("tsc --noEmit on a consumer with types: [\"node\"] and no DOM lib", { skip }, () => compile("tsconfig.node.json"));
