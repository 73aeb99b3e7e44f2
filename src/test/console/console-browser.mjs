// The web console in a real browser (Chromium driven by playwright-core), one phase per run; the Java test
// ConsoleBrowserIT runs the phases around what it does with the real npm. Every check throws on failure, so the
// process exits non-zero and the Java test fails with this output.
//   node console-browser.mjs PHASE
// Env: CONSOLE_MODULES (a folder whose node_modules holds playwright-core and axe-core), WHARF_URL, CHROMIUM,
//   STATE (the file a phase saves its cookies to, and the next reads them from), ACCOUNT, USER_NAME, PASSWORD,
//   DOMAIN, REPOSITORY, PACKAGE (an npm package the test published, with a hostile readme), SCREENSHOTS (a folder:
//   when set, each main page is saved there as PNG).
import { createRequire } from "node:module";
import { existsSync } from "node:fs";

const require = createRequire(process.env.CONSOLE_MODULES + "/");
const { chromium } = require("playwright-core");
const axePath = require.resolve("axe-core/axe.min.js");
const base = process.env.WHARF_URL;
const phase = process.argv[2];

function check(condition, message) {
  if (!condition) {
    throw new Error("check failed: " + message);
  }
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM,
  args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run", "--disable-dev-shm-usage"],
});
const dialogs = [];
const pagesSeen = [];

async function newPage(options = {}) {
  const context = await browser.newContext({
    baseURL: base,
    storageState: options.fresh || !existsSync(process.env.STATE) ? undefined : process.env.STATE,
    bypassCSP: options.bypassCSP ?? false,
    viewport: options.viewport,
  });
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: base });
  const page = await context.newPage();
  page.on("dialog", async (dialog) => {
    dialogs.push(dialog.message());
    await dialog.dismiss();
  });
  page.on("pageerror", (error) => dialogs.push("page error: " + error.message));
  return page;
}

async function shot(page, name) {
  pagesSeen.push(page.url());
  if (process.env.SCREENSHOTS) {
    await page.screenshot({ path: `${process.env.SCREENSHOTS}/${name}.png`, fullPage: true });
  }
}

/** Runs axe-core on the page (in a context that lets its script in) and fails on serious or critical findings. */
async function accessible(path, signedIn = true) {
  const page = await newPage({ bypassCSP: true, fresh: !signedIn });
  await page.goto(path);
  await page.addScriptTag({ path: axePath });
  const result = await page.evaluate(async () => await window.axe.run(document, { resultTypes: ["violations"] }));
  const bad = result.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  check(bad.length === 0, `accessibility of ${path}: ` + JSON.stringify(bad.map((v) => ({ id: v.id, impact: v.impact,
    nodes: v.nodes.map((n) => n.target) }))));
  await page.context().close();
}

