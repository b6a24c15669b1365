// The graph explorer page in a real browser (Debian's Chromium driven by playwright-core), at 1280 and 390 pixels
// wide: connect with a key (kept in session storage, never in the URL), search a concept and see its neighbours
// drawn, expand one, run a recall and see what and why, search memories and forget one after confirming; axe-core
// finds no serious or critical accessibility violation. Screenshots go to OUT_DIR. Run by ExplorerPageTest with
// BASE_URL, API_KEY, OUT_DIR and CHROMIUM (the browser binary).
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';

const base = process.env.BASE_URL;
const key = process.env.API_KEY;
const out = process.env.OUT_DIR;
mkdirSync(out, { recursive: true });

async function api(method, path, body) {
  const response = await fetch(`${base}${path}`, { method, headers: { 'X-API-Key': key,
    'Content-Type': 'application/json' }, body: body && JSON.stringify(body) });
  return { status: response.status, data: await response.json() };
}

// What the page will show: PostgreSQL linked to the Billing Service, Apache Kafka, Grafana Dashboards and more (the
// extractor takes capitalised names), one link reinforced, and two memories to forget.
const turns = [
  ['We chose PostgreSQL for the Billing Service because of JSONB.', 'The Billing Service stores invoices in it.'],
  ['The Billing Service publishes events to Apache Kafka and PostgreSQL.', 'Noted.'],
  ['The Billing Service publishes events to Apache Kafka and PostgreSQL.', 'Noted again.'],
  ['Our Grafana Dashboards watch PostgreSQL Replication Lag.', 'Alerts fire when it grows.'],
  ['We use Kubernetes and Redis with PostgreSQL.', 'Understood.'],
];
for (const [user_message, ai_response] of turns) {
  assert.equal((await api('POST', '/v1/learn', { user_message, ai_response, session_id: 'ui' })).status, 200);
}
const forgettable = [];
for (const width of [1280, 390]) {
  const learnt = await api('POST', '/v1/learn', { user_message: `Forget me later, zebra note ${width}.`,
    ai_response: `Zebra note ${width} recorded.`, session_id: 'ui' });
  forgettable.push(learnt.data.memory_id);
}

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM, headless: true,
  args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync',
    '--no-first-run'] });

