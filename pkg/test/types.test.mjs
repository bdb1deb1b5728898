// The TypeScript declarations compile for a consumer that uses every function and reads the results.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";

import { pkgDir, repoDir } from "./helpers.mjs";

const tsc = [process.env.KUBEPLAN_TSC, join(repoDir, ".tools", "node_modules", "typescript", "bin", "tsc")].find(
  (p) => p && existsSync(p),
);

test("tsc --noEmit on a consumer", { skip: tsc ? false : "typescript not installed (scripts/test-js.sh installs it)" }, () => {
  const r = spawnSync(process.execPath, [tsc, "--noEmit", "-p", join(pkgDir, "test", "consumer")], { encoding: "utf8" });
  assert.equal(r.status, 0, r.stdout + r.stderr);
});