try {
  if (phase === "sign-in") {
    const page = await newPage({ fresh: true });
    await page.goto("/console/");
    check(page.url().endsWith("/console/sign-in"), "a visitor is sent to the sign-in form: " + page.url());
    await shot(page, "sign-in");
    // a wrong password: the form says so, and no session starts
    await page.getByLabel("Account ID").fill(process.env.ACCOUNT);
    await page.getByLabel("User name").fill(process.env.USER_NAME);
    await page.getByLabel("Password", { exact: true }).fill("not-the-password");
    await page.locator("form", { has: page.getByLabel("Password", { exact: true }) }).getByRole("button").click();
    await page.locator("#sign-in-error").waitFor();
    check((await page.locator("#sign-in-error").textContent()).includes("incorrect"), "a wrong password is refused");
    await page.getByLabel("Password", { exact: true }).fill(process.env.PASSWORD);
    await page.locator("form", { has: page.getByLabel("Password", { exact: true }) }).getByRole("button").click();
    await page.getByRole("heading", { name: "Domains" }).waitFor();
    check(await page.evaluate(() => document.cookie) === "", "no cookie is readable by script");
    await page.context().storageState({ path: process.env.STATE });
  } else if (phase === "create") {
    const page = await newPage();
    await page.goto("/console/domains");
    await page.getByLabel(/^Name/).fill(process.env.DOMAIN);
    await page.getByRole("button", { name: "Create domain" }).click();
    await page.getByRole("heading", { name: "Domain " + process.env.DOMAIN }).waitFor();
    await page.getByLabel("Name", { exact: true }).fill(process.env.REPOSITORY);
    await page.getByRole("button", { name: "Create repository" }).click();
    await page.getByRole("heading", { name: "Repository " + process.env.REPOSITORY }).waitFor();
  } else if (phase === "browse") {
    const page = await newPage();
    await page.goto("/console/domains");
    await shot(page, "domains");
    await page.getByRole("link", { name: process.env.DOMAIN, exact: true }).click();
    await shot(page, "domain");
    await page.getByRole("link", { name: process.env.REPOSITORY, exact: true }).click();
    await page.getByLabel("Name starts with").fill(process.env.PACKAGE.replace(/^@[^/]+\//, "").slice(0, 3));
    await page.getByLabel("Format").selectOption("npm");
    await page.getByRole("button", { name: "Search" }).click();
    await shot(page, "repository");
    await page.getByRole("link", { name: process.env.PACKAGE }).click();
    await page.getByRole("heading", { name: process.env.PACKAGE }).waitFor();
    const tags = await page.locator("table", { has: page.getByText("Tag", { exact: true }) }).locator("tbody tr")
      .evaluateAll((rows) => rows.map((row) => [...row.cells].map((cell) => cell.textContent).join("=")));
    check(tags.includes("latest=1.0.0"), "the dist-tags are shown: " + tags);
    await shot(page, "package");
    await page.getByRole("link", { name: "1.0.0", exact: true }).click();
    const readme = page.locator("article.readme");
    await readme.waitFor();
    await shot(page, "version");
    const readmeText = await readme.textContent();
    check(readmeText.includes("<script>alert('readme')</script>"), "a script in the readme is shown as text");
    check(await readme.locator("script, iframe, object, embed, svg").count() === 0, "the readme holds no active element");
    const handlers = await readme.evaluate((el) => [...el.querySelectorAll("*")].flatMap((e) =>
      [...e.attributes].map((a) => a.name)).filter((name) => name.startsWith("on")));
    check(handlers.length === 0, "no event handler attribute in the readme: " + handlers);
    const hrefs = await readme.locator("a").evaluateAll((links) => links.map((a) => a.getAttribute("href") || ""));
    check(hrefs.every((href) => !/^\s*(javascript|data|vbscript):/i.test(href)), "no script link: " + hrefs);
    check(hrefs.some((href) => href === "https://example.com/docs"), "ordinary links stay: " + hrefs);
    const versionPath = new URL(page.url()).pathname;
    const install = await page.locator("#install").textContent();
    check(install === `npm install ${process.env.PACKAGE}@1.0.0`, "the install line: " + install);
    // an asset downloads in the browser with the session
    const [download] = await Promise.all([page.waitForEvent("download"),
      page.getByRole("link", { name: /\.tgz$/ }).click()]);
    check((await download.failure()) === null, "the tarball downloads");
    // connection instructions for npm, copied with the button
    await page.goto(page.url().replace(/\/packages\/.*$/, "/connect?format=npm"));
    await shot(page, "connect");
    const command = await page.locator("#cmd-npm-0").textContent();
    check(command.startsWith("./wharf login --tool npm --domain " + process.env.DOMAIN), "the npm command: " + command);
    await page.locator("button[data-copy='cmd-npm-0']").click();
    await page.getByRole("button", { name: "Copied" }).waitFor();
    check(await page.evaluate(() => navigator.clipboard.readText()) === command, "the copy button copies the command");
    for (const path of [new URL(page.url()).pathname + "?format=npm"]) {
      await accessible(path);
    }
    const repositoryPath = versionPath.replace(/\/packages\/.*$/, "");
    for (const path of ["/console/domains", repositoryPath, versionPath, versionPath.replace(/\/versions\/.*$/, ""),
      repositoryPath.replace(/\/repositories\/.*$/, "") + "?prefix=xss"]) {
      await accessible(path);
    }
    await accessible("/console/sign-in", false);
    // a search across the domain's repositories finds the package by its prefix
    await page.goto(repositoryPath.replace(/\/repositories\/.*$/, ""));
    await page.getByLabel("Package name starts with").fill("xss");
    await page.getByRole("button", { name: "Search the domain" }).click();
    await page.getByRole("link", { name: process.env.PACKAGE }).waitFor();
    // a phone-sized screen: the page does not scroll sideways
    const phone = await newPage({ viewport: { width: 375, height: 700 } });
    await phone.goto("/console/domains");
    check(await phone.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1),
      "the domains page fits a phone's width");
    await phone.context().close();
    // keyboard: on a fresh page the skip link is the first stop
    await page.goto("/console/domains");
    await page.keyboard.press("Tab");
    check(await page.evaluate(() => document.activeElement.textContent) === "Skip to content", "skip link first");
    // sign out: the session ends on the server too (its cookie, saved before, opens nothing)
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.getByRole("heading", { name: "Sign in" }).waitFor();
    const again = await newPage();
    await again.goto("/console/domains");
    check(again.url().endsWith("/console/sign-in"), "a signed-out session's cookie opens nothing: " + again.url());
  } else if (phase === "admin") {
    const page = await newPage();
    // a resource policy with an error: the editor shows the server's message and keeps the text
    await page.goto("/console/domains");
    await page.getByRole("link", { name: process.env.DOMAIN, exact: true }).click();
    await page.getByRole("link", { name: "Domain resource policy" }).click();
    await page.getByLabel("Policy document (JSON)").fill('{"Version": "2012-10-17", "Statement": [');
    await page.getByRole("button", { name: "Save policy" }).click();
    const error = await page.locator("#policy-error").textContent();
    check(error.length > 10, "an invalid policy shows why: " + error);
    await shot(page, "policy-error");
    check((await page.getByLabel("Policy document (JSON)").inputValue()).includes('"Statement": ['),
      "the refused text stays in the editor");
    const policy = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow",
      Principal: { AWS: "arn:aws:iam::" + process.env.ACCOUNT + ":root" }, Action: "codeartifact:ReadFromRepository",
      Resource: "*" }] });
    await page.getByLabel("Policy document (JSON)").fill(policy);
    await page.getByRole("button", { name: "Save policy" }).click();
    await page.getByRole("button", { name: "Delete policy" }).waitFor();
    check((await page.getByLabel("Policy document (JSON)").inputValue()).includes("ReadFromRepository"),
      "the saved policy is shown");
    // an upstream: a second repository, set as the first one's upstream, shows in its upstream graph
    await page.goto("/console/domains");
    await page.getByRole("link", { name: process.env.DOMAIN, exact: true }).click();
    await page.getByLabel("Name", { exact: true }).fill("upstream-repo");
    await page.getByRole("button", { name: "Create repository" }).click();
    await page.getByRole("heading", { name: "Repository upstream-repo" }).waitFor();
    await page.goto("/console/domains");
    await page.getByRole("link", { name: process.env.DOMAIN, exact: true }).click();
    await page.getByRole("link", { name: process.env.REPOSITORY, exact: true }).click();
    await page.getByLabel("Upstream repositories (comma-separated, in order)").fill("upstream-repo");
    await page.getByRole("button", { name: "Save", exact: true }).click();
    await page.getByRole("heading", { name: "Upstream graph" }).waitFor();
    check(await page.locator("ol.graph a", { hasText: "upstream-repo" }).count() === 1, "the upstream is in the graph");
    // the package's origin controls
    await page.getByRole("link", { name: process.env.PACKAGE }).click();
    await page.getByLabel("Publish to this repository").selectOption("BLOCK");
    await page.getByRole("button", { name: "Save origin controls" }).click();
    await page.getByRole("heading", { name: process.env.PACKAGE }).waitFor();
    check(await page.getByLabel("Publish to this repository").inputValue() === "BLOCK", "publish is blocked");
    // a version's status
    await page.goto("/console/domains");
    await page.getByRole("link", { name: process.env.DOMAIN, exact: true }).click();
    await page.getByRole("link", { name: process.env.REPOSITORY, exact: true }).click();
    await page.getByRole("link", { name: process.env.PACKAGE }).click();
    await page.getByRole("link", { name: "1.0.0", exact: true }).click();
    await page.getByLabel("Change the status").selectOption("Unlisted");
    await page.getByRole("button", { name: "Apply" }).click();
    await page.locator("dl.facts dd", { hasText: "Unlisted" }).waitFor();
    // the account's live tokens: revoke every one (the test's npm holds one of them)
    await page.goto("/console/tokens");
    await shot(page, "tokens");
    check(await page.getByRole("button", { name: /^Revoke token / }).count() > 0, "the npm token is listed");
    while (await page.getByRole("button", { name: /^Revoke token / }).count() > 0) {
      await page.getByRole("button", { name: /^Revoke token / }).first().click();
      await page.getByRole("heading", { name: "Authorization tokens" }).waitFor();
    }
    // the audit trail, filtered: the failed sign-in of the first phase is there
    await page.goto("/console/audit");
    await page.getByLabel("Outcome").selectOption("denied");
    await page.getByLabel("Action").fill("signin:ConsoleLogin");
    await page.getByRole("button", { name: "Filter" }).click();
    await shot(page, "audit");
    check((await page.locator("table tbody").textContent()).includes("AuthenticationFailed"),
      "the failed sign-in is in the audit trail");
    for (const path of ["/console/tokens", "/console/audit"]) {
      await accessible(path);
    }
  } else if (phase === "denied") {
    // the session's principal is denied by a policy the test attached: the page shows AWS's message
    const page = await newPage();
    const response = await page.goto("/console/domains");
    check(response.status() === 403, "a denied page answers 403: " + response.status());
    const message = await page.locator("p.error").textContent();
    check(message.includes("is not authorized to perform: codeartifact:ListDomains"), "AWS's message: " + message);
  } else {
    throw new Error("no phase " + phase);
  }
  check(dialogs.length === 0, "no dialog or script error: " + dialogs);
  console.log(JSON.stringify({ phase, ok: true, pages: pagesSeen }));
} finally {
  await browser.close();
}
