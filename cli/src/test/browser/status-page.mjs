// The status page in Debian's Chromium, driven by playwright-core, against a running Cadre.
// StatusPageBrowserIT starts 'cadre up' and runs this with:
//   CADRE_URL     the head's HTTP URL            CADRE_TOKEN   the REST token
//   WORK_DIR      an absolute directory for jobs SCREENSHOTS   where the screenshots go
//   CHROMIUM      the browser (default /usr/bin/chromium)
// Every wait has a deadline; nothing sleeps for a fixed time. Exits 1 naming the step that failed.
import { chromium } from 'playwright-core';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const url = required('CADRE_URL');
const token = required('CADRE_TOKEN');
const workDir = required('WORK_DIR');
const shots = required('SCREENSHOTS');
const WAIT = 60_000;
mkdirSync(shots, { recursive: true });

function required(name) {
  if (!process.env[name]) throw new Error(`${name} is not set`);
  return process.env[name];
}

let stepName = 'start';
function step(name) {
  stepName = name;
  console.log(`step: ${name}`);
}

function check(condition, message) {
  if (!condition) throw new Error(message);
}

async function shot(page, name) {
  await page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });
}

async function rest(method, path, body) {
  const r = await fetch(url + path, { method, headers: { Authorization: 'Bearer ' + token,
    'Content-Type': 'application/json' }, body: body ? JSON.stringify(body) : undefined });
  return { status: r.status, body: await r.json() };
}

// Records every state the job page's and the table's badges show, in order, as the DOM changes.
function recordStates() {
  window.__states = {};
  const note = (node) => {
    for (const b of node.querySelectorAll ? node.querySelectorAll('[data-testid=job-state], [data-testid=row-state]') : []) {
      const id = b.dataset.testid === 'job-state' ? location.hash.split('/')[2] : b.closest('tr')?.dataset.jobId;
      if (!id) continue;
      const seen = (window.__states[id] ||= []);
      if (seen[seen.length - 1] !== b.textContent) seen.push(b.textContent);
    }
  };
  new MutationObserver((records) => records.forEach((r) => note(r.target.parentNode || r.target)))
    .observe(document, { subtree: true, childList: true, characterData: true });
}

// Keeps every job event the page receives, as live.js hands them to the views.
function recordJobEvents() {
  window.__events = [];
  window.addEventListener('cadre-job', (ev) => window.__events.push(ev.detail));
}

// Keeps the path of every request the page makes with fetch, at the moment it asks.
function recordFetches() {
  const original = window.fetch;
  window.__fetched = [];
  window.fetch = (resource, options) => {
    window.__fetched.push(String(resource));
    return original.call(window, resource, options);
  };
}

// Keeps every EventSource the page opens, to see that signing out closes them.
function recordEventSources() {
  const Original = window.EventSource;
  window.__sources = [];
  window.EventSource = class extends Original {
    constructor(...args) {
      super(...args);
      window.__sources.push(this);
    }
  };
}

async function signIn(page) {
  await page.goto(url + '/');
  await page.waitForSelector('input[name=token]', { timeout: WAIT });
  await page.fill('input[name=token]', token);
  await page.click('button[type=submit]');
  await page.waitForSelector('[data-testid=jobs]', { timeout: WAIT });
  await page.waitForFunction(() => document.getElementById('live').textContent === 'live', null, { timeout: WAIT });
}

