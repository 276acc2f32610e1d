// Opens borderless's GraphiQL page in headless Chromium with every request off the server's host refused (the
// page must work with no internet), runs the query prefilled in the editor with the execute button, waits for
// the answer to show, and keeps a screenshot.
//   node graphiql-check.mjs <page URL> <text the answer must show> <screenshot path>
import { chromium } from "playwright-core";

const [url, expected, screenshot] = process.argv.slice(2);
const origin = new URL(url).origin;
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium" });
try {
  const page = await browser.newPage();
  const refused = [];
  await page.route("**/*", (route) => {
    if (route.request().url().startsWith(origin)) return route.continue();
    refused.push(route.request().url());
    return route.abort();
  });
  await page.goto(url);
  await page.locator(".graphiql-execute-button").click({ timeout: 15000 });
  await page.locator(".result-window").getByText(expected).waitFor({ timeout: 15000 });
  await page.screenshot({ path: screenshot, fullPage: true });
  if (refused.length > 0) throw new Error(`the page asked for other hosts: ${refused.join(", ")}`);
  console.log(`answer shown; screenshot at ${screenshot}`);
} finally {
  await browser.close();
}