async function axe(page, label) {
  const result = await new AxeBuilder({ page }).analyze();
  const serious = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  assert.deepEqual(serious.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join('; ')})`), [],
    `${label}: axe-core found serious accessibility violations`);
  return result.violations.length;
}

try {
  for (const [index, width] of [1280, 390].entries()) {
    const context = await browser.newContext({ viewport: { width, height: width > 800 ? 900 : 844 } });
    context.setDefaultTimeout(90_000); // generous: CI machines may be shared and loaded
    const page = await context.newPage();
    const urls = [];
    page.on('request', (request) => urls.push(request.url()));
    const pageErrors = [];
    page.on('pageerror', (e) => pageErrors.push(String(e)));
    const shot = (name) => page.screenshot({ path: `${out}/explorer-${width}-${name}.png`, fullPage: true });

    // A wrong key is refused and the page says so.
    await page.goto(`${base}/ui/`);
    await page.fill('#key', 'cm_wrongwrongwrong_secret');
    await page.click('#login-form button[type=submit]');
    await page.waitForFunction(() => document.getElementById('status').textContent.includes('refused'));
    assert.equal(await page.isVisible('#app'), false, `${width}: a wrong key does not open the page`);
    await axe(page, `${width} login`);
    await shot('login');

    await page.fill('#key', key);
    await page.click('#login-form button[type=submit]');
    await page.waitForSelector('#app', { state: 'visible' });
    assert.equal(await page.evaluate(() => sessionStorage.getItem('continuum.apiKey')), key, 'key in session storage');
    await page.waitForFunction(() => /Memories/.test(document.getElementById('stats').textContent)
      && Number(document.querySelectorAll('#stats dd')[2].textContent) >= 3);
    assert.match(await page.textContent('#head'), /[0-9a-f]{16}… \(\d+ writes\)/, `${width}: continuity head shown`);

    // Entered once: a reload keeps the session.
    await page.reload();
    await page.waitForSelector('#app', { state: 'visible' });

    // A concept and its neighbours, drawn; a neighbour expanded.
    await page.fill('#concept', 'postgresql');
    await page.click('#concept-form button[type=submit]');
    await page.waitForFunction(() => Number(document.getElementById('graph').dataset.nodes) >= 3);
    const neighbours = await page.$$eval('#neighbours tr td:first-child', (cells) => cells.map((c) => c.textContent));
    assert.ok(neighbours.some((n) => /billing service/i.test(n)), `${width}: neighbours ${neighbours}`);
    const before = Number(await page.getAttribute('#graph', 'data-nodes'));
    await page.click('#neighbours button.link >> text=/apache kafka/i');
    // Wait for the expansion itself: the node count alone may already hold before the click is answered.
    await page.waitForFunction(() => /Kafka/i.test(document.getElementById('graph').getAttribute('aria-label')));
    assert.ok(Number(await page.getAttribute('#graph', 'data-nodes')) >= before, `${width}: expanding keeps the nodes`);
    await page.locator('#graph').scrollIntoViewIfNeeded();
    await shot('graph');

    // Recall: what it returns and why, then the recall drawn with activation colours.
    await page.fill('#message', 'Which database does the Billing Service use?');
    await page.click('#recall-form button[type=submit]');
    await page.waitForSelector('#recall-result', { state: 'visible' });
    assert.match(await page.textContent('#context'), /PostgreSQL/, `${width}: the context names PostgreSQL`);
    assert.ok((await page.$$('#recall-concepts li')).length >= 2, `${width}: recall explains its concepts`);
    assert.match(await page.textContent('#recall-concepts'), /relevance \d/);
    await page.click('#recall-graph');
    await page.waitForFunction(() => Number(document.getElementById('graph').dataset.edges) >= 1);
    await page.locator('#recall-title').scrollIntoViewIfNeeded();
    await shot('recall');

    // Memories: search, forget one after confirming; a dismissed confirmation forgets nothing.
    const id = forgettable[index];
    await page.fill('#keyword', `zebra note ${width}`);
    await page.click('#memories-form button[type=submit]');
    await page.waitForSelector(`#memories li[data-id="${id}"]`);
    page.once('dialog', (dialog) => dialog.dismiss());
    await page.click(`#memories li[data-id="${id}"] button`);
    assert.equal((await api('GET', `/v1/memories/${id}`)).status, 200, `${width}: dismissing forgets nothing`);
    page.once('dialog', (dialog) => {
      assert.match(dialog.message(), /Forget memory/);
      dialog.accept();
    });
    await page.click(`#memories li[data-id="${id}"] button`);
    await page.waitForSelector(`#memories li[data-id="${id}"]`, { state: 'detached' });
    assert.equal((await api('GET', `/v1/memories/${id}`)).status, 404, `${width}: the memory is forgotten`);
    await page.fill('#keyword', '');
    await page.click('#memories-form button[type=submit]');
    await page.waitForSelector('#memories li');

    // Live events: the forget just made, and a learn made through the API, appear in the panel as they happen.
    await page.waitForSelector(`#events li[data-type="memory_forgotten"] >> text=/#${id}\\b/`);
    const live = await api('POST', '/v1/learn', { user_message: `Live event check ${width}: we adopted Grafana Tempo.`,
      ai_response: `Noted: Grafana Tempo holds the traces (${width}).`, session_id: `live-${width}` });
    assert.equal(live.status, 200);
    const added = `#events li[data-type="memory_added"] >> text=/#${live.data.memory_id}\\b/`;
    await page.waitForSelector(added);
    assert.match(await page.textContent(added), new RegExp(`live-${width}`), `${width}: the event names its session`);
    assert.equal(await page.getAttribute('#events-state', 'data-live'), 'true', `${width}: the stream is live`);
    await page.locator('#events-title').scrollIntoViewIfNeeded();
    await shot('events');

    const violations = await axe(page, `${width} explorer`);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `${width}: the page fits the width (overflows by ${overflow} px)`);
    await shot('full');
    assert.ok(urls.every((u) => !u.includes(key) && u.startsWith(base)),
      `${width}: the key never appears in a URL and nothing leaves the origin: ${urls.filter((u) => !u.startsWith(base))}`);
    assert.deepEqual(pageErrors, [], `${width}: no script errors`);
    console.log(`ui-explorer: ${width}px passed (${violations} minor axe findings)`);
    await context.close();
  }
} finally {
  await browser.close();
}
console.log('ui-explorer: all checks passed');
