// The page's look: screenshots in headless Chromium at 390, 1440 and 2560 px compared with the reference PNGs in
// test/screenshots/ (pixelmatch). A mismatch writes the actual image and a diff image to test/screenshots/out/
// (git-ignored) and fails with the figures. UPDATE_SCREENSHOTS=1 rewrites the references that do not match.
//
// Rendering is made deterministic: device scale factor 1, fixed viewports, animations, transitions and the text
// caret off (a constructed stylesheet: the page's CSP refuses an injected <style>, and the editors live in shadow
// roots), the mouse off the page, fonts loaded, the plan drawn and linted; the times the page measures in its
// status line are written as 0 ms before each shot (the line keeps its words, and so its wrapping).
//
// Needs www/dist (node build.mjs). CHROMIUM overrides the browser's path.

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { spawnSync } from "node:child_process";
import { chromium } from "playwright-core";
import pixelmatch from "pixelmatch";
import { PNG } from "pngjs";
import { CHROMIUM, CHROMIUM_ARGS, DIST, WWW, sameOriginOnly, serveStatic, waitDone } from "./helpers.mjs";

const SHOTS = join(WWW, "test", "screenshots");
const OUT = join(SHOTS, "out");
const UPDATE = process.env.UPDATE_SCREENSHOTS === "1";

// pixelmatch's per-pixel threshold (0 to 1, a YIQ colour distance; anti-aliased pixels are not counted), and the
// most pixels of a shot that may differ beyond it. The same chromium draws these shots alike to within a level
// or two on a few pixels; pixelmatch's default 0.1 let a pastel colour change through (a chip's background
// #e4f4e8 → #f4e4e8 counted 0 pixels), 0.03 a dark background 6 levels lighter. See README ("Screenshots").
const THRESHOLD = 0.01;
const MAX_SHARE = 0.0002; // 0.02 %
// The browser the references were taken with (written by UPDATE_SCREENSHOTS=1), named in a mismatch's message.
const VERSION_FILE = join(SHOTS, "chromium-version.txt");

// The e2e tests' viewports, at device scale factor 1.
const VIEWPORTS = [
  { width: 390, height: 844 },
  { width: 1440, height: 900 },
  { width: 2560, height: 1300 },
];

const FREEZE_CSS = `
*, *::before, *::after { animation: none !important; transition: none !important; caret-color: transparent !important; }
.cm-cursorLayer, .cm-dropCursor { display: none !important; }
`;

let server;
let browser;
const outside = [];
const pageErrors = [];

before(async () => {
  assert.ok(existsSync(join(DIST, "index.html")), "www/dist missing: run node build.mjs first");
  rmSync(OUT, { recursive: true, force: true });
  server = await serveStatic(DIST);
  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  if (UPDATE) writeFileSync(VERSION_FILE, `${browser.version()}\n`);
});

after(async () => {
  await browser?.close();
  await server?.close();
});

/** A fresh context and page at this viewport and colour scheme, on `fragment`, its plan drawn and linted. */
async function open(fragment, viewport, colorScheme = "light") {
  const context = await browser.newContext({ viewport, deviceScaleFactor: 1, colorScheme, reducedMotion: "reduce" });
  const origin = new URL(server.url).origin;
  await sameOriginOnly(context, origin, outside);
  context.on("weberror", (e) => pageErrors.push(String(e.error())));
  const page = await context.newPage();
  page.on("console", (m) => {
    if (m.type() === "error") pageErrors.push(m.text());
  });
  await page.goto(server.url + fragment);
  await drawn(page);
  return page;
}

/** Wait for the current plan drawn, its lint findings shown, the fonts loaded and two frames painted. */
async function drawn(page, previousRun = null) {
  const run = await waitDone(page, previousRun);
  await page.waitForFunction((r) => document.getElementById("problems").dataset.lintRun === r, run, { timeout: 60_000 });
  await settle(page);
  return run;
}

