// The status page's part of the web benchmark (bench/README.md), run by WebBenchmark with playwright-core and
// Debian's Chromium. Prints one JSON object: pageLoads and loginLoads (ms from navigation to the page ready),
// eventLatencies ({state, ms}: from each job event's time, the scheduler's decision, to the page receiving it).
//   CADRE_URL  CADRE_TOKEN  WORK_DIR  PAGE_LOADS (10)  EVENTS (50 jobs, 3 events each)
import { chromium } from 'playwright-core';

const url = process.env.CADRE_URL;
const token = process.env.CADRE_TOKEN;
const loads = Number(process.env.PAGE_LOADS || 10);
const jobs = Number(process.env.EVENTS || 50);
const WAIT = 120_000;

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
});

// A signed-in user opening the page: from navigation start to the job table's rows and the summary drawn.
async function signedInLoad() {
  const context = await browser.newContext();
  await context.addInitScript((t) => localStorage.setItem('cadre.token', t), token);
  const page = await context.newPage();
  await page.goto(url + '/#/jobs', { waitUntil: 'commit' });
  await page.waitForFunction(() => document.querySelectorAll('[data-testid=jobs] tbody tr[data-job-id]').length > 0
    && document.querySelector('[data-testid=summary-cores]'), null, { timeout: WAIT, polling: 'raf' });
  const ms = await page.evaluate(() => performance.now());
  return { context, page, ms };
}

async function loginLoad() {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(url + '/', { waitUntil: 'commit' });
  await page.waitForSelector('input[name=token]', { timeout: WAIT });
  const ms = await page.evaluate(() => performance.now());
  await context.close();
  return ms;
}

const pageLoads = [];
const loginLoads = [];
for (let i = 0; i < loads; i++) {
  const { context, ms } = await signedInLoad();
  pageLoads.push(ms);
  await context.close();
  loginLoads.push(await loginLoad());
}

// Events: the jobs view open and live, jobs submitted one after another over REST.
const { context, page } = await signedInLoad();
await page.waitForFunction(() => document.getElementById('live').textContent === 'live', null, { timeout: WAIT });
await page.evaluate(() => {
  window.__latencies = [];
  window.addEventListener('cadre-job', (e) => window.__latencies.push({ state: e.detail.state,
    ms: e.detail.receivedAt - Date.parse(e.detail.time) }));
});
// The first jobs after the head's start load the scheduling and launching code: uncounted, as the REST calls'.
const WARMUP = 5;
for (let i = 0; i < WARMUP + jobs; i++) {
  if (i === WARMUP) await page.evaluate(() => { window.__latencies = []; });
  const r = await fetch(url + '/api/jobs', { method: 'POST', headers: { Authorization: 'Bearer ' + token,
    'Content-Type': 'application/json' }, body: JSON.stringify({ spec: { name: 'bench-' + i, user: 'bench',
    workDir: process.env.WORK_DIR, script: '#!/bin/sh\ntrue\n' } }) });
  if (r.status !== 201) throw new Error('submit answered ' + r.status);
  // One job at a time: each waits for the previous one's end, so events are measured one by one, not queued.
  await page.waitForFunction((n) => window.__latencies.length >= 3 * n, i < WARMUP ? i + 1 : i + 1 - WARMUP,
    { timeout: WAIT });
}
const eventLatencies = await page.evaluate(() => window.__latencies);
await context.close();
await browser.close();
console.log(JSON.stringify({ pageLoads, loginLoads, eventLatencies }));