async function submitFromForm(page, fields) {
  await page.click('a[data-nav=submit]');
  await page.waitForSelector('form.submit', { timeout: WAIT });
  for (const [name, value] of Object.entries(fields)) {
    await page.fill(`form.submit [name=${name}]`, String(value));
  }
  await page.click('form.submit button[type=submit]');
  await page.waitForFunction(() => /^#\/jobs\/\d+$/.test(location.hash), null, { timeout: WAIT });
  return Number(await page.evaluate(() => location.hash.split('/')[2]));
}

async function jobState(page, state) {
  await page.waitForFunction((s) => document.querySelector('[data-testid=job-state]')?.textContent === s, state,
    { timeout: WAIT });
}

/** A job submitted held, and an array that waits on it: the array's tasks stay pending until it is released. */
async function arrayBehindHeldJob(user, gateName, arraySpec) {
  const gate = await rest('POST', '/api/jobs', { spec: { name: gateName, user, workDir, hold: 'user',
    script: '#!/bin/sh\ntrue\n' } });
  check(gate.status === 201, 'REST submit answered ' + gate.status);
  const array = await rest('POST', '/api/jobs', { spec: { user, workDir, ...arraySpec,
    dependency: 'afterok:' + gate.body.jobId } });
  check(array.status === 201, 'REST submit answered ' + array.status);
  return { gate: gate.body.jobId, array: array.body.jobId };
}

/** What the job page shows: its header's parts, the states of its history, and the states its badge has shown. */
function jobPage(page) {
  return page.evaluate(() => ({
    header: [...document.querySelector('main h2').childNodes].map((n) => n.textContent).filter(Boolean),
    history: [...document.querySelectorAll('[data-testid=timeline] li')].map((li) => li.dataset.state),
    shown: window.__states[location.hash.split('/')[2]],
  }));
}

/**
 * A tab of its own at hash, with the first tab's error watch and states, and the job events and reads it has; its
 * event stream is open, so it hears of whatever the test does next (the page has loaded before the stream opens).
 */
async function openTab(hash) {
  const tab = await browser.newPage();
  tab.on('pageerror', (e) => failures.push('page error: ' + e.message));
  await tab.addInitScript(recordStates);
  await tab.addInitScript(recordJobEvents);
  await tab.addInitScript(recordFetches);
  await tab.goto(url + '/' + hash);
  await tab.waitForFunction(() => document.getElementById('live').textContent === 'live', null, { timeout: WAIT });
  return tab;
}

/** A pending job's page in a tab of its own. */
async function openJobTab(id) {
  const tab = await openTab('#/jobs/' + id);
  await jobState(tab, 'PENDING');
  return tab;
}

/** The first job event tab has received with all of like's fields (recordJobEvents), waited for. */
async function eventSeen(tab, like) {
  const found = await tab.waitForFunction((l) => window.__events
    .find((e) => Object.entries(l).every(([k, v]) => e[k] === v)), like, { timeout: WAIT });
  return found.jsonValue();
}

/** Tells tab's page that it is hidden, or shown again, as switching tabs does. */
async function setHidden(tab, hidden) {
  await tab.evaluate((h) => {
    Object.defineProperty(document, 'hidden', { configurable: true, get: () => h });
    document.dispatchEvent(new Event('visibilitychange'));
  }, hidden);
  await tab.waitForFunction((h) => document.getElementById('live').textContent === (h ? 'paused' : 'live'), hidden,
    { timeout: WAIT });
}

function withDeadline(promise, what) {
  let timer;
  const late = new Promise((_, reject) => { timer = setTimeout(() => reject(new Error(`${what} within ${WAIT} ms`)), WAIT); });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

/**
 * Holds the table's reads of the job list until release: meanwhile only the live events change the table, which
 * its throttled reload (within a second of any event) would otherwise redraw from the list.
 */
async function holdTableReads(page) {
  const held = [];
  let holding = true;
  let asked;
  const firstRead = new Promise((resolve) => { asked = resolve; });
  const isList = (u) => u.pathname === '/api/jobs';
  const hold = (route) => {
    if (!holding || route.request().method() !== 'GET') return route.continue();
    held.push(route);
    asked();
  };
  await page.route(isList, hold);
  return {
    release: async () => {
      // The hold was in the way of a read: a matcher gone stale would make the step prove nothing.
      await withDeadline(firstRead, 'the table read the job list again');
      holding = false;
      await Promise.all(held.map((r) => r.continue()));
      await page.unroute(isList, hold);
    },
  };
}

const userDataDir = mkdtempSync(join(tmpdir(), 'cadre-chromium-'));
// As root Chromium needs --no-sandbox; the networking flags keep it from calling Google's services, which a
// closed network refuses. A fresh profile: nothing of an earlier run is reused.
const browser = await chromium.launchPersistentContext(userDataDir, {
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
  viewport: { width: 1280, height: 900 },
});
const failures = [];
const page = browser.pages()[0] || await browser.newPage();
page.on('pageerror', (e) => failures.push('page error: ' + e.message));
page.on('console', (m) => { if (m.type() === 'error') console.log('console error: ' + m.text()); });
await page.addInitScript(recordStates);
await page.addInitScript(recordEventSources);

try {
  step('the page asks for the token and refuses a wrong one');
  await page.goto(url + '/');
  await page.waitForSelector('input[name=token]', { timeout: WAIT });
  await shot(page, '01-login');
  await page.fill('input[name=token]', 'wrong-token');
  await page.click('button[type=submit]');
  await page.waitForFunction(() => document.querySelector('.login [role=alert]')?.textContent.includes('not accepted'),
    null, { timeout: WAIT });

  step('signing in with the token shows the jobs and a live connection');
  await signIn(page);
  await page.waitForSelector('[data-testid=summary-cores]', { timeout: WAIT });
  await page.waitForSelector('[data-testid=chart] svg', { timeout: WAIT });
  await page.evaluate(() => { window.__noReload = true; });
  await shot(page, '02-jobs');

  step('a job submitted from the form goes PENDING, RUNNING, COMPLETED without a reload');
  // Held back 8 s, so a loaded machine still draws PENDING before the job starts.
  const hello = await submitFromForm(page, { name: 'browser-hello', user: 'alice', workDir, startAfter: 8,
    script: '#!/bin/sh\necho "hello from the browser"\nsleep 2\necho done\n' });
  await jobState(page, 'COMPLETED');
  const states = await page.evaluate((id) => window.__states[id], String(hello));
  check(JSON.stringify(states) === JSON.stringify(['PENDING', 'RUNNING', 'COMPLETED']),
    `job ${hello} showed ${JSON.stringify(states)}`);
  check(await page.evaluate(() => window.__noReload === true), 'the page was reloaded');
  const timeline = await page.$$eval('[data-testid=timeline] li', (li) => li.map((l) => l.dataset.state));
  check(JSON.stringify(timeline) === JSON.stringify(['PENDING', 'RUNNING', 'COMPLETED']), 'timeline ' + timeline);
  // What the ended attempt used, as its node measured it: a CPU time and a peak memory.
  const used = await (await page.waitForFunction(() => {
    const cpu = document.querySelector('[data-testid=attempt-cpu]')?.textContent;
    const memory = document.querySelector('[data-testid=attempt-memory]')?.textContent;
    return cpu && memory ? [cpu, memory] : null;
  }, null, { timeout: WAIT })).jsonValue();
  check(/^\d+\.\ds$/.test(used[0]) && /^\d+\.\d MiB$/.test(used[1]), 'the attempt used ' + used);

  step('its output, followed live, is all there and the follow ends with the job');
  await page.waitForFunction(() => document.querySelector('[data-testid=output-status]')?.textContent
    .includes('ended: COMPLETED'), null, { timeout: WAIT });
  const output = await page.textContent('[data-testid=output]');
  check(output === 'hello from the browser\ndone\n', 'output was ' + JSON.stringify(output));
  await shot(page, '03-job-completed');

  step('a running job is cancelled with its button');
  const sleeper = await submitFromForm(page, { name: 'browser-sleeper', user: 'alice', workDir,
    script: '#!/bin/sh\necho sleeping\nexec sleep 300\n' });
  await jobState(page, 'RUNNING');
  await page.waitForFunction(() => document.querySelector('[data-testid=output]')?.textContent.includes('sleeping'),
    null, { timeout: WAIT });
  // What it uses now, read on its node while it runs and read again every 5 s (the first reading may come before
  // the script's process is there): a CPU time, the memory it holds, its address space, the bytes it read from and
  // wrote to storage, and its process (sleep).
  const now = await (await page.waitForFunction(() => {
    const row = document.querySelector('[data-testid=usage] tbody tr');
    const cells = row ? Object.fromEntries([...row.querySelectorAll('td')]
      .map((c) => [c.dataset.label, c.textContent])) : {};
    return Number(cells.Processes) >= 1 ? cells : null;
  }, null, { timeout: WAIT })).jsonValue();
  const mib = /^\d+\.\d MiB$/;
  check(/^\d+\.\ds$/.test(now['CPU time']) && mib.test(now['Memory now']) && now['Memory now'] !== '0.0 MiB'
    && mib.test(now['Virtual memory']) && now['Virtual memory'] !== '0.0 MiB' && mib.test(now['Disk read'])
    && mib.test(now['Disk written']) && now.Error === '', 'the running job uses ' + JSON.stringify(now));
  check((await page.textContent('[data-testid=usage-status]')).startsWith('attempt 1, read at'), 'no reading time');
  await shot(page, '04-running');
  await page.click('[data-testid=cancel]');
  await jobState(page, 'CANCELLED');
  await page.waitForSelector('[data-testid=usage-panel]', { state: 'hidden', timeout: WAIT });
  check(await page.evaluate(() => window.__noReload === true), 'the page was reloaded');
  await shot(page, '05-cancelled');

  step('a failure is shown with its exit code and stays until dismissed');
  const failing = await submitFromForm(page, { name: 'browser-fails', user: 'alice', workDir,
    script: '#!/bin/sh\necho about to fail >&2\nexit 3\n' });
  await jobState(page, 'FAILED');
  await page.waitForSelector(`#failures [data-failure="${failing}"]`, { timeout: WAIT });
  await page.waitForSelector('[data-testid=job-failure]', { timeout: WAIT });
  check((await page.textContent('[data-testid=job-failure]')).includes('exit code 3'), 'no exit code shown');
  await page.waitForFunction(() => document.querySelector('[data-testid=attempts]')?.textContent.includes('FAILED'),
    null, { timeout: WAIT });
  await page.click('a[data-nav=jobs]');
  await page.waitForSelector('[data-testid=jobs]', { timeout: WAIT });
  check(await page.$(`#failures [data-failure="${failing}"]`), 'the failure went away by itself');
  await shot(page, '06-failure');
  await page.click(`[data-dismiss="${failing}"]`);
  await page.waitForSelector(`#failures [data-failure="${failing}"]`, { state: 'detached', timeout: WAIT });
  await page.reload();
  await page.waitForSelector('[data-testid=jobs]', { timeout: WAIT });
  check(!(await page.$(`#failures [data-failure="${failing}"]`)), 'a dismissed failure came back');
  await page.evaluate(() => { window.__noReload = true; });

  step('holds, releases, and a part of an array joining its record again show in the table and on its pages as they happen');
  // The array waits on a held job, so its tasks stay pending however fast the machine is.
  const { gate: blocker, array } = await arrayBehindHeldJob('bob', 'blocker', { name: 'sweep', array: '0-3',
    script: '#!/bin/sh\ntrue\n' });
  const reasonShown = (id, reason) => page.waitForFunction(([i, r]) => document.querySelector(
    `tr[data-job-id="${i}"] .reason-cell`)?.textContent === r, [id, reason], { timeout: WAIT });
  await reasonShown(blocker, 'JobHeldUser');
  let acted = await rest('POST', `/api/jobs/${blocker}/hold`, { admin: true });
  check(acted.status === 200, 'hold answered ' + acted.status + ' ' + JSON.stringify(acted.body));
  await reasonShown(blocker, 'JobHeldAdmin');
  acted = await rest('POST', `/api/jobs/${array}/hold`, { tasks: '1-2' });
  check(acted.status === 200, 'task hold answered ' + acted.status + ' ' + JSON.stringify(acted.body));
  const part = await (await page.waitForFunction((array) => [...document.querySelectorAll('tr[data-job-id]')]
    .find((tr) => tr.dataset.jobId !== String(array) && tr.textContent.includes('sweep')
      && tr.querySelector('.reason-cell').textContent === 'JobHeldUser')?.dataset.jobId, array,
  { timeout: WAIT })).jsonValue();
  await shot(page, '06b-held-part');
  // The part's own page goes to the record its tasks join; the page of a task in it stays, showing that record.
  const partTab = await openJobTab(part);
  const taskTab = await openJobTab(`${array}_1`);
  const rowsNow = () => page.$$eval('tr[data-job-id]', (trs) => trs.map((tr) => [tr.dataset.jobId,
    tr.querySelector('[data-testid=row-state]').textContent, tr.querySelector('.reason-cell').textContent]));
  const rowsBefore = await rowsNow();
  let reads = await holdTableReads(page);
  acted = await rest('POST', `/api/jobs/${array}/release`, { tasks: '1-2' });
  check(acted.status === 200, 'task release answered ' + acted.status + ' ' + JSON.stringify(acted.body));
  await page.waitForSelector(`tr[data-job-id="${part}"]`, { state: 'detached', timeout: WAIT });
  const rowsLeft = JSON.stringify(rowsBefore.filter(([id]) => id !== String(part)));
  check(JSON.stringify(await rowsNow()) === rowsLeft, `rows ${JSON.stringify(await rowsNow())}, not ${rowsLeft}`);
  await reads.release();
  await page.waitForFunction((id) => document.querySelector(`tr[data-job-id="${id}"] a`)?.textContent === `${id}_[0-3]`,
    array, { timeout: WAIT });
  check(!(await page.$(`tr[data-job-id="${part}"]`)), `the row of part ${part} came back`);
  check((await rest('GET', `/api/jobs/${part}`)).status === 404, `part ${part} is still stored`);
  await partTab.waitForFunction((id) => location.hash === `#/jobs/${id}`
    && document.querySelector('main h2').firstChild?.textContent === `Job ${id}_[0-3]`, array, { timeout: WAIT });
  await jobState(partTab, 'PENDING');
  await taskTab.waitForFunction((id) => document.querySelector('main h2').firstChild?.textContent === `Job ${id}_[0-3]`,
    array, { timeout: WAIT });
  const taskShows = await jobPage(taskTab);
  check(await taskTab.evaluate(() => location.hash) === `#/jobs/${array}_1`, 'the task\'s page left the task');
  check(JSON.stringify(taskShows.shown) === '["PENDING"]' && JSON.stringify(taskShows.history) === '["PENDING"]',
    'the task\'s page showed ' + JSON.stringify(taskShows));
  await partTab.close();
  await taskTab.close();
  check(await page.evaluate(() => window.__noReload === true), 'the page was reloaded');

  step('tasks split off an array when they start show in the table as Slurm names them, from their events');
  reads = await holdTableReads(page);
  acted = await rest('POST', `/api/jobs/${blocker}/release`, { admin: true });
  check(acted.status === 200, 'release answered ' + acted.status + ' ' + JSON.stringify(acted.body));
  await page.waitForFunction((id) => document.querySelector(`tr[data-job-id="${id}"] [data-testid=row-state]`)
    ?.textContent === 'COMPLETED', blocker, { timeout: WAIT });
  // All tasks but the last, which keeps the array's record, start as records of their own.
  const taskIds = await (await page.waitForFunction((id) => {
    const rows = [...document.querySelectorAll('tr[data-job-id]')]
      .filter((tr) => tr.dataset.jobId !== String(id) && tr.textContent.includes('sweep'));
    return rows.length === 3 && rows.every((tr) => tr.querySelector('[data-testid=row-state]').textContent === 'COMPLETED')
      && rows.map((tr) => tr.querySelector('a').textContent).sort();
  }, array, { timeout: WAIT })).jsonValue();
  check(taskIds.every((t) => new RegExp(`^${array}_[0-3]$`).test(t)) && new Set(taskIds).size === 3,
    'the tasks\' rows say ' + taskIds);
  await reads.release();
  check(await page.evaluate(() => window.__noReload === true), 'the page was reloaded');

  step('the table shows a job submitted elsewhere, live, and filters and searches');
  const elsewhere = await rest('POST', '/api/jobs', { spec: { name: 'from-rest', user: 'bob', workDir,
    script: '#!/bin/sh\ntrue\n' } });
  check(elsewhere.status === 201, 'REST submit answered ' + elsewhere.status);
  await page.waitForFunction((id) => document.querySelector(`tr[data-job-id="${id}"] [data-testid=row-state]`)
    ?.textContent === 'COMPLETED', elsewhere.body.jobId, { timeout: WAIT });
  const rowStates = await page.evaluate((id) => window.__states[id], String(elsewhere.body.jobId));
  check(rowStates[0] === 'PENDING' && rowStates[rowStates.length - 1] === 'COMPLETED', 'row showed ' + rowStates);
  await page.fill('input[name=q]', 'browser-hello');
  await page.waitForFunction(() => document.querySelectorAll('[data-testid=jobs] tbody tr[data-job-id]').length === 1,
    null, { timeout: WAIT });
  check(await page.$(`tr[data-job-id="${hello}"]`), 'search did not find the job');
  await page.fill('input[name=q]', '');
  await page.selectOption('select[name=state]', 'CANCELLED');
  await page.waitForFunction((id) => {
    const rows = [...document.querySelectorAll('[data-testid=jobs] tbody tr[data-job-id]')];
    return rows.length === 1 && rows[0].dataset.jobId === String(id);
  }, sleeper, { timeout: WAIT });
  await shot(page, '07-filtered');

  step('the nodes view shows the node and what is allocated on it');
  const holder = await rest('POST', '/api/jobs', { spec: { name: 'holder', user: 'bob', workDir, cpusPerTask: 1,
    script: '#!/bin/sh\nexec sleep 300\n' } });
  await page.click('a[data-nav=nodes]');
  await page.waitForFunction(() => /^[1-9]\d* \/ \d+$/.test(document.querySelector('[data-testid=node-cores]')
    ?.textContent || ''), null, { timeout: WAIT });
  check(await page.$(`[data-testid=nodes] a[href="#/jobs/${holder.body.jobId}"]`), 'the running job is not listed');
  await shot(page, '08-nodes');
  await rest('POST', `/api/jobs/${holder.body.jobId}/cancel`, {});
  await page.waitForFunction(() => /^0 \//.test(document.querySelector('[data-testid=node-cores]')?.textContent),
    null, { timeout: WAIT });

  step('a task\'s page follows the task when it starts as a record of its own: state, history, output, end');
  // Two cores: tasks 0 and 1 start, and task 2 stays in the array's record. The array waits on a held job, so that
  // no event of the array's record, which the page would read again for, comes near the start of task 0.
  const { gate, array: tasksArray } = await arrayBehindHeldJob('alice', 'browser-gate', { name: 'browser-tasks',
    array: '0-2', script: '#!/bin/sh\necho "task $SLURM_ARRAY_TASK_ID"\nexec sleep 300\n' });
  await page.evaluate((id) => { location.hash = `#/jobs/${id}_0`; }, tasksArray);
  await page.waitForFunction((id) => document.querySelector('main h2')?.firstChild?.textContent === `Job ${id}_[0-2]`,
    tasksArray, { timeout: WAIT });
  await jobState(page, 'PENDING');
  // What it still waits on, as scontrol shows it, not the dependency it was given.
  await page.waitForFunction((want) => [...document.querySelectorAll('dl.facts dt')]
    .find((dt) => dt.textContent === 'Dependency')?.nextElementSibling?.textContent === want,
  `afterok:${gate}(unfulfilled)`, { timeout: WAIT });
  acted = await rest('POST', `/api/jobs/${gate}/release`, {});
  check(acted.status === 200, 'release answered ' + acted.status + ' ' + JSON.stringify(acted.body));
  await jobState(page, 'RUNNING');
  await page.waitForFunction(() => document.querySelector('[data-testid=output]')?.textContent === 'task 0\n', null,
    { timeout: WAIT });
  let shows = await jobPage(page);
  check(JSON.stringify(shows.header) === JSON.stringify([`Job ${tasksArray}_0`, 'browser-tasks', 'RUNNING', 'Cancel']),
    'the header says ' + JSON.stringify(shows.header));
  check(JSON.stringify(shows.history) === '["PENDING","RUNNING"]', 'the history says ' + shows.history);
  check(JSON.stringify(shows.shown) === '["PENDING","RUNNING"]', 'the badge showed ' + shows.shown);
  await shot(page, '08a-task-running');
  // Named: the history's CANCELLED says who, from the event, as sacct's "CANCELLED by".
  acted = await rest('POST', `/api/jobs/${tasksArray}/cancel`, { user: 'carol' });
  check(acted.status === 200, 'cancel answered ' + acted.status + ' ' + JSON.stringify(acted.body));
  await jobState(page, 'CANCELLED');
  shows = await jobPage(page);
  // COMPLETING while the node kills the script.
  const history = shows.history.filter((s) => s !== 'COMPLETING');
  check(JSON.stringify(history) === '["PENDING","RUNNING","CANCELLED"]', 'the history says ' + shows.history);
  const by = await page.textContent('[data-testid=timeline] li[data-state=CANCELLED] [data-testid=cancelled-by]');
  check(by === 'by carol', 'the CANCELLED step says ' + JSON.stringify(by));
  check(await page.evaluate(() => window.__noReload === true), 'the page was reloaded');

  step('the services view shows a service created elsewhere, live; its instance warns before a cancel; scale, delete');
  const svc = await rest('POST', '/api/services', { name: 'browser-svc', replicas: 1, template: { name: 'browser-svc',
    user: 'alice', workDir, script: '#!/bin/sh\nexec sleep 300\n' } });
  check(svc.status === 201, 'REST service create answered ' + svc.status);
  await page.click('a[data-nav=services]');
  await page.waitForFunction(() => document.querySelector('tr[data-service="browser-svc"] [data-testid=service-replicas]')
    ?.textContent === '1 / 1', null, { timeout: WAIT });
  const row = await page.$eval('tr[data-service="browser-svc"]', (r) => r.innerText);
  check(/ACTIVE/.test(row) && /0 \/ 10/.test(row), 'the service row says ' + row);
  await shot(page, '08d-services');
  const instances = (await rest('GET', '/api/jobs?q=browser-svc&state=RUNNING')).body;
  check(instances.length === 1, 'running instances: ' + JSON.stringify(instances));
  await page.evaluate((id) => { location.hash = '#/jobs/' + id; }, instances[0].id);
  await jobState(page, 'RUNNING');
  await page.waitForFunction(() => document.querySelector('[data-testid=service-of]')?.textContent === 'browser-svc',
    null, { timeout: WAIT });
  await page.click('[data-testid=cancel]');
  await page.waitForSelector('[data-testid=cancel-warning]', { timeout: WAIT });
  check((await page.textContent('[data-testid=cancel-warning]')).includes('starts a replacement'), 'no warning');
  check((await rest('GET', `/api/jobs/${instances[0].id}`)).body.state === 'RUNNING', 'cancelled before confirming');
  await shot(page, '08e-instance-cancel-warning');
  await page.click('[data-testid=confirm-cancel]');
  await jobState(page, 'CANCELLED');
  await page.click('[data-testid=service-of]');
  await page.waitForSelector('tr.picked[data-service="browser-svc"]', { timeout: WAIT });
  // The cancelled instance is replaced.
  await page.waitForFunction(() => document.querySelector('tr[data-service="browser-svc"] [data-testid=service-replicas]')
    ?.textContent === '1 / 1', null, { timeout: WAIT });
  const replaced = (await rest('GET', '/api/jobs?q=browser-svc&state=RUNNING')).body;
  check(replaced.length === 1 && replaced[0].id !== instances[0].id, 'after the cancel: ' + JSON.stringify(replaced));
  await page.fill('tr[data-service="browser-svc"] input[name=replicas]', '2');
  await page.click('tr[data-service="browser-svc"] [data-testid=scale]');
  await page.waitForFunction(() => document.querySelector('tr[data-service="browser-svc"] [data-testid=service-replicas]')
    ?.textContent === '2 / 2', null, { timeout: WAIT });
  await page.fill('tr[data-service="browser-svc"] input[name=replicas]', '-1');
  await page.click('tr[data-service="browser-svc"] [data-testid=scale]');
  await page.waitForFunction(() => document.querySelector('[data-testid=services-error] [role=alert]')?.textContent
    .includes('must be between 0 and'), null, { timeout: WAIT });
  check((await rest('GET', '/api/services')).body.find((s) => s.name === 'browser-svc')?.replicas === 2,
    'a refused scale changed the service');
  await shot(page, '08f-services-scaled');
  // A Delete whose request fails can be asked for again.
  await page.route('**/api/services/browser-svc', (r) => (r.request().method() === 'DELETE'
    ? r.fulfill({ status: 503, contentType: 'application/json', body: '{"error":"the scheduler is busy"}' })
    : r.continue()));
  await page.click('tr[data-service="browser-svc"] [data-testid=delete-service]');
  await page.click('tr[data-service="browser-svc"] [data-testid=delete-service]');
  await page.waitForFunction(() => {
    const b = document.querySelector('tr[data-service="browser-svc"] [data-testid=delete-service]');
    return b?.disabled === false && b?.textContent === 'Delete'
      && document.querySelector('[data-testid=services-error] [role=alert]') !== null;
  }, null, { timeout: WAIT });
  await page.unroute('**/api/services/browser-svc');
  await page.click('tr[data-service="browser-svc"] [data-testid=delete-service]');
  check((await rest('GET', '/api/services')).body.some((s) => s.name === 'browser-svc'), 'deleted on the first click');
  await page.click('tr[data-service="browser-svc"] [data-testid=delete-service]');
  await page.waitForSelector('tr[data-service="browser-svc"]', { state: 'detached', timeout: WAIT });
  check((await rest('GET', '/api/jobs?q=browser-svc&state=RUNNING,PENDING')).body.length === 0, 'instances remain');
  // A malformed address names no service, and the view still works.
  await page.evaluate(() => { location.hash = '#/services/%E0%A4%A'; });
  await page.waitForFunction(() => document.querySelector('[data-testid=services-info]')?.textContent
    .includes('does not exist'), null, { timeout: WAIT });
  check(await page.evaluate(() => window.__noReload === true), 'the page was reloaded');

  step('a job killed by a signal shows the signal, not "exit code 0", in its notice, banner and attempts');
  const killed = await rest('POST', '/api/jobs', { spec: { name: 'browser-killed', user: 'alice', workDir,
    script: '#!/bin/sh\nkill -9 $$\n' } });
  check(killed.status === 201, 'REST submit answered ' + killed.status);
  const killedId = killed.body.jobId;
  await page.waitForSelector(`#failures [data-failure="${killedId}"]`, { timeout: WAIT });
  const killedJob = (await rest('GET', `/api/jobs/${killedId}`)).body;
  check(killedJob.signal === 9 && killedJob.exitCode === 0, 'the API has ' + JSON.stringify(killedJob));
  const notice = await page.textContent(`#failures [data-failure="${killedId}"] p`);
  check(notice.includes('killed by signal 9 (SIGKILL)') && !notice.includes('exit code'), 'the notice says ' + notice);
  await page.click(`#failures [data-failure="${killedId}"] a`);
  await jobState(page, 'FAILED');
  await page.waitForFunction(() => document.querySelector('[data-testid=attempt-signal]')?.textContent === '9 (SIGKILL)',
    null, { timeout: WAIT });
  const banner = await page.textContent('[data-testid=job-failure] p');
  check(banner.includes('killed by signal 9 (SIGKILL)') && !banner.includes('exit code'), 'the banner says ' + banner);
  await shot(page, '08b-killed');

  step('many failures: the five newest notices, one line counting the others that opens the Failed filter, and Dismiss all');
  const failedIds = [killedId];
  for (let i = 0; i < 8; i++) {
    const r = await rest('POST', '/api/jobs', { spec: { name: `browser-many-${i}`, user: 'bob', workDir,
      script: '#!/bin/sh\nexit 1\n' } });
    check(r.status === 201, 'REST submit answered ' + r.status);
    failedIds.push(r.body.jobId);
  }
  await page.waitForFunction((n) => document.querySelector('[data-testid=show-failed]')?.textContent
    .startsWith(`${n} more failed`), failedIds.length - 5, { timeout: WAIT });
  const shownIds = await page.$$eval('#failures [data-failure]', (ns) => ns.map((n) => Number(n.dataset.failure)));
  check(shownIds.length === 5 && shownIds.every((id) => failedIds.includes(id)), 'notices shown: ' + shownIds);
  await shot(page, '08c-many-failures');
  await page.click('[data-testid=show-failed]');
  // Every failed job: these nine and the one dismissed before.
  await page.waitForFunction(() => {
    const rows = [...document.querySelectorAll('[data-testid=jobs] tbody tr[data-job-id]')];
    return location.hash === '#/jobs' && document.querySelector('select[name=state]')?.value === 'FAILED,TIMEOUT,NODE_FAIL,OUT_OF_MEMORY'
      && rows.length === 10 && rows.every((r) => r.querySelector('[data-testid=row-state]')?.textContent === 'FAILED');
  }, null, { timeout: WAIT });
  await page.click('[data-testid=dismiss-all]');
  await page.waitForFunction(() => !document.getElementById('failures').children.length, null, { timeout: WAIT });
  const remembered = await page.evaluate(() => JSON.parse(localStorage.getItem('cadre.dismissed')));
  check(failedIds.every((id) => remembered.includes(id)), `dismissed ${remembered}, failed ${failedIds}`);

  step('the chart draws cores in use and queue length');
  await page.waitForSelector('[data-testid=chart-util]', { state: 'attached', timeout: WAIT });
  await page.waitForSelector('[data-testid=chart-queue]', { state: 'attached', timeout: WAIT });

  step('at phone width nothing is wider than the screen');
  const phone = await browser.newPage();
  await phone.setViewportSize({ width: 390, height: 844 });
  await phone.goto(url + `/#/jobs`);
  await phone.waitForSelector('[data-testid=jobs]', { timeout: WAIT });
  const fits = () => document.documentElement.scrollWidth <= window.innerWidth;
  check(await phone.evaluate(fits), 'the jobs view is wider than the phone');
  await shot(phone, '09-phone-jobs');
  await phone.goto(url + `/#/jobs/${hello}`);
  await phone.waitForFunction(() => document.querySelector('[data-testid=output]')?.textContent.includes('done'),
    null, { timeout: WAIT });
  check(await phone.evaluate(fits), 'the job view is wider than the phone');
  await shot(phone, '10-phone-job');
  await phone.goto(url + `/#/services`);
  // No service is left, and an empty table has no height on a phone: the line saying so is waited for.
  await phone.waitForFunction(() => document.querySelector('[data-testid=services-info]')?.textContent
    .startsWith('No services'), null, { timeout: WAIT });
  check(await phone.evaluate(fits), 'the services view is wider than the phone');
  await phone.goto(url + `/#/submit`);
  await phone.waitForSelector('form.submit', { timeout: WAIT });
  check(await phone.evaluate(fits), 'the submit form is wider than the phone');
  await shot(phone, '11-phone-submit');

  step('signing out leaves nothing read with the token on screen and closes the streams');
  const lastFailure = await rest('POST', '/api/jobs', { spec: { name: 'browser-before-signout', user: 'alice', workDir,
    script: '#!/bin/sh\nexit 2\n' } });
  await page.click('a[data-nav=jobs]');
  await page.waitForSelector(`#failures [data-failure="${lastFailure.body.jobId}"]`, { timeout: WAIT });
  await page.waitForSelector('[data-testid=summary-cores]', { timeout: WAIT });
  await page.click('#logout');
  await page.waitForSelector('input[name=token]', { timeout: WAIT });
  const left = await page.evaluate(() => ({
    summary: document.getElementById('summary').hidden && !document.getElementById('summary').children.length,
    failures: document.getElementById('failures').children.length,
    live: document.getElementById('live').textContent,
    text: document.body.innerText,
    open: window.__sources.filter((s) => s.readyState !== EventSource.CLOSED).map((s) => s.url),
  }));
  check(left.summary, 'the cluster summary is still shown');
  check(left.failures === 0, `${left.failures} failure notices are still shown`);
  check(left.live === 'signed out', 'the badge says ' + left.live);
  check(!/browser-|from-rest|holder/.test(left.text), 'job names are still on screen: ' + left.text);
  check(left.open.length === 0, 'streams still open: ' + left.open);
  await shot(page, '12-signed-out');
  await page.fill('input[name=token]', token);
  await page.click('button[type=submit]');
  await page.waitForSelector('[data-testid=summary-cores]', { timeout: WAIT });
  await page.waitForFunction(() => document.getElementById('live').textContent === 'live', null, { timeout: WAIT });

  step('a job page read while its tab was hidden shows each state once when the events it missed come');
  const hiddenTab = await openTab('#/jobs');
  const heldJob = async (name) => {
    const r = await rest('POST', '/api/jobs', { spec: { name, user: 'bob', workDir, hold: 'user',
      script: '#!/bin/sh\ntrue\n' } });
    check(r.status === 201, 'REST submit answered ' + r.status);
    return r.body.jobId;
  };
  // An event seen first: the stream opened again goes on after it, bringing those missed meanwhile.
  const seenFirst = await heldJob('browser-seen');
  await eventSeen(hiddenTab, { jobId: seenFirst });
  await setHidden(hiddenTab, true);
  const missed = await heldJob('browser-missed');
  // Read while its creation (PENDING) is still to come: the reopened stream brings it after the history has it.
  await hiddenTab.evaluate((id) => { location.hash = '#/jobs/' + id; }, missed);
  await jobState(hiddenTab, 'PENDING');
  check(JSON.stringify((await jobPage(hiddenTab)).history) === '["PENDING"]', 'the history was not read first');
  check(!(await hiddenTab.evaluate((id) => window.__events.some((e) => e.jobId === id), missed)),
    'the hidden tab received the job\'s events');
  await setHidden(hiddenTab, false);
  await eventSeen(hiddenTab, { jobId: missed, previous: null, state: 'PENDING' });
  let tabShows = await jobPage(hiddenTab);
  check(JSON.stringify(tabShows.history) === '["PENDING"]', 'the history says ' + tabShows.history);
  await hiddenTab.close();
  for (const id of [seenFirst, missed]) await rest('POST', `/api/jobs/${id}/cancel`, {});

  step('a task\'s page shows what the record it moves to did while the read that found the task there was answered');
  // The pages' timers wait on the test's clock from here on, a throttled read again happening when the test lets
  // time run: the clock is every tab's, so these steps come last, and it is resumed after them.
  const { gate: moveGate, array: moveArray } = await arrayBehindHeldJob('alice', 'browser-move-gate', {
    name: 'browser-move', array: '0-1', script: '#!/bin/sh\nexec sleep 300\n' });
  const moveTab = await openJobTab(`${moveArray}_0`);
  await browser.clock.install();
  await browser.clock.pauseAt(Date.now() + 1000);
  // The first read that finds the task moved is answered as the server had it then, once its record's later
  // events have come: the page learns of them only from those events.
  let answered;
  const movedRead = new Promise((resolve) => { answered = resolve; });
  let heldOne = false;
  const isMoveTask = (u) => u.pathname === `/api/jobs/${moveArray}_0`;
  await moveTab.route(isMoveTask, async (route) => {
    const response = await route.fetch();
    const body = await response.json();
    if (heldOne || body.id === moveArray) return route.fulfill({ response });
    heldOne = true;
    answered({ route, response, body });
  });
  acted = await rest('POST', `/api/jobs/${moveGate}/release`, {});
  check(acted.status === 200, 'release answered ' + acted.status + ' ' + JSON.stringify(acted.body));
  // Both tasks start on the two cores: task 0 as a record of its own, task 1 in the array's, the last task's.
  const moved = await eventSeen(moveTab, { arrayJobId: moveArray, arrayTaskId: 0, state: 'RUNNING' });
  check(moved.jobId !== moveArray, 'task 0 started in the array\'s record');
  await eventSeen(moveTab, { jobId: moveArray, state: 'RUNNING' });
  await browser.clock.runFor(1000);
  const read = await withDeadline(movedRead, 'the task\'s page read the task again');
  check(read.body.id === moved.jobId && read.body.state === 'RUNNING', 'the read found ' + JSON.stringify(read.body));
  acted = await rest('POST', `/api/jobs/${moved.jobId}/cancel`, {});
  check(acted.status === 200, 'cancel answered ' + acted.status + ' ' + JSON.stringify(acted.body));
  await eventSeen(moveTab, { jobId: moved.jobId, state: 'CANCELLED' });
  await read.route.fulfill({ response: read.response });
  await moveTab.waitForFunction((id) => document.querySelector('main h2').firstChild?.textContent === `Job ${id}_0`,
    moveArray, { timeout: WAIT });
  // A read the page asks for again goes through.
  await browser.clock.runFor(1000);
  await jobState(moveTab, 'CANCELLED');
  tabShows = await jobPage(moveTab);
  check(JSON.stringify(tabShows.history.filter((s) => s !== 'COMPLETING')) === '["PENDING","RUNNING","CANCELLED"]',
    'the history says ' + tabShows.history);
  await moveTab.close();
  await rest('POST', `/api/jobs/${moveArray}/cancel`, {});

  step('a waiting task\'s page reads the task again for a new job, not for holds and releases of others');
  const { gate: quietGate, array: quietArray } = await arrayBehindHeldJob('bob', 'browser-quiet-gate', {
    name: 'browser-quiet', array: '0-1', script: '#!/bin/sh\ntrue\n' });
  const other = (await rest('POST', '/api/jobs', { spec: { name: 'browser-other', user: 'bob', workDir, hold: 'user',
    script: '#!/bin/sh\ntrue\n' } })).body.jobId;
  const quietTab = await openJobTab(`${quietArray}_0`);
  const taskReads = () => quietTab.evaluate((p) => window.__fetched.filter((f) => f === p).length,
    `/api/jobs/${quietArray}_0`);
  await browser.clock.runFor(1000);
  const readsBefore = await taskReads();
  for (const action of ['hold', 'release']) {
    acted = await rest('POST', `/api/jobs/${other}/${action}`, { admin: true });
    check(acted.status === 200, action + ' answered ' + acted.status + ' ' + JSON.stringify(acted.body));
  }
  await eventSeen(quietTab, { jobId: other, type: 'job-updated', hold: 'admin' });
  await eventSeen(quietTab, { jobId: other, type: 'job-updated', hold: null });
  await eventSeen(quietTab, { jobId: other, state: 'COMPLETED' });
  await browser.clock.runFor(1000);
  check(await taskReads() === readsBefore, `the page read the task ${await taskReads() - readsBefore} times more`);
  // A new job is one the task may have started as: that is read for, which shows the count sees the reads.
  const another = (await rest('POST', '/api/jobs', { spec: { name: 'browser-another', user: 'bob', workDir,
    hold: 'user', script: '#!/bin/sh\ntrue\n' } })).body.jobId;
  await eventSeen(quietTab, { jobId: another, previous: null });
  await browser.clock.runFor(1000);
  check(await taskReads() === readsBefore + 1, `the page read the task ${await taskReads() - readsBefore} times more`);
  await quietTab.close();
  for (const id of [another, quietArray, quietGate]) await rest('POST', `/api/jobs/${id}/cancel`, {});
  await browser.clock.resume();

  check(failures.length === 0, failures.join('; '));
  console.log('PASS');
} catch (e) {
  console.log(`FAIL in step "${stepName}": ${e.message}`);
  await shot(page, 'failed').catch(() => {});
  process.exitCode = 1;
} finally {
  await browser.close();
  rmSync(userDataDir, { recursive: true, force: true });
}