/** Freeze what moves or varies, then wait for fonts and two animation frames. */
async function settle(page) {
  await page.mouse.move(0, 0);
  await page.evaluate(async (css) => {
    // A constructed stylesheet: CSP does not govern it (an injected <style> is refused by style-src 'self'), and
    // it can be adopted by the editors' shadow roots too.
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(css);
    const roots = [document, ...[...document.querySelectorAll("*")].map((e) => e.shadowRoot).filter(Boolean)];
    for (const root of roots) if (!root.adoptedStyleSheets.some((s) => s.__freeze)) root.adoptedStyleSheets = [...root.adoptedStyleSheets, Object.assign(sheet, { __freeze: true })];
    // The times the page measured: the same words with 0 ms, so the line wraps alike on every run.
    const status = document.getElementById("status");
    status.textContent = status.textContent.replace(/\d+ ms/g, "0 ms");
    if (document.activeElement && document.activeElement !== document.body) document.activeElement.blur();
    await document.fonts.ready;
    await new Promise((ok) => requestAnimationFrame(() => requestAnimationFrame(ok)));
  }, FREEZE_CSS);
}

const SHOT_OPTIONS = { animations: "disabled", caret: "hide", scale: "css", type: "png" };

/** The panel with the map or grid and the pod detail ("Pods on nodes"): timeline, view switch, filters and views. */
const PANEL = 'section.panel[aria-labelledby="h-grid"]';
/** In that panel, the map or grid and the pod detail beside (or under) it. */
const VIEWS = `${PANEL} .grid-and-detail`;

/**
 * Compare a screenshot (PNG bytes) with test/screenshots/<name>.png. Returns a sentence for a mismatch, or null.
 * With UPDATE_SCREENSHOTS=1 a reference that is missing or does not match is (re)written instead (one within
 * the tolerance is kept: no new file for a level's difference on a few pixels).
 */
function compare(name, bytes) {
  const refPath = join(SHOTS, `${name}.png`);
  const actual = PNG.sync.read(bytes);
  const write = (dir, file, png) => {
    mkdirSync(dir, { recursive: true });
    // RGB at the highest compression: the references stay small (the page has no transparency).
    writeFileSync(join(dir, file), PNG.sync.write(png, { colorType: 2, inputHasAlpha: true, deflateLevel: 9 }));
  };
  const mismatch = (sentence, diff) => {
    if (UPDATE) {
      write(SHOTS, `${name}.png`, actual);
      console.log(`${name}: reference rewritten (${sentence})`);
      return null;
    }
    write(OUT, `${name}.actual.png`, actual);
    if (diff) write(OUT, `${name}.diff.png`, diff);
    return `${name}: ${sentence}; ${diff ? "actual and diff images" : "the actual image"} in ${OUT}`;
  };
  if (!existsSync(refPath)) return mismatch(`no reference ${refPath} (UPDATE_SCREENSHOTS=1 writes it)`);
  const ref = PNG.sync.read(readFileSync(refPath));
  const { width, height } = actual;
  if (ref.width !== width || ref.height !== height) return mismatch(`${width}×${height} px, the reference is ${ref.width}×${ref.height} px`);
  if (ref.data.equals(actual.data)) return null;
  const diff = new PNG({ width, height });
  const count = pixelmatch(actual.data, ref.data, diff.data, width, height, { threshold: THRESHOLD });
  const share = count / (width * height);
  if (share > MAX_SHARE) {
    return mismatch(`${count} of ${width}×${height} pixels differ (${(share * 100).toFixed(3)} %, at most ${MAX_SHARE * 100} % allowed, per-pixel threshold ${THRESHOLD})`, diff);
  }
  let changed = 0;
  let most = 0;
  for (let i = 0; i < actual.data.length; i += 4) {
    const d = Math.max(...[0, 1, 2].map((k) => Math.abs(actual.data[i + k] - ref.data[i + k])));
    if (d) changed++;
    most = Math.max(most, d);
  }
  console.log(`${name}: ${changed} pixels not identical to the reference (by at most ${most} levels), ${count} beyond the threshold: within the tolerance`);
  return null;
}

