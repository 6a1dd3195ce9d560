// What a visitor does on the catalog site, in a real browser: the home page,
// an app page, browse with filters and paging, the search box's autocomplete
// (mouse and keyboard), the search page (a typo, a facet), and the friendly 404. Data: the demo catalog (data/).
import assert from "node:assert/strict";
import { baseURL, browserTest, resultCount } from "./browser.mjs";

const IOS = "iPhone & iPad";

// Types `text` into the search box like a person and waits until the list shows
// the suggestions for all of it: a slow keystroke may let a lookup for a shorter
// prefix through first (site.js drops only answers older than the latest request).
async function suggestions(page, text) {
  const input = page.locator("#search-term");
  const answer = page.waitForResponse((response) => {
    const url = new URL(response.url());
    return url.pathname === "/autocomplete/" && url.searchParams.get("term") === text;
  });
  await input.click();
  await input.pressSequentially(text, { delay: 30 });
  const apps = await (await answer).json();
  assert.ok(apps.length >= 1, `suggestions for "${text}"`);
  await page.waitForFunction(([count, first]) => {
    const names = document.querySelectorAll("#search-suggestions li[role=option] .suggestion-name");
    return names.length === count && names[0].textContent === first;
  }, [apps.length, apps[0].name]);
  const options = page.locator("#search-suggestions li[role=option]");
  await options.first().waitFor({ state: "visible" });
  assert.equal(await input.getAttribute("aria-expanded"), "true");
  return options;
}

browserTest("home page shows the shelves of apps", async ({ page, shot }) => {
  const response = await page.goto("/");
  assert.equal(response.status(), 200);
  assert.match(await page.title(), /Famigo/);
  assert.match(await page.locator("h1").first().textContent(), /apps and games for your family/);
  const shelves = page.locator("section.shelf");
  assert.ok((await shelves.count()) >= 2, "at least two shelves");
  for (const shelf of await shelves.all()) {
    const heading = (await shelf.locator("h2").textContent()).trim();
    assert.ok((await shelf.locator("li.card[data-slug]").count()) >= 1, `shelf "${heading}" has cards`);
  }
  assert.ok(await page.evaluate(() => document.styleSheets.length >= 1), "the stylesheet loaded");
  await shot("home");
});

browserTest("a card on the home page leads to its app page", async ({ page, shot }) => {
  await page.goto("/");
  const card = page.locator("#best-free-games li.card[data-slug]").first();
  const slug = await card.getAttribute("data-slug");
  const link = card.locator(".card-title a");
  const title = (await link.textContent()).trim();
  const platform = (await card.locator(".card-meta").first().textContent()).split("·")[0].trim();
  await link.click();
  await page.waitForURL(`${baseURL}/app/${slug}/`);
  assert.equal((await page.locator("h1").textContent()).trim(), title);
  assert.match(await page.title(), new RegExp(`^${title.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")} · `));
  const facts = page.locator("dl.facts");
  assert.deepEqual(
    (await facts.locator("dt").allTextContents()).slice(0, 4),
    ["Rating", "Price", "Platform", "Age band"],
  );
  const fact = (name) => facts.locator(`div:has(> dt:text-is("${name}")) > dd`).textContent();
  assert.equal((await fact("Platform")).trim(), platform);
  assert.equal((await fact("Price")).trim(), "Free");
  assert.match(await fact("Age band"), /^(Ages \S+|Not rated)/);
  assert.ok(await page.locator(".descriptors .descriptor").count() >= 5, "the parents' descriptors are listed");
  const similar = page.locator("section.similar");
  assert.equal((await similar.locator("h2").textContent()).trim(), "Similar apps");
  assert.ok((await similar.locator("li.card").count()) >= 1, "similar apps are shown");
  await shot("app page");
});

