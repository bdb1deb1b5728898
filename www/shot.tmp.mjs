import { chromium } from "playwright-core";
import { serveStatic } from "/work/wt/www/www/test/helpers.mjs";
const srv = await serveStatic();
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"] });
const page = await browser.newPage({ viewport: { width: 1500, height: 1000 } });
const [frag, action, out] = process.argv.slice(2);
await page.goto(srv.url + frag);
await page.waitForSelector("#status[data-state=done]");
if (action === "click") { await page.locator("#grid button.pod").first().click(); await page.waitForSelector("#detail .decision, #detail .note"); await page.waitForTimeout(300); await page.locator("#h-grid").scrollIntoViewIfNeeded(); }
if (action === "tl") { await page.click("#tl-first"); await page.click("#tl-next"); await page.click("#tl-next"); await page.click("#tl-next"); }
await page.locator("#h-grid").evaluate((e) => e.scrollIntoView());
await page.screenshot({ path: out });
await browser.close(); await srv.close();
