// Driving the status page as a user does, and reading what it shows: the moves the steps share.
import { check, rest, token, url, WAIT, withDeadline, workDir } from './browser-session.mjs';
import { recordFetches, recordJobEvents, recordStates } from './page-recorders.mjs';

export async function signIn(page) {
  await page.goto(url + '/');
  await page.waitForSelector('input[name=token]', { timeout: WAIT });
  await page.fill('input[name=token]', token);
  await page.click('button[type=submit]');
  await page.waitForSelector('[data-testid=jobs]', { timeout: WAIT });
  await page.waitForFunction(() => document.getElementById('live').textContent === 'live', null, { timeout: WAIT });
}

export async function submitFromForm(page, fields) {
  await page.click('a[data-nav=submit]');
  await page.waitForSelector('form.submit', { timeout: WAIT });
  for (const [name, value] of Object.entries(fields)) {
    await page.fill(`form.submit [name=${name}]`, String(value));
  }
  await page.click('form.submit button[type=submit]');
  await page.waitForFunction(() => /^#\/jobs\/\d+$/.test(location.hash), null, { timeout: WAIT });
  return Number(await page.evaluate(() => location.hash.split('/')[2]));
}

export async function jobState(page, state) {
  await page.waitForFunction((s) => document.querySelector('[data-testid=job-state]')?.textContent === s, state,
    { timeout: WAIT });
}

/** A job submitted held, and an array that waits on it: the array's tasks stay pending until it is released. */
export async function arrayBehindHeldJob(user, gateName, arraySpec) {
  const gate = await rest('POST', '/api/jobs', { spec: { name: gateName, user, workDir, hold: 'user',
    script: '#!/bin/sh\ntrue\n' } });
  check(gate.status === 201, 'REST submit answered ' + gate.status);
  const array = await rest('POST', '/api/jobs', { spec: { user, workDir, ...arraySpec,
    dependency: 'afterok:' + gate.body.jobId } });
  check(array.status === 201, 'REST submit answered ' + array.status);
  return { gate: gate.body.jobId, array: array.body.jobId };
}

/** What the job page shows: its header's parts, the states of its history, and the states its badge has shown. */
export function jobPage(page) {
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
export async function openTab({ browser, failures }, hash) {
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
export async function openJobTab(session, id) {
  const tab = await openTab(session, '#/jobs/' + id);
  await jobState(tab, 'PENDING');
  return tab;
}

/** The first job event tab has received with all of like's fields (recordJobEvents), waited for. */
export async function eventSeen(tab, like) {
  const found = await tab.waitForFunction((l) => window.__events
    .find((e) => Object.entries(l).every(([k, v]) => e[k] === v)), like, { timeout: WAIT });
  return found.jsonValue();
}

/** Tells tab's page that it is hidden, or shown again, as switching tabs does. */
export async function setHidden(tab, hidden) {
  await tab.evaluate((h) => {
    Object.defineProperty(document, 'hidden', { configurable: true, get: () => h });
    document.dispatchEvent(new Event('visibilitychange'));
  }, hidden);
  await tab.waitForFunction((h) => document.getElementById('live').textContent === (h ? 'paused' : 'live'), hidden,
    { timeout: WAIT });
}

/**
 * Holds the table's reads of the job list until release: meanwhile only the live events change the table, which
 * its throttled reload (within a second of any event) would otherwise redraw from the list.
 */
export async function holdTableReads(page) {
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