browserTest("browse filters narrow the list and show in the URL", async ({ page, shot }) => {
  await page.goto("/browse/");
  const all = await resultCount(page);
  assert.ok(all > 10000, `the whole demo catalog is listed (${all})`);
  await shot("browse unfiltered");

  const form = page.locator("#filters");
  await form.locator("select[name=platform]").selectOption("ios");
  await form.locator("select[name=age]").selectOption("6-8");
  await form.locator("select[name=price]").selectOption("free");
  await form.locator("select[name=sort]").selectOption("title");
  await form.getByRole("button", { name: "Show apps" }).click();
  await page.waitForURL(/\/browse\/\?.*platform=ios/);

  const params = new URL(page.url()).searchParams;
  assert.equal(params.get("platform"), "ios");
  assert.equal(params.get("age"), "6-8");
  assert.equal(params.get("price"), "free");
  assert.equal(params.get("sort"), "title");
  // The form shows the filters it applied.
  assert.equal(await form.locator("select[name=platform]").inputValue(), "ios");
  assert.equal(await form.locator("select[name=age]").inputValue(), "6-8");

  const filtered = await resultCount(page);
  assert.ok(filtered > 20 && filtered < all, `the count changed: ${all} -> ${filtered}`);
  const cards = page.locator("#results li.card");
  assert.equal(await cards.count(), 20, "a full first page");
  const titles = [];
  for (const card of await cards.all()) {
    const meta = await card.locator(".card-meta").first().textContent();
    assert.ok(meta.startsWith(IOS), `an iOS app: "${meta}"`);
    const footer = await card.locator(".card-footer").textContent();
    assert.match(footer, /\bFree\b/);
    // "6-8" means suitable for 6 to 8 year olds: rated for them or for younger children.
    assert.match(footer, /Ages (0-5|6-8)\b/);
    titles.push((await card.locator(".card-title").textContent()).trim());
  }
  const ascii = titles.filter((t) => /^[\x20-\x7e]*$/.test(t)).map((t) => t.toLowerCase());
  assert.deepEqual(ascii, [...ascii].sort(), "sorted by title");
  await shot("browse filtered");
});

browserTest("browse pagination keeps the filters", async ({ page, shot }) => {
  await page.goto("/browse/?platform=ios&age=6-8&price=free&sort=title");
  const total = await resultCount(page);
  const firstPage = await page.locator("#results li.card").evaluateAll((cards) => cards.map((c) => c.dataset.slug));
  const pagination = page.locator("nav.pagination");
  assert.match(await pagination.textContent(), /Page 1 of \d+/);
  await pagination.locator("a[rel=next]").click();
  await page.waitForURL(/[?&]page=2\b/);
  const params = new URL(page.url()).searchParams;
  assert.deepEqual(
    ["platform", "age", "price", "sort"].map((name) => params.get(name)),
    ["ios", "6-8", "free", "title"],
  );
  assert.match(await pagination.textContent(), /Page 2 of \d+/);
  assert.equal(await resultCount(page), total);
  const secondPage = await page.locator("#results li.card").evaluateAll((cards) => cards.map((c) => c.dataset.slug));
  assert.equal(secondPage.length, 20);
  assert.deepEqual(secondPage.filter((slug) => firstPage.includes(slug)), [], "page 2 shows other apps");
  await pagination.locator("a[rel=prev]").waitFor();
  await shot("browse page 2");
});

browserTest("autocomplete suggests apps and a click opens one", async ({ page, shot }) => {
  await page.goto("/");
  const options = await suggestions(page, "minec");
  const names = (await options.locator(".suggestion-name").allTextContents()).map((n) => n.trim());
  assert.ok(names.length >= 2, `suggestions: ${names}`);
  // Served by the search index: titles with a word starting "minec" come first.
  assert.match(names[0], /\bminec/i);
  assert.ok(names.includes("Minecraft: Pocket Edition"), `suggestions: ${names}`);
  const metas = await options.locator(".suggestion-meta").allTextContents();
  for (const meta of metas) assert.ok(meta === IOS || meta === "Android", meta);
  await shot("autocomplete open");

  const pick = options.filter({ hasText: "Minecraft: Pocket Edition" }).locator("a");
  const href = await pick.getAttribute("href");
  await pick.click();
  await page.waitForURL(baseURL + href);
  assert.equal((await page.locator("h1").textContent()).trim(), "Minecraft: Pocket Edition");
  assert.equal(
    (await page.locator('dl.facts div:has(> dt:text-is("Platform")) > dd').textContent()).trim(), IOS);
  await shot("app from a suggestion");
});