async function shoot(failures, name, target) {
  const bytes = await target.screenshot(SHOT_OPTIONS);
  const failure = compare(name, bytes);
  if (failure) failures.push(failure);
}

/**
 * Fail with the differences, when the references were taken with this very Chromium. Another version renders
 * text and anti-aliasing its own way, so its differences say nothing about the page: the test is then skipped,
 * saying so and how to retake the references (`UPDATE_SCREENSHOTS=1`), rather than failing every build after a
 * browser upgrade.
 */
function check(t, failures) {
  if (!failures.length) return;
  const made = existsSync(VERSION_FILE) ? readFileSync(VERSION_FILE, "utf8").trim() : "?";
  if (made !== browser.version()) {
    t.skip(`${failures.length} screenshot(s) differ, but the references were taken with Chromium ${made} and this is ${browser.version()}: retake them with UPDATE_SCREENSHOTS=1`);
    return;
  }
  assert.fail(`${failures.length} screenshot(s) differ (Chromium ${made}, as the references):\n${failures.join("\n")}`);
}

/** Choose an example in the menu, as a user does, and wait for its plan drawn. */
async function choose(page, id) {
  const run = await page.getAttribute("#status", "data-run");
  await page.selectOption("#examples", id);
  await drawn(page, run);
}

for (const viewport of VIEWPORTS) {
  const w = viewport.width;
  test(`screenshots at ${w} px: the default example in the map and the grid, a Pending pod's verdicts, the 1,000-node heat map`, async (t) => {
    const failures = [];
    const page = await open("", viewport);
    try {
      // The page's default: the first example, in the map.
      assert.equal(await page.getAttribute("#view-map", "aria-pressed"), "true", "the map is the default view");
      await shoot(failures, `map-default-${w}`, page.locator(PANEL));
      await page.click("#view-grid");
      await page.waitForSelector("#grid table.grid");
      await settle(page);
      await shoot(failures, `grid-default-${w}`, page.locator(VIEWS));
      await page.click("#view-map");
      await page.waitForSelector("#map article.map-node");
      // node-name: a pod Pending (no node fits), its verdicts on every node.
      await choose(page, "node-name");
      await page.click('#map .map-pending button.pod-chip[data-pod="default/too-big"]');
      await page.waitForFunction(() => document.querySelector("#detail h3")?.textContent === "default/too-big" && document.querySelector("#detail table.verdicts"));
      await settle(page);
      await shoot(failures, `verdicts-node-name-${w}`, page.locator(VIEWS));
      // 1,000 nodes: the heat map.
      await choose(page, "large-1000");
      assert.equal(await page.getAttribute("#map", "data-mode"), "heat");
      await shoot(failures, `heat-large-1000-${w}`, page.locator("#map"));
    } finally {
      await page.context().close();
    }
    check(t, failures);
  });
}

test("screenshots at 1440 px in dark mode: the default example, the first screen of the page (header, editors, status, map)", async (t) => {
  const failures = [];
  const page = await open("", VIEWPORTS[1], "dark");
  try {
    await shoot(failures, "page-default-dark-1440", page);
  } finally {
    await page.context().close();
  }
  check(t, failures);
});

// The page's fonts resolve through fontconfig: the references were taken where sans-serif (system-ui) is DejaVu
// Sans and monospace DejaVu Sans Mono (fonts-dejavu-core, which Debian's chromium installs through fontconfig).
// Other fonts would change every shot; this says so first. Skipped where fc-match is not installed.
test("screenshots: the fonts the references were taken with", (t) => {
  const which = (family) => spawnSync("fc-match", ["-f", "%{family[0]}", family], { encoding: "utf8" });
  const sans = which("sans-serif");
  if (sans.error) return t.skip("fc-match not installed");
  assert.equal(sans.stdout, "DejaVu Sans", "fontconfig's sans-serif (the page's system-ui)");
  assert.equal(which("monospace").stdout, "DejaVu Sans Mono", "fontconfig's monospace");
});

test("screenshots: no request left the origin and no page error", () => {
  assert.deepEqual(outside, []);
  assert.deepEqual(pageErrors, []);
});
