// What every step shares: the run's settings, the step being run, checks, screenshots, calls to the REST API, and
// the browser with its first page.
import { chromium } from 'playwright-core';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { recordEventSources, recordStates } from './page-recorders.mjs';

export const url = required('CADRE_URL');
export const token = required('CADRE_TOKEN');
export const workDir = required('WORK_DIR');
const shots = required('SCREENSHOTS');
export const WAIT = 60_000;
mkdirSync(shots, { recursive: true });

function required(name) {
  if (!process.env[name]) throw new Error(`${name} is not set`);
  return process.env[name];
}

let stepName = 'start';
export function step(name) {
  stepName = name;
  console.log(`step: ${name}`);
}

/** The step being run, to name the one that failed. */
export function currentStep() {
  return stepName;
}

export function check(condition, message) {
  if (!condition) throw new Error(message);
}

export async function shot(page, name) {
  await page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });
}

export async function rest(method, path, body) {
  const r = await fetch(url + path, { method, headers: { Authorization: 'Bearer ' + token,
    'Content-Type': 'application/json' }, body: body ? JSON.stringify(body) : undefined });
  return { status: r.status, body: await r.json() };
}

export function withDeadline(promise, what) {
  let timer;
  const late = new Promise((_, reject) => { timer = setTimeout(() => reject(new Error(`${what} within ${WAIT} ms`)), WAIT); });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

/**
 * Chromium with a fresh profile, and its first page recording its states and event streams: the session every step
 * takes ({ browser, page, failures, close }). failures collects the pages' errors, which the run checks last.
 */
export async function openBrowser() {
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
  return {
    browser,
    page,
    failures,
    close: async () => {
      await browser.close();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}
