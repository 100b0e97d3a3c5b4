// Drive the inspector page (GET /_sandbox/) in headless Chromium for tests/test_inspector_browser.py.
//
//   node inspector.mjs
//
// Debian's /usr/bin/chromium through playwright-core (no browser download). The test sends
// one JSON command per line on stdin and reads one JSON answer per line on stdout, so the
// Python side can send requests with the official SDK between two looks at the page:
//
//   {"cmd": "goto", "url": "http://127.0.0.1:PORT/_sandbox/"}
//   {"cmd": "wait", "selector": "...", "state": "visible"}   -> {"ok": true}
//   {"cmd": "text", "selector": "..."}                       -> {"ok": true, "value": "..."}
//   {"cmd": "texts", "selector": "..."}                      -> every match's text
//   {"cmd": "count", "selector": "..."}
//   {"cmd": "click" | "fill" | "select", "selector": "...", "value": "..."}
//   {"cmd": "eval", "expr": "document.title"}
//   {"cmd": "clipboard"}                                     -> the clipboard's text
//   {"cmd": "screenshot", "path": "out.png"}
//   {"cmd": "log"}                                           -> console messages, page errors
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { chromium } from 'playwright-core';

const executablePath = process.env.CHROMIUM ?? '/usr/bin/chromium';
const timeout = Number(process.env.INSPECTOR_TIMEOUT ?? '15000');

const userDataDir = await mkdtemp(join(tmpdir(), 'msbx-inspector-'));
const context = await chromium.launchPersistentContext(userDataDir, {
  executablePath,
  headless: true,
  viewport: { width: 1440, height: 900 },
  deviceScaleFactor: Number(process.env.INSPECTOR_SCALE ?? '1'),
  args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const page = context.pages()[0] ?? (await context.newPage());
page.setDefaultTimeout(timeout);
const log = [];
page.on('console', (m) => log.push(`${m.type()}: ${m.text()}`));
page.on('pageerror', (e) => log.push(`pageerror: ${e}`));
page.on('dialog', (d) => d.accept()); // confirm() of a whole-server reset

const commands = {
  async goto({ url }) {
    const origin = new URL(url).origin;
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin });
    await page.goto(url);
  },
  wait: ({ selector, state }) => page.waitForSelector(selector, { state: state ?? 'visible' }).then(() => null),
  text: ({ selector }) => page.locator(selector).first().textContent(),
  texts: ({ selector }) => page.locator(selector).allTextContents(),
  count: ({ selector }) => page.locator(selector).count(),
  click: ({ selector }) => page.locator(selector).first().click(),
  fill: ({ selector, value }) => page.locator(selector).first().fill(value),
  select: ({ selector, value }) => page.locator(selector).first().selectOption(value).then(() => null),
  eval: ({ expr }) => page.evaluate(expr),
  clipboard: () => page.evaluate(() => navigator.clipboard.readText()),
  screenshot: ({ path, fullPage }) => page.screenshot({ path, fullPage: Boolean(fullPage) }).then(() => path),
  viewport: ({ width, height }) => page.setViewportSize({ width, height }),
  log: () => log.splice(0),
};

const lines = createInterface({ input: process.stdin });
const answer = (value) => process.stdout.write(`${JSON.stringify(value)}\n`);
answer({ ok: true, value: 'ready' });
for await (const line of lines) {
  if (!line.trim()) continue;
  let request;
  try {
    request = JSON.parse(line);
  } catch (err) {
    answer({ ok: false, error: `bad command: ${err}` });
    continue;
  }
  if (request.cmd === 'quit') break;
  const run = commands[request.cmd];
  if (!run) {
    answer({ ok: false, error: `unknown command ${request.cmd}` });
    continue;
  }
  try {
    answer({ ok: true, value: (await run(request)) ?? null });
  } catch (err) {
    answer({ ok: false, error: String(err?.message ?? err).split('\n').slice(0, 6).join('\n'), log: log.slice(-20) });
  }
}
await context.close();
await rm(userDataDir, { recursive: true, force: true });
process.exit(0);
