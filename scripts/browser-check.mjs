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

// A site administrator for the signed-in pages, made as a newcomer would (README).
const adminEmail = 'browser-check@example.org';
const adminPassword = 'harbour lantern otter compass';
execFileSync(bin, ['user', 'add', '--admin', '--email', adminEmail, '--name', 'Browser Check', '--password-stdin'],
  { env, input: `${adminPassword}\n`, stdio: ['pipe', 'ignore', 'inherit'] });

const server = spawn(bin, ['serve', '--addr', '127.0.0.1:0'], { env, stdio: ['ignore', 'pipe', 'inherit'] });
process.on('exit', () => server.kill('SIGTERM'));
const base = await new Promise((resolve, reject) => {
  const timer = setTimeout(() => reject(new Error('Cradle did not print its URL within 30 s')), 30_000);
  createInterface({ input: server.stdout }).on('line', (line) => {
    const match = line.match(/http:\/\/\S+?(?=\/?\s|\/?$)/);
    if (match) { clearTimeout(timer); resolve(match[0].replace(/\/$/, '')); }
  });
  server.on('exit', (code) => reject(new Error(`Cradle exited early with ${code}`)));
});

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
         '--disable-component-update', '--disable-sync'],
});

// The newcomer's journey through the real pages: the administrator signs in, creates a
// partnership and invites a colleague, who accepts and sees only what a contributor may.
const viewport = { viewport: { width: 1280, height: 900 } };
const adminContext = await browser.newContext(viewport);
const journeyProblems = [];
const expect = (condition, message) => { if (!condition) journeyProblems.push(message); };
// Axe violations on a page reached in a journey (a state the inventory cannot reach).
const axeProblems = async (page) => {
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'])
    .analyze();
  return results.violations.map((violation) => `axe ${violation.id} on ${page.url()}: ${violation.help}`);
};
let partnershipUrl = '';
{
  const page = await adminContext.newPage();
  await page.goto(`${base}/sign-in`);
  await page.fill('#email', adminEmail);
  await page.fill('#password', adminPassword);
  await page.click('button:has-text("Sign in")');
  // A facilitator's first hour: an ended area is refused with its successors named, then the
  // areas are found by name (Hartlepool) or typed as a code, and a reload of the new
  // partnership's page makes no second partnership.
  await page.goto(`${base}/partnerships/new`);
  await page.fill('#name', 'Browser Check Partnership');
  await page.check('#nation');
  await page.fill('#areas', 'E10000006');
  await page.click('button:has-text("Create partnership")');
  expect((await page.textContent('.govuk-error-summary'))?.includes('use E06000063 Cumberland and E06000064 Westmorland and Furness'),
    'an ended area is not refused with its successors');
  await page.fill('#areas', 'E06000004');
  await page.fill('#area-finder', 'Hartlep');
  await page.click('#area-finder__listbox li:has-text("Hartlepool (E06000001)")');
  const typedAreas = await page.inputValue('#areas');
  expect(typedAreas.includes('Hartlepool (E06000001)'), `choosing Hartlepool by name gave areas ${typedAreas}`);
  await page.fill('#description', 'Made by the browser check.');
  await page.click('button:has-text("Create partnership")');
  const before = (await (await page.request.get(`${base}/partnerships`)).text()).split('Browser Check Partnership').length;
  await page.reload();
  const after = (await (await page.request.get(`${base}/partnerships`)).text()).split('Browser Check Partnership').length;
  expect(before === after, 'reloading after creating a partnership made another');
  expect(/\/partnerships\/[0-9a-f]{32}$/.test(page.url()), `creating a partnership led to ${page.url()}`);
  partnershipUrl = page.url();
  // Figures for the pages that show them, imported as a person would: the browser check
  // then sees the need estimate and the local indicators with data, not empty.
  const fixtures = join(process.cwd(), 'crates/readers/tests/fixtures');
  await page.goto(`${base}/admin/geography`);
  await page.setInputFiles('#file', join(fixtures, 'lad19-to-ctry19.csv'));
  await page.click('button:has-text("Import file")');
  expect((await page.textContent('main'))?.includes('lad19-to-ctry19.csv'), 'the geography lookup was not imported');
  for (const [path, file, landing, shown] of [
    ['population', 'nomis-mid2023.csv', 'need', 'The larger areas they belong to'],
    ['indicators/files', 'fingertips-tees.csv', 'indicators', 'Low birth weight of term babies'],
  ]) {
    await page.goto(`${partnershipUrl}/${path}`);
    await page.setInputFiles('#file', join(fixtures, file));
    await page.click('button:has-text("Import file")');
    expect(page.url() === `${partnershipUrl}/${landing}`, `importing ${file} led to ${page.url()}`);
    expect((await page.textContent('main'))?.includes(shown), `after importing ${file} the page does not show ${shown}`);
  }
  await page.goto(partnershipUrl);
  await page.click('a:has-text("Invite people")');
  await page.fill('#email', 'colleague@example.org');
  await page.selectOption('#role', 'contributor');
  await page.click('button:has-text("Make an invitation link")');
  const link = (await page.textContent('#invitation-link'))?.trim() ?? '';
  expect(link.includes('/invitations/'), `no invitation link shown: ${link}`);
  await page.close();

  const colleague = await browser.newContext(viewport);
  const invited = await colleague.newPage();
  await invited.goto(link);
  await invited.fill('#display_name', 'Cam Colleague');
  await invited.fill('#password', 'velvet compass harbour kettle');
  await invited.fill('#confirm_password', 'velvet compass harbour kettle');
  await invited.click('button:has-text("Create account and join")');
  expect(invited.url() === partnershipUrl, `accepting led to ${invited.url()}, not ${partnershipUrl}`);
  expect((await invited.textContent('main'))?.includes('Your role: Contributor'), 'the colleague does not see their role');
  const audit = await invited.goto(`${partnershipUrl}/audit`);
  expect(audit.status() === 403, `a contributor got ${audit.status()} for the audit log`);
  await colleague.close();
}

