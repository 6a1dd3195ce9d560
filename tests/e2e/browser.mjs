// Shared harness of the end-to-end tests: one headless chromium per test file,
// a fresh browser context per test, and a watch on every page for what a user
// would not see but a test must: console errors, uncaught exceptions, failed
// or 4xx/5xx same-origin requests, and any request to another site.
// tests/e2e/run sets E2E_BASE_URL (the famigo under test), E2E_ARTIFACTS and
// CHROMIUM_BIN.
import assert from "node:assert/strict";
import path from "node:path";
import { after, before, test } from "node:test";
import { chromium } from "playwright-core";

export const baseURL = process.env.E2E_BASE_URL;
const artifacts = process.env.E2E_ARTIFACTS;
const executablePath = process.env.CHROMIUM_BIN || "/usr/bin/chromium";
if (!baseURL || !artifacts) throw new Error("run these tests with tests/e2e/run");
const origin = new URL(baseURL).origin;

let browser;
before(async () => {
  browser = await chromium.launch({
    executablePath,
    headless: true,
    // As root there is no sandbox; the rest keeps chromium off the (closed) network.
    args: [
      "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync",
      "--disable-dev-shm-usage",
    ],
  });
});
after(async () => {
  await browser?.close();
});

const slugify = (text) => text.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "");
let testNumber = 0;

// browserTest(name, [options], async ({ page, shot, problems }) => ...):
// a node:test test with its own page. shot(step) saves a screenshot as
// artifacts/NN-test-name-MM-step.png. At the end (pass or fail) the page must
// have raised no problem; a failing test also saves a screenshot.
// options.allowDocumentStatus: an HTTP status the main document may have (the 404 page).
export function browserTest(name, options, body) {
  if (typeof options === "function") [options, body] = [{}, options];
  const prefix = `${String(++testNumber).padStart(2, "0")}-${slugify(name)}`;
  test(name, async () => {
    const context = await browser.newContext({ baseURL, viewport: { width: 1280, height: 900 } });
    context.setDefaultTimeout(10_000);
    const page = await context.newPage();
    const problems = watch(page, context, options);
    let step = 0;
    const shot = async (label) => {
      const file = path.join(artifacts, `${prefix}-${String(++step).padStart(2, "0")}-${slugify(label)}.png`);
      await page.screenshot({ path: file, fullPage: false });
      return file;
    };
    try {
      await body({ page, shot, problems });
      // Late errors (a deferred script, an image) count too.
      await page.waitForLoadState("networkidle").catch(() => {});
      assert.deepEqual(problems, [], `the browser reported problems on ${page.url()}`);
    } catch (error) {
      await page.screenshot({ path: path.join(artifacts, `${prefix}-FAILED.png`), fullPage: true }).catch(() => {});
      if (problems.length) error.message += `\nbrowser problems:\n  ${problems.join("\n  ")}`;
      throw error;
    } finally {
      await context.close();
    }
  });
}

function sameOrigin(url) {
  try {
    return new URL(url).origin === origin;
  } catch {
    return false;
  }
}

function watch(page, context, { allowDocumentStatus } = {}) {
  const problems = [];
  const isDocument = (request) => request.isNavigationRequest() && request.frame() === page.mainFrame();
  page.on("pageerror", (error) => problems.push(`uncaught exception: ${error.message}`));
  page.on("console", (message) => {
    if (message.type() !== "error") return;
    const where = message.location().url || "";
    // Chromium logs the expected status of a page like /nope/ as a failed resource.
    if (allowDocumentStatus && /status of (\d+)/.exec(message.text())?.[1] === String(allowDocumentStatus) &&
        page.url() === where) return;
    problems.push(`console error: ${message.text()}${where ? ` (${where})` : ""}`);
  });
  page.on("requestfailed", (request) => {
    const reason = request.failure()?.errorText || "failed";
    // A navigation cancels what the page still had in flight; that is not a fault.
    if (reason === "net::ERR_ABORTED" || !sameOrigin(request.url())) return;
    problems.push(`request failed: ${request.method()} ${request.url()}: ${reason}`);
  });
  page.on("response", (response) => {
    const request = response.request();
    if (!sameOrigin(response.url()) || response.status() < 400) return;
    if (isDocument(request) && response.status() === allowDocumentStatus) return;
    problems.push(`HTTP ${response.status()}: ${request.method()} ${response.url()}`);
  });
  // The site makes no requests to other sites; the machine could not reach them anyway.
  context.route((url) => !sameOrigin(url.href), (route) => {
    problems.push(`request to another site: ${route.request().url()}`);
    return route.abort("blockedbyclient");
  });
  return problems;
}

// The number in "#result-count", e.g. 16856 from "16856 apps".
export async function resultCount(page) {
  const text = (await page.locator("#result-count").textContent()).trim();
  const match = /^(\d+) apps?\b/.exec(text);
  assert.ok(match, `#result-count says "${text}"`);
  return Number(match[1]);
}
