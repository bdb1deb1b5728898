// The plan as YAML (src/plan-yaml.ts): the JSON's keys in the JSON's order, strings kept strings for YAML 1.1 and 1.2.
import { test } from "node:test";
import assert from "node:assert/strict";
import { parse } from "yaml";
import { byCodePoint, planYaml } from "../src/plan-yaml.ts";

test("byCodePoint: code point order, which UTF-16 code unit order is not past U+FFFF", () => {
  const keys = ["b", "\u{10000}", "a", "\uffff", "9", "10", "a0", ""];
  assert.deepEqual([...keys].sort(byCodePoint), ["", "10", "9", "a", "a0", "b", "\uffff", "\u{10000}"]);
  // What the engine's JSON has: Rust sorts its keys as UTF-8 bytes, the same order.
  const utf8 = (a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b));
  assert.deepEqual([...keys].sort(byCodePoint), [...keys].sort(utf8));
});

test("planYaml: the keys in the JSON's order, index-like keys too; ambiguous strings quoted; long strings on one line", () => {
  // Written out: JSON.stringify would list "9" before "10", as a JavaScript object does; the engine sorts its keys.
  const json = `{"10": {"a": "0o17", "b": "yes", "c": "1e3"}, "9": [], "n": null, "on": "off", "text": "${"x ".repeat(60).trim()}", "z": 1.5}`;
  assert.equal(
    planYaml(json),
    ['"10":', '  a: "0o17"', '  b: "yes"', '  c: "1e3"', '"9": []', '"n": null', '"on": "off"', `text: ${"x ".repeat(60).trim()}`, "z: 1.5", ""].join("\n"),
  );
  assert.deepEqual(parse(planYaml(json)), JSON.parse(json));
  assert.deepEqual(parse(planYaml(json), { version: "1.1" }), JSON.parse(json));
});