// An analyst chooses tools from the catalogue, then reads the estimate of need from the
// imported population figures, with its ranges and sources.
{
  const page = await adminContext.newPage();
  await page.goto(`${base}/toolkit/measures`);
  await page.fill('#age', '9');
  await page.check('input[name="purpose"][value="screening"]');
  await page.click('button:has-text("Apply filters")');
  expect(page.url().includes('age=9') && page.url().includes('purpose=screening'),
    `filtering did not put the filters in the address: ${page.url()}`);
  const count = (await page.textContent('#results-count')) ?? '';
  const tools = page.locator('input[name="ids"]');
  expect(await tools.count() >= 3, `fewer than three screening tools for a 9-month-old: ${count}`);
  const chosen = [];
  for (let n = 0; n < 3 && n < await tools.count(); n += 1) {
    await tools.nth(n).check();
    chosen.push(await tools.nth(n).getAttribute('value'));
  }
  await page.click('button:has-text("Compare selected tools")');
  expect(chosen.every((id) => page.url().includes(id)), `the comparison address lacks a chosen tool: ${page.url()}`);
  const columns = await page.locator('thead th[scope="col"]').count();
  expect(columns === 3, `the comparison has ${columns} tool columns, not three`);

  // The newcomer's journey imported the population file.
  await page.goto(`${partnershipUrl}/need`);
  const need = (await page.textContent('main')) ?? '';
  expect(need.includes('Hartlepool'), 'the need page does not show the imported area');
  expect(need.includes('Sources:'), 'the need page does not cite its sources');
  const ranges = await page.locator('thead th').allTextContents();
  expect(['Low', 'Central', 'High'].every((label) => ranges.includes(label)),
    `the need page's tables have no low, central and high columns: ${ranges.join(', ')}`);
  journeyProblems.push(...await axeProblems(page));
  await page.close();
}

