// The share link: compressed, URL-safe, and back to the same input.
import { test } from "node:test";
import assert from "node:assert/strict";
import { encodeShare, decodeShare, toBase64Url, fromBase64Url } from "../src/share.ts";

test("round trip, unicode and all five fields", async () => {
  const state = { manifests: "kind: DaemonSet # ünïcödé ✓\n", nodes: "kind: Node\n", update: "u: 1\n", steps: "- action: setImage\n", scheduler: "kind: KubeSchedulerConfiguration\n" };
  const frag = await encodeShare(state);
  assert.match(frag, /^v1=[A-Za-z0-9_-]+$/);
  assert.deepEqual(await decodeShare("#" + frag), state);
  assert.deepEqual(await decodeShare(frag), state);
});

test("empty fields come back empty; unknown fields are ignored", async () => {
  const frag = await encodeShare({ manifests: "a", nodes: "", extra: "x" });
  assert.deepEqual(await decodeShare(frag), { manifests: "a", nodes: "", update: "", steps: "", scheduler: "" });
});

test("compresses a large input well", async () => {
  const nodes = Array.from({ length: 1000 }, (_, i) => `{kind: Node, metadata: {name: node-${i}}}`).join("\n---\n");
  const frag = await encodeShare({ manifests: "", nodes });
  assert.ok(frag.length < nodes.length / 5, `${frag.length} vs ${nodes.length}`);
});

test("not a share link: null; a damaged one: an error", async () => {
  assert.equal(await decodeShare(""), null);
  assert.equal(await decodeShare("#example=node-exporter"), null);
  await assert.rejects(decodeShare("#v1=%%%"), /damaged/);
  await assert.rejects(decodeShare("#v1=AAAA"), /damaged/);
});

test("base64url of every byte value", () => {
  const bytes = Uint8Array.from({ length: 256 }, (_, i) => i);
  const s = toBase64Url(bytes);
  assert.match(s, /^[A-Za-z0-9_-]+$/);
  assert.deepEqual(fromBase64Url(s), bytes);
});
