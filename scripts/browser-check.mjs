// Drives Debian's Chromium with playwright-core; see scripts/browser-check.
import { spawn, execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { chromium } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';

const bin = process.env.CRADLE_BIN;
const dataDir = mkdtempSync(join(tmpdir(), 'cradle-browser-check-'));
const shots = 'test-results/screenshots';
mkdirSync(shots, { recursive: true });

const env = { ...process.env, CRADLE_DATA_DIR: dataDir, RUST_LOG: process.env.RUST_LOG || 'warn' };
delete env.DATABASE_URL;

const server = spawn(bin, ['serve', '--addr', '127.0.0.1:0'], { env, stdio: ['ignore', 'pipe', 'inherit'] });
const base = await new Promise((resolve, reject) => {
  const timer = setTimeout(() => reject(new Error('Cradle did not print its URL within 30 s')), 30_000);
  createInterface({ input: server.stdout }).on('line', (line) => {
    const match = line.match(/http:\/\/\S+?(?=\/?\s|\/?$)/);
    if (match) { clearTimeout(timer); resolve(match[0].replace(/\/$/, '')); }
  });
  server.on('exit', (code) => reject(new Error(`Cradle exited early with ${code}`)));
});

const pages = JSON.parse(execFileSync(bin, ['pages'], { env, encoding: 'utf8' }));
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
         '--disable-component-update', '--disable-sync'],
});

let passed = 0;
let failed = 0;
// Pages are checked a few at a time: axe takes most of the time, and it runs in the page.
const workers = Number(process.env.BROWSER_CHECK_WORKERS || 4);
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const queue = [...pages];
  const checkPage = async ({ path, title }) => {
    const page = await context.newPage();
    const problems = [];
    page.on('console', (message) => { if (message.type() === 'error') problems.push(`console: ${message.text()}`); });
    page.on('pageerror', (error) => problems.push(`script error: ${error.message}`));
    const response = await page.goto(base + path, { waitUntil: 'load' });
    const expected = title === 'Page not found' ? 404 : 200;
    if (response.status() !== expected) problems.push(`HTTP status ${response.status()}, expected ${expected}`);
    const results = await new AxeBuilder({ page })
      .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'])
      .analyze();
    for (const violation of results.violations) {
      const where = violation.nodes.map((node) => node.target.join(' ')).slice(0, 5).join('; ');
      problems.push(`axe ${violation.id} (${violation.impact}): ${violation.help} at ${where}`);
    }
    // A 404 page logs the failed load of its own address; that is expected.
    const relevant = expected === 404 ? problems.filter((p) => !p.includes('404')) : problems;
    const slug = path === '/' ? 'home' : path.replace(/^\//, '').replace(/[^a-z0-9]+/gi, '-');
    await page.screenshot({ path: join(shots, `${slug}.png`), fullPage: true });
    await page.close();
    if (relevant.length === 0) {
      passed += 1;
    } else {
      failed += 1;
      console.log(`FAIL ${path} (${title})`);
      for (const problem of relevant) console.log(`     ${problem}`);
    }
  };
  await Promise.all(Array.from({ length: workers }, async () => {
    for (let next = queue.shift(); next; next = queue.shift()) await checkPage(next);
  }));
} finally {
  await browser.close();
  server.kill('SIGTERM');
  rmSync(dataDir, { recursive: true, force: true });
}

console.log(`browser check: ${passed} passed, ${failed} failed`);
process.exit(failed === 0 && passed > 0 ? 0 : 1);