// The local system's journey: the administrator opens a self-assessment round and rates
// it, writes a scenario and walks through a national one, so that the pages of a round, a
// scenario and a walk-through are in the inventory below.
{
  const page = await adminContext.newPage();
  await page.goto(`${partnershipUrl}/self-assessment/new`);
  await page.fill('#title', 'Browser check round');
  await page.click('button:has-text("Open round")');
  const roundUrl = page.url();
  expect(/\/self-assessment\/[0-9a-f]{32}$/.test(roundUrl), `opening a round led to ${roundUrl}`);
  await page.click('a:has-text("Give or change your rating")');
  await page.check('#sector');
  for (const radio of await page.locator('input[type=radio][value=developing]').all()) await radio.check();
  await page.click('button:has-text("Save my answers")');
  expect((await page.textContent('main'))?.includes('Your answers are saved'), 'rating the round did not say it was saved');
  expect((await page.textContent('#results-withheld'))?.includes('at least 3 raters'), 'one rater saw results');
  await page.goto(`${partnershipUrl}/scenarios/new`);
  await page.fill('#title', 'A browser check scenario');
  await page.selectOption('#age', '1-2y');
  await page.selectOption('#need', 'targeted');
  await page.fill('#situation', 'An invented situation for the browser check.');
  await page.click('button:has-text("Save and walk through it")');
  await page.fill('#who_would_notice', 'The health visitor');
  await page.fill('#gaps', 'No evening support');
  await page.click('button:has-text("Save walk-through")');
  expect(/\/walk-throughs\/[0-9a-f]{32}$/.test(page.url()), `saving a walk-through led to ${page.url()}`);
  await page.goto(`${partnershipUrl}/gaps`);
  expect((await page.textContent('main'))?.includes('No evening support'), 'the gap register misses the walk-through gap');
  await page.click('a:has-text("Add an action")');
  journeyProblems.push(...await axeProblems(page));
  await page.fill('#owner', 'Family hub lead');
  await page.click('button:has-text("Add to the action log")');
  expect((await page.textContent('main'))?.includes('Open: Close the gap: No evening support'),
    'the gap register does not show the action taken on the gap');
  await page.close();
}

