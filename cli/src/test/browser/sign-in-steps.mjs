// Signing in with the REST token, and signing out to a page with nothing of the cluster left on it.
import { check, rest, shot, step, token, url, WAIT, workDir } from './browser-session.mjs';
import { signIn } from './page-driving.mjs';

export async function signInRefusesAWrongToken(session) {
  const { page } = session;
  step('the page asks for the token and refuses a wrong one');
  await page.goto(url + '/');
  await page.waitForSelector('input[name=token]', { timeout: WAIT });
  await shot(page, '01-login');
  await page.fill('input[name=token]', 'wrong-token');
  await page.click('button[type=submit]');
  await page.waitForFunction(() => document.querySelector('.login [role=alert]')?.textContent.includes('not accepted'),
    null, { timeout: WAIT });
}

export async function signInShowsTheJobsLive(session) {
  const { page } = session;
  step('signing in with the token shows the jobs and a live connection');
  await signIn(page);
  await page.waitForSelector('[data-testid=summary-cores]', { timeout: WAIT });
  await page.waitForSelector('[data-testid=chart] svg', { timeout: WAIT });
  await page.evaluate(() => { window.__noReload = true; });
  await shot(page, '02-jobs');
}

export async function signOutLeavesNothingOfTheCluster(session) {
  const { page } = session;
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
}
