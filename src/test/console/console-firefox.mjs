// The web console in Debian's Firefox ESR, driven by puppeteer-core over WebDriver BiDi (playwright-core drives
// only its own Firefox build): sign-in with a console password, a form post, a page with the copy script, and
// sign-out, with no script error and no Content-Security-Policy report. Every check throws on failure.
//   node console-firefox.mjs
// Env: CONSOLE_MODULES (a folder whose node_modules holds puppeteer-core), WHARF_URL, FIREFOX, ACCOUNT,
//   USER_NAME, PASSWORD, DOMAIN.
import { createRequire } from "node:module";

const require = createRequire(process.env.CONSOLE_MODULES + "/");
const puppeteer = require("puppeteer-core");
const base = process.env.WHARF_URL;

function check(condition, message) {
  if (!condition) {
    throw new Error("check failed: " + message);
  }
}

const browser = await puppeteer.launch({ browser: "firefox", executablePath: process.env.FIREFOX, headless: true,
  extraPrefsFirefox: { "network.proxy.type": 0, "app.update.enabled": false, "browser.shell.checkDefaultBrowser": false } });
const problems = [];
try {
  const page = await browser.newPage();
  page.on("console", (message) => {
    if (message.type() === "error" || /Content-Security-Policy|Content Security Policy/i.test(message.text())) {
      problems.push(message.type() + ": " + message.text());
    }
  });
  page.on("pageerror", (error) => problems.push("page error: " + error.message));
  page.on("dialog", async (dialog) => {
    problems.push("dialog: " + dialog.message());
    await dialog.dismiss();
  });
  await page.goto(base + "/console/");
  check(page.url().endsWith("/console/sign-in"), "a visitor is sent to the sign-in form: " + page.url());
  await page.type("#account", process.env.ACCOUNT);
  await page.type("#user", process.env.USER_NAME);
  await page.type("#password", process.env.PASSWORD);
  await Promise.all([page.waitForNavigation(), page.click("form[aria-labelledby=iam-user] button[type=submit]")]);
  check(await page.$eval("h1", (h) => h.textContent) === "Domains", "signed in: " + page.url());
  check(await page.evaluate(() => document.cookie) === "", "no cookie is readable by script");
  check(await page.$eval("header.top", (h) => getComputedStyle(h).backgroundColor) === "rgb(13, 34, 56)",
    "the style sheet applies");
  await page.type("#domain-name", process.env.DOMAIN);
  await Promise.all([page.waitForNavigation(), page.click("form[action='/console/domains'] button[type=submit]")]);
  check((await page.$eval("h1", (h) => h.textContent)) === "Domain " + process.env.DOMAIN, "the domain is created");
  await page.type("#repository-name", "ff-repo");
  await Promise.all([page.waitForNavigation(), page.click("form[action$='/repositories'] button[type=submit]")]);
  await page.goto(page.url() + "/connect?format=pypi");
  check((await page.$eval("#cmd-pip-0", (e) => e.textContent)).startsWith("./wharf login --tool pip"),
    "the pip instructions");
  // the copy script runs (in a page without clipboard access it selects the text)
  await page.click("button[data-copy='cmd-pip-0']");
  await page.waitForFunction(() => document.querySelector("button[data-copy='cmd-pip-0']").textContent === "Copied");
  await Promise.all([page.waitForNavigation(), page.click("header form button[type=submit]")]);
  check(page.url().endsWith("/console/sign-in"), "signed out: " + page.url());
  await page.goto(base + "/console/domains");
  check(page.url().endsWith("/console/sign-in"), "the session has ended: " + page.url());
  check(problems.length === 0, "no script error or policy report: " + JSON.stringify(problems));
  console.log(JSON.stringify({ browser: await browser.version(), ok: true }));
} finally {
  await browser.close();
}