// A whole workshop: the facilitator builds it from a template and starts it; three
// participants (their own browser contexts, no accounts) join by code, answer and vote; the
// presenter view shows the answers and totals as they arrive (no reload); the facilitator
// records an action and the record page shows everything.
{
  const facilitator = await adminContext.newPage();
  await facilitator.goto(`${partnershipUrl}/workshops/new`);
  await facilitator.check('#template-socio-ecological-scenarios');
  await facilitator.click('button:has-text("Create workshop")');
  const workshopUrl = facilitator.url();
  const code = ((await facilitator.textContent('#join-code')) ?? '').trim();
  expect(/^[A-Z2-9]{6}$/.test(code), `no join code shown: ${code}`);
  await facilitator.click('button:has-text("Start the workshop")');
  const presenter = await adminContext.newPage();
  await presenter.goto(`${workshopUrl}/present`);
  journeyProblems.push(...await axeProblems(presenter));

  const people = [];
  for (const [n, note] of [[1, 'Health visitor notices first'], [2, 'Nursery staff see the toddler'], [3, 'GP sees the mother']]) {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    await page.goto(`${base}/join`);
    await page.fill('#code', code.toLowerCase());
    await page.click('button:has-text("Continue")');
    if (n === 1) await page.fill('#display_name', 'Sam');
    await page.click('button:has-text("Join the workshop")');
    expect(page.url().endsWith(`/w/${code}`), `joining led to ${page.url()}`);
    await page.fill('#note', note);
    await page.click('button:has-text("Send note")');
    if (n === 1) journeyProblems.push(...await axeProblems(page));
    people.push({ context, page });
  }
  for (const note of ['Health visitor notices first', 'Nursery staff see the toddler', 'GP sees the mother']) {
    try {
      await presenter.waitForSelector(`text=${note}`, { timeout: 10_000 });
    } catch {
      journeyProblems.push(`the presenter view did not show "${note}" without a reload`);
    }
  }
  // The projector screen at a projector's sizes: the question, the first answers and the
  // join code all in the first screen, with no scrolling (element positions checked).
  for (const size of [{ width: 1280, height: 720 }, { width: 1920, height: 1080 }]) {
    const context = await browser.newContext({ viewport: size, storageState: await adminContext.storageState() });
    const screen = await context.newPage();
    await screen.goto(`${workshopUrl}/screen`);
    for (const [what, selector] of [['question', 'h1'], ['first answer', '.cradle-note'], ['join code', '.cradle-screen__code'], ['QR code', '.cradle-screen__qr']]) {
      const box = await screen.locator(selector).first().boundingBox();
      expect(box && box.y >= 0 && box.y + box.height <= size.height,
        `at ${size.width}×${size.height} the screen's ${what} is not in view (${JSON.stringify(box)})`);
    }
    if (size.width === 1280) journeyProblems.push(...await axeProblems(screen));
    await context.close();
  }
  // On to the dot-vote on notes (item 5): each posts an idea, then votes.
  for (let step = 0; step < 4; step += 1) {
    await facilitator.click('button:has-text("Next item")');
  }
  for (const [n, { page }] of people.entries()) {
    await page.goto(`${base}/w/${code}`);
    await page.fill('#note', `Idea ${n + 1}`);
    await page.click('button:has-text("Send note")');
  }
  for (const { page } of people) {
    await page.goto(`${base}/w/${code}`);
    await page.click('button:has-text("Vote for ‘Idea 1’")');
  }
  try {
    await presenter.waitForSelector('text=3 votes', { timeout: 10_000 });
  } catch {
    journeyProblems.push('the presenter view did not show the vote total without a reload');
  }
  journeyProblems.push(...await axeProblems(presenter));
  await facilitator.goto(`${workshopUrl}/record`);
  await facilitator.fill('#what', 'Agree a shared referral route');
  await facilitator.fill('#owner', 'Family hub lead');
  await facilitator.click('button:has-text("Add action")');
  const record = (await facilitator.textContent('main')) ?? '';
  for (const text of ['GP sees the mother', 'Idea 1', 'Agree a shared referral route', 'Family hub lead']) {
    expect(record.includes(text), `the record page lacks "${text}"`);
  }
  for (const { context } of people) await context.close();
  await presenter.close();
  await facilitator.close();
}
// The service map by import (a good file, then a bad one that changes nothing), and a
// self-assessment round rated through its link by four people who disagree.
{
  const page = await adminContext.newPage();
  const fixtures = 'crates/readers/tests/fixtures';
  await page.goto(`${partnershipUrl}/services`);
  await page.setInputFiles('#file', join(fixtures, 'services_good.csv'));
  await page.click('button:has-text("Import file")');
  expect((await page.textContent('main'))?.includes('Health visiting'), 'importing the good service file listed no services');
  // The map as it stands, without the success banner the import left.
  await page.goto(`${partnershipUrl}/services`);
  const servicesBefore = (await page.textContent('main')) ?? '';
  await page.setInputFiles('#file', join(fixtures, 'services_bad.csv'));
  await page.click('button:has-text("Import file")');
  const report = (await page.textContent('main')) ?? '';
  for (const row of ['Row 3, column "tier"', 'Row 4, column "age_bands"', 'Row 4, column "capacity_families_per_year"', 'Row 5, column "key"']) {
    expect(report.includes(row), `the bad import's report does not name ${row}`);
  }
  journeyProblems.push(...await axeProblems(page));
  await page.goto(`${partnershipUrl}/services`);
  expect((await page.textContent('main')) === servicesBefore, 'the bad import changed the service map');
  await page.goto(`${partnershipUrl}/services/coverage`);
  expect((await page.locator('table').count()) >= 2, 'the coverage page shows no matrices');
  // A service added with the smallest form (no key, no levels); reloading the map it
  // leads to adds nothing.
  await page.goto(`${partnershipUrl}/services/new`);
  await page.fill('#name', 'Browser check baby group');
  await page.fill('#provider', 'Browser check council');
  await page.selectOption('#sector', 'health');
  await page.check('#tier');
  await page.check('#age_bands');
  await page.click('button:has-text("Add service")');
  try {
    await page.waitForURL(`${partnershipUrl}/services`, { timeout: 10_000 });
    await page.reload();
  } catch {
    journeyProblems.push(`the smallest service form led to ${page.url()}`);
  }
  const copies = ((await page.textContent('main')) ?? '').split('Browser check baby group').length - 1;
  expect(copies === 1, `the service added by hand is listed ${copies} times after a reload`);

  await page.goto(`${partnershipUrl}/self-assessment/new`);
  await page.fill('#title', 'Four raters by link');
  await page.check('#scope-link');
  await page.click('button:has-text("Open round")');
  const rateLink = ((await page.textContent('#round-link')) ?? '').trim();
  const roundPath = await page.locator('a:has-text("Go to the round")').getAttribute('href');
  for (const level of ['emerging', 'embedded', 'emerging', 'embedded']) {
    const context = await browser.newContext(viewport);
    const rater = await context.newPage();
    await rater.goto(rateLink);
    await rater.check('#sector');
    for (const radio of await rater.locator(`input[type=radio][value=${level}]`).all()) await radio.check();
    await rater.click('button:has-text("Save my answers")');
    expect(/your answers are saved/i.test((await rater.textContent('main')) ?? ''), `a rater by link (${level}) was not told their answers were saved`);
    await context.close();
  }
  await page.goto(base + roundPath);
  expect((await page.locator('#divergence').count()) === 1, 'four raters split between the extremes, but no divergence is flagged');
  journeyProblems.push(...await axeProblems(page));
  await page.close();
}

