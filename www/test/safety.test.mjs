// Safe by construction: the page's sources never parse text as HTML, and the page carries its CSP.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { WWW } from "./helpers.mjs";

const SRC = join(WWW, "src");

test("no HTML parsing of strings in the page's code", () => {
  const sources = readdirSync(SRC).filter((f) => f.endsWith(".ts"));
  assert.ok(sources.includes("main.ts") && sources.includes("dom.ts"), `the page's sources: ${sources}`);
  for (const f of sources) {
    const code = readFileSync(join(SRC, f), "utf8");
    for (const bad of ["innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "createContextualFragment", "DOMParser", "eval(", "new Function"]) {
      assert.ok(!code.includes(bad), `${f} uses ${bad}`);
    }
  }
});

test("index.html sets the Content-Security-Policy", () => {
  const html = readFileSync(join(SRC, "index.html"), "utf8");
  const m = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html);
  assert.ok(m);
  assert.equal(
    m[1],
    "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; connect-src 'self'; worker-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'",
  );
  assert.ok(!/<script(?![^>]*\ssrc=)/.test(html), "no inline script");
  assert.ok(!/\sstyle=/.test(html), "no style attribute");
  assert.ok(!/https?:\/\//.test(html), "no absolute URL");
});
