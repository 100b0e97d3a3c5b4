// Serve the page on its own origin, open it in headless Chromium (Debian's /usr/bin/chromium
// driven by playwright-core: no browser download) and print what the page saw as JSON.
//
//   npm ci && npm run build
//   node run.mjs http://127.0.0.1:8080 [--prompt TEXT] [--model ID] [--screenshot out.png]
//
// Exit code 0 when the page finished (its result may still say something failed: the
// caller checks it), 1 when it reported an error or timed out.
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const sandbox = args.find((a) => /^https?:/.test(a)) ?? 'http://127.0.0.1:8080';
const executablePath = process.env.CHROMIUM ?? '/usr/bin/chromium';
const timeout = Number(opt('timeout', '30000'));

const files = {
  '/': [join(here, 'page', 'index.html'), 'text/html; charset=utf-8'],
  '/app.js': [join(here, 'dist', 'app.js'), 'text/javascript; charset=utf-8'],
};
const server = createServer(async (req, res) => {
  const path = new URL(req.url, 'http://x').pathname;
  const entry = files[path];
  if (!entry) {
    res.writeHead(404).end();
    return;
  }
  try {
    res.writeHead(200, { 'content-type': entry[1], 'cache-control': 'no-store' }).end(await readFile(entry[0]));
  } catch (err) {
    res.writeHead(500, { 'content-type': 'text/plain' }).end(String(err));
  }
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const pageOrigin = `http://127.0.0.1:${server.address().port}`;

const userDataDir = await mkdtemp(join(tmpdir(), 'msbx-chromium-'));
const context = await chromium.launchPersistentContext(userDataDir, {
  executablePath,
  headless: true,
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
});
let code = 1;
try {
  const page = context.pages()[0] ?? (await context.newPage());
  const console_ = [];
  page.on('console', (m) => console_.push(`${m.type()}: ${m.text()}`));
  page.on('pageerror', (e) => console_.push(`pageerror: ${e}`));
  const url = new URL(pageOrigin + '/');
  url.searchParams.set('base', sandbox);
  if (opt('prompt')) url.searchParams.set('prompt', opt('prompt'));
  if (opt('model')) url.searchParams.set('model', opt('model'));
  await page.goto(url.href);
  let status = 'timeout';
  try {
    await page.waitForSelector('body[data-status="done"], body[data-status="error"]', { timeout });
    status = await page.evaluate(() => document.body.dataset.status);
  } catch {
    // reported below with whatever the page shows
  }
  if (opt('screenshot')) await page.screenshot({ path: opt('screenshot'), fullPage: true });
  const raw = await page.evaluate(() => document.getElementById('result').textContent);
  let result;
  try {
    result = JSON.parse(raw || '{}');
  } catch {
    result = { raw };
  }
  console.log(JSON.stringify({ status, pageOrigin, sandbox, result, console: console_ }, null, 2));
  code = status === 'done' ? 0 : 1;
} finally {
  await context.close();
  server.close();
  await rm(userDataDir, { recursive: true, force: true });
}
process.exit(code);
