// The TypeScript declarations compile for a consumer that uses every function and reads the results, in a browser
// project (DOM lib) and in a Node one (types: ["node"], no DOM lib).
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";

import { lint, plan } from "../node.mjs";
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

/** The members of `interface name` in the declarations, each with whether it is optional (`field?:`). */
function members(name) {
  const text = readFileSync(join(pkgDir, "types.d.ts"), "utf8");
  const start = text.indexOf(`export interface ${name} {`);
  assert.ok(start >= 0, `interface ${name} declared`);
  const body = text.slice(start, text.indexOf("\n}", start));
  return new Map([...body.matchAll(/^    (\w+)(\??): /gm)].map((m) => [m[1], m[2] === "?"]));
}

// A field the engine leaves out when it is empty must be optional in the declarations: declared required, a
// consumer's `fix.edits.map(...)` compiles and then throws on a fix that has no edits (the playground did).
test("the fields the engine leaves out when empty are optional in the declarations", () => {
  const NODE = "apiVersion: v1\nkind: Node\nmetadata: {name: n1, labels: {kubernetes.io/hostname: n1}}\nstatus: {capacity: {cpu: '2', memory: 4Gi, pods: '110'}}\n";
  const pod = (name) => `apiVersion: v1\nkind: Pod\nmetadata: {name: ${name}}\nspec: {containers: [{name: c, image: nginx}]}\n`;

  // One feasible node: no rejected node, no score table, no tie.
  const placement = plan(NODE + "---\n" + pod("p")).plan.placements[0];
  // A repeated field: a fix that says what to do and has no edit; and no related place.
  const duplicate = lint([{ name: "p.yaml", text: "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers: [{name: c, image: nginx}]\n  containers: [{name: c, image: nginx}]\n" }]);
  const finding = duplicate.findings.find((f) => f.fix && !f.fix.edits);

  // Without verdicts, no daemonSetNodes; a node without extended resources, no scalar amounts.
  const doc = plan(NODE + "---\n" + pod("p")).plan;

  const observed = [
    ["PlanDocument", doc, ["daemonSetNodes"]],
    ["Amounts", doc.nodes[0].allocatable, ["scalar"]],
    ["PlacementRecord", placement, ["rejected", "scores", "tiedNodes"]],
    ["Finding", finding, ["related"]],
    ["Fix", finding?.fix, ["edits"]],
  ];
  for (const [iface, value, fields] of observed) {
    assert.ok(value, `an example of ${iface}`);
    const declared = members(iface);
    for (const f of fields) {
      assert.ok(!(f in value), `${iface}.${f} is left out of this example`);
      assert.equal(declared.get(f), true, `${iface}.${f} is declared optional`);
    }
  }
  // Left out when empty too, without an example here: the pods a stall reason names, an endpoint's target ports.
  assert.equal(members("StallReason").get("pods"), true, "StallReason.pods is declared optional");
  assert.ok([...readFileSync(join(pkgDir, "types.d.ts"), "utf8").matchAll(/^    targetPorts(\??): /gm)].every((m) => m[1] === "?"));
});
