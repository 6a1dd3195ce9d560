// Issue 9 in a real browser: the header's Log out button works (item 6), and
// no page of the tour breaks the Content-Security-Policy (item 13). The
// account comes from tests/e2e/run (E2E_USERNAME / E2E_PASSWORD).
import assert from "node:assert/strict";
import { browserTest } from "./browser.mjs";

const username = process.env.E2E_USERNAME;
const password = process.env.E2E_PASSWORD;

async function logIn(page) {
  await page.goto("/accounts/login/");
  await page.fill("#id_username", username);
  await page.fill("#id_password", password);
  await Promise.all([page.waitForURL((url) => url.pathname === "/"), page.click("form.login-form button[type=submit]")]);
}

browserTest("the header's Log out button logs the user out", async ({ page, shot }) => {
  assert.ok(username && password, "tests/e2e/run creates the account");
  await logIn(page);
  const who = page.locator("header .account .who");
  assert.equal((await who.textContent()).trim(), username);
  await shot("logged in");
  await page.goto("/browse/");  // a page other than the one login redirected to
  await Promise.all([
    page.waitForURL((url) => url.pathname === "/"),
    page.locator("header .account form button", { hasText: "Log out" }).click(),
  ]);
  assert.equal(await who.count(), 0, "no username in the header");
  assert.equal(await page.locator('header .account a[href="/accounts/login/"]').textContent(), "Log in");
  await page.goto("/accounts/login/");
  assert.equal(await page.getByText(/You are logged in as/).count(), 0);
  await shot("logged out");
});

browserTest("no page of the tour violates the Content-Security-Policy", async ({ page, shot }) => {
  const violations = [];
  await page.exposeFunction("reportCspViolation", (text) => violations.push(text));
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (event) => {
      window.reportCspViolation(`${event.violatedDirective} blocked ${event.blockedURI || "inline"} on ${location.pathname}`);
    });
  });
  const tour = ["/", "/browse/", "/browse/?platform=ios&page=2", "/approved/", "/best-free-games/",
                "/free-apps/", "/about/data/", "/accounts/login/"];
  // An app page, through a card, and the search box's suggestions.
  await page.goto("/");
  tour.push(new URL(await page.locator("li.card[data-slug] .card-title a").first().getAttribute("href"), page.url()).pathname);
  for (const path of tour) {
    const response = await page.goto(path);
    assert.equal(response.status(), 200, path);
    const policy = response.headers()["content-security-policy"] || "";
    assert.match(policy, /default-src 'self'/, `${path} carries the policy`);
    assert.doesNotMatch(policy, /unsafe-inline|unsafe-eval/, path);
  }
  await page.locator("#search-term").pressSequentially("min", { delay: 30 });
  await page.locator("#search-suggestions li[role=option]").first().waitFor({ state: "visible" });
  await logIn(page);
  await page.goto("/browse/");
  await shot("tour done");
  assert.deepEqual(violations, [], "Content-Security-Policy violations");
});