browserTest("autocomplete works from the keyboard", async ({ page, shot }) => {
  await page.goto("/");
  const input = page.locator("#search-term");
  const options = await suggestions(page, "angry bi");
  assert.ok((await options.count()) >= 2);
  const selected = () => options.evaluateAll((items) => items.map((i) => i.getAttribute("aria-selected")));

  await input.press("ArrowDown");
  assert.deepEqual((await selected()).slice(0, 2), ["true", "false"]);
  await input.press("ArrowDown");
  assert.deepEqual((await selected()).slice(0, 2), ["false", "true"]);
  await input.press("ArrowUp");
  assert.deepEqual((await selected()).slice(0, 2), ["true", "false"]);
  assert.equal(await input.getAttribute("aria-activedescendant"), await options.first().getAttribute("id"));
  await shot("first suggestion selected");

  const first = options.first();
  const name = (await first.locator(".suggestion-name").textContent()).trim();
  const href = await first.locator("a").getAttribute("href");
  assert.match(name, /^angry birds/i);
  await input.press("Enter");
  await page.waitForURL(baseURL + href);
  assert.equal((await page.locator("h1").textContent()).trim(), name);

  // Escape closes the list again.
  await suggestions(page, "angry");
  await page.locator("#search-term").press("Escape");
  await page.locator("#search-suggestions").waitFor({ state: "hidden" });
  assert.equal(await page.locator("#search-term").getAttribute("aria-expanded"), "false");
  assert.equal(await page.locator("#search-term").getAttribute("aria-activedescendant"), null);
  await shot("app from the keyboard");
});

browserTest("the search box without a suggestion lists matching apps", async ({ page, shot }) => {
  await page.goto("/");
  const input = page.locator("#search-term");
  await input.fill("minecraft");
  await input.press("Enter");
  await page.waitForURL(/\/search\/\?q=minecraft$/);
  assert.match(await page.locator("#result-count").textContent(), /^\d+ apps? for “minecraft”/);
  assert.ok((await resultCount(page)) >= 2);
  const first = await page.locator("#results .card-title").first().textContent();
  assert.match(first.trim(), /minecraft/i);
  assert.equal(await page.locator("#results .card-title mark").first().textContent(), "Minecraft");
  await shot("search results");
});

browserTest("a misspelt search in the header box finds the app, and a facet narrows it", async ({ page, shot }) => {
  await page.goto("/");
  const input = page.locator("#search-term");
  await input.fill("mincraft");
  await input.press("Enter");
  await page.waitForURL(/\/search\/\?q=mincraft$/);
  const titles = (await page.locator("#results .card-title").allTextContents()).map((t) => t.trim());
  assert.ok(titles.length >= 1, "results for a typo");
  assert.match(titles[0], /minecraft/i, `first result: ${titles[0]}`);
  const all = await resultCount(page);
  await shot("typo results");

  // Narrow by platform with the facet link: the URL, the count and every card follow.
  const facet = page.locator('#facets section[data-facet="platform"] a', { hasText: IOS });
  const expected = Number((await page.locator('#facets section[data-facet="platform"] li', { hasText: IOS })
    .locator(".count").textContent()).trim());
  await facet.click();
  await page.waitForURL(/[?&]platform=ios\b/);
  assert.equal(new URL(page.url()).searchParams.get("q"), "mincraft");
  const narrowed = await resultCount(page);
  assert.equal(narrowed, expected);
  assert.ok(narrowed <= all);
  for (const meta of await page.locator("#results .card-meta:first-of-type").allTextContents()) {
    assert.ok(meta.startsWith(IOS), `an iOS app: "${meta}"`);
  }
  assert.ok(await page.locator('#facets a.chosen', { hasText: IOS }).count() === 1, "the facet shows as chosen");
  await shot("narrowed by a facet");
});

browserTest("an unknown address shows the friendly 404 page", { allowDocumentStatus: 404 }, async ({ page, shot }) => {
  const response = await page.goto("/nope/");
  assert.equal(response.status(), 404);
  assert.equal((await page.locator("main h1").textContent()).trim(), "We couldn't find that page");
  assert.match(await page.locator("main").textContent(), /The page \/nope\/ may have moved/);
  await shot("404");
  await page.getByRole("link", { name: "Go to the home page" }).click();
  await page.waitForURL(`${baseURL}/`);
  assert.ok((await page.locator("li.card").count()) >= 1);
});