// Reports: the facilitator defines a pack with the sections in an order of their own,
// makes it from everything gathered above, and downloads each format; the demo partnership
// already has a pack made, which a visitor downloads without signing in.
{
  const page = await adminContext.newPage();
  await page.goto(`${partnershipUrl}/reports/packs/new`);
  await page.fill('#name', 'Browser check pack');
  await page.fill('#title', 'Browser check <report> & #1');
  await page.uncheck('#section-glossary');
  await page.fill('#position-actions', '1');
  await page.fill('#position-summary', '2');
  await page.click('button:has-text("Save the pack")');
  expect(page.url().endsWith('/reports'), `saving a pack led to ${page.url()}`);
  await page.click('button:has-text("Make this pack")');
  expect(/\/reports\/[0-9a-f]{32}$/.test(page.url()), `making a pack led to ${page.url()}`);
  const contents = (await page.locator('main ol').first().textContent()) ?? '';
  expect(contents.trim().startsWith('Action plan'), `the pack's contents do not start with the action plan: ${contents.slice(0, 80)}`);
  expect(!contents.includes('Glossary'), 'an unticked section was made');
  journeyProblems.push(...await axeProblems(page));
  const downloads = [
    ['pdf', 'application/pdf', '%PDF'],
    ['docx', 'wordprocessingml', 'PK'],
    ['xlsx', 'spreadsheetml', 'PK'],
    ['slides', 'application/zip', 'PK'],
  ];
  const checkDownloads = async (request, snapshotUrl, who) => {
    for (const [file, type, magic] of downloads) {
      const response = await request.get(`${snapshotUrl}/files/${file}`);
      const body = await response.body();
      expect(response.status() === 200 && (response.headers()['content-type'] ?? '').includes(type)
        && body.subarray(0, magic.length).toString('latin1') === magic && body.length > 1000,
        `${who} could not download the ${file} (${response.status()}, ${body.length} bytes)`);
    }
  };
  await checkDownloads(page.request, page.url(), 'the facilitator');
  await page.close();

  const visitorContext = await browser.newContext(viewport);
  const visitor = await visitorContext.newPage();
  await visitor.goto(base + '/partnerships');
  await visitor.click('a:has-text("demo partnership")');
  await visitor.click('a:has-text("Reports")');
  const made = visitor.locator('main ul a.govuk-link.govuk-\\!-font-weight-bold').first();
  expect((await made.count()) === 1, 'the demo partnership has no pack made');
  if ((await made.count()) === 1) {
    await made.click();
    await checkDownloads(visitor.request, visitor.url(), 'a visitor to the demo');
  }
  await visitorContext.close();
}

