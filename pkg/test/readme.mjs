// pkg/README.md followed verbatim, in the order it is written, in a project where the packed package is installed
// (its first snippet, `npm install kubeplan`, done from the tarball): every `sh` snippet runs in bash with
// errexit and pipefail; every `js` snippet starts with `// FILE` or `// FILE: COMMAND`, is written to FILE and
// COMMAND runs. Bundling commands use the pinned bundlers of $KUBEPLAN_BUNDLERS (default .tools/bundlers); the
// bundles themselves run in Chromium in run.mjs beside this file.
//
//   node pkg/test/readme.mjs APP_DIR
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { delimiter, dirname, join, resolve } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const app = resolve(process.argv[2] ?? "");
const tools = resolve(process.env.KUBEPLAN_BUNDLERS ?? join(here, "..", "..", ".tools", "bundlers"));
assert.ok(existsSync(join(app, "node_modules", "kubeplan", "package.json")), `${app}: no node_modules/kubeplan`);

// What a reader installs beside kubeplan for the bundler snippets (from the tools folder: no network here).
for (const name of ["@rollup/plugin-node-resolve", "@web/rollup-plugin-import-meta-assets"]) {
  const link = join(app, "node_modules", name);
  mkdirSync(dirname(link), { recursive: true });
  if (!existsSync(link)) symlinkSync(join(tools, "node_modules", name), link);
}
const env = { ...process.env, PATH: [join(tools, "node_modules", ".bin"), process.env.PATH].join(delimiter) };

const readme = readFileSync(join(here, "..", "README.md"), "utf8");
const snippets = [...readme.matchAll(/^```(\w*)\n([\s\S]*?)^```$/gm)].map(([, lang, body]) => ({ lang, body }));

function sh(script) {
  const r = spawnSync("bash", ["-euo", "pipefail", "-c", script], { cwd: app, env, encoding: "utf8" });
  assert.equal(r.status, 0, `${script}\nexited ${r.status}:\n${r.stdout}${r.stderr}`);
  return r.stdout;
}

snippets.forEach(({ lang, body }, i) => {
  const first = body.split("\n", 1)[0];
  test(`snippet ${i + 1} (${lang}): ${first}`, () => {
    if (lang === "sh") {
      if (body.trim() === "npm install kubeplan") return; // done from the packed tarball
      sh(body);
      return;
    }
    assert.equal(lang, "js", "a snippet in a language this test does not run");
    const header = /^\/\/ ([\w.-]+)(?:: (.+))?$/.exec(first);
    assert.ok(header, "a js snippet starts with `// FILE` or `// FILE: COMMAND`");
    const [, file, command] = header;
    writeFileSync(join(app, file), body);
    if (command) sh(command);
  });
});
