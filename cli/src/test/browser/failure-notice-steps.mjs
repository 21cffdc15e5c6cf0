// The notices of failed jobs: an exit code or a signal shown, kept until dismissed, and many kept to five.
import { check, rest, shot, step, WAIT, workDir } from './browser-session.mjs';
import { jobState, submitFromForm } from './page-driving.mjs';

export async function failureStaysUntilDismissed(session) {
  const { page } = session;
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
}

export async function signalShownInsteadOfAnExitCode(session) {
  const { page } = session;
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
  return killedId;
}

export async function manyFailuresKeptToFiveNotices(session, killedId) {
  const { page } = session;
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
    return location.hash === '#/jobs' && document.querySelector('select[name=state]')?.value === 'FAILED,TIMEOUT,NODE_FAIL,OUT_OF_MEMORY,DEADLINE'
      && rows.length === 10 && rows.every((r) => r.querySelector('[data-testid=row-state]')?.textContent === 'FAILED');
  }, null, { timeout: WAIT });
  await page.click('[data-testid=dismiss-all]');
  await page.waitForFunction(() => !document.getElementById('failures').children.length, null, { timeout: WAIT });
  const remembered = await page.evaluate(() => JSON.parse(localStorage.getItem('cadre.dismissed')));
  check(failedIds.every((id) => remembered.includes(id)), `dismissed ${remembered}, failed ${failedIds}`);
}
