// A run's time in parts (src/timing.ts): consecutive, from the edit (when one asked for the run) to the drawing.
import { test } from "node:test";
import assert from "node:assert/strict";
import { runParts } from "../src/timing.ts";

const page = { asked: 1000, posted: 1002, arrived: 1330, drawing: 1335, drawn: 1380 };
const worker = { received: 1003, started: 1004, planned: 1200, parsed: 1230, summarized: 1240, sent: 1241 };

test("an edit's run: the debounce, the page's and the worker's parts, end to end without a gap", () => {
  const parts = runParts({ ...page, edited: 750 }, worker);
  assert.deepEqual(
    parts.map((p) => [p.name, p.end - p.start]),
    [["debounce", 250], ["request", 2], ["to worker", 1], ["queue", 1], ["engine", 196], ["parse", 30], ["summarize", 10], ["to page", 90], ["wait", 5], ["draw", 45]],
  );
  parts.slice(1).forEach((p, i) => assert.equal(p.start, parts[i].end, p.name));
  assert.equal(parts.at(-1).end - parts[0].start, 630);
});

test("a run no edit asked for has no debounce; without the worker's moments its time there is in `to page`", () => {
  const parts = runParts(page, null);
  assert.deepEqual(parts.map((p) => [p.name, p.end - p.start]), [["request", 2], ["to page", 328], ["wait", 5], ["draw", 45]]);
});