const pages = JSON.parse(execFileSync(bin, ['pages'], { env, encoding: 'utf8' }));
// The README's pictures: real pages of the demo at a laptop's size, taken again by every run so
// that they show Cradle as it is.
{
  const demoNeed = pages.find((p) => !p.signed_in && /^\/partnerships\/[^/]+\/need$/.test(p.path));
  const readmeShots = [['/', 'home']];
  if (demoNeed) {
    const demo = demoNeed.path.replace(/\/need$/, '');
    readmeShots.push([demoNeed.path, 'demo-need'], [`${demo}/services/coverage`, 'demo-coverage']);
  } else {
    journeyProblems.push('the page list has no demo need page for the README screenshots');
  }
  mkdirSync('docs/screenshots', { recursive: true });
  const context = await browser.newContext(viewport);
  const page = await context.newPage();
  for (const [path, name] of readmeShots) {
    await page.goto(base + path, { waitUntil: 'load' });
    // Tall enough to show the page's substance, not only its header.
    await page.screenshot({ path: join('docs/screenshots', `${name}.png`), fullPage: true, clip: { x: 0, y: 0, width: 1280, height: 1500 } });
  }
  await context.close();
}

let passed = 0;
let failed = 0;
// Pages are checked a few at a time: axe takes most of the time, and it runs in the page.
const workers = Number(process.env.BROWSER_CHECK_WORKERS || 4);
try {
  const visitorContext = await browser.newContext(viewport);
  const queue = [...pages];
  const checkPage = async ({ path, title, status: expected, signed_in: signedIn }) => {
    const page = await (signedIn ? adminContext : visitorContext).newPage();
    const problems = [];
    page.on('console', (message) => { if (message.type() === 'error') problems.push(`console: ${message.text()}`); });
    page.on('pageerror', (error) => problems.push(`script error: ${error.message}`));
    const response = await page.goto(base + path, { waitUntil: 'load' });
    if (response.status() !== expected) problems.push(`HTTP status ${response.status()}, expected ${expected}`);
    const results = await new AxeBuilder({ page })
      .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'])
      .analyze();
    for (const violation of results.violations) {
      const where = violation.nodes.map((node) => node.target.join(' ')).slice(0, 5).join('; ');
      problems.push(`axe ${violation.id} (${violation.impact}): ${violation.help} at ${where}`);
    }
    // A page answered with an error status (404, 400) logs the failed load of its own
    // address; that is expected.
    const relevant = expected === 200 ? problems : problems.filter((p) => !p.includes(`status of ${expected}`));
    const slug = (path === '/' ? 'home' : path.replace(/^\//, '').replace(/[^a-z0-9]+/gi, '-')) + (signedIn ? '-signed-in' : '');
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

for (const problem of journeyProblems) console.log(`FAIL journey: ${problem}`);
console.log(`browser check: ${passed} passed, ${failed} failed`);
process.exit(failed === 0 && passed > 0 && journeyProblems.length === 0 ? 0 : 1);
