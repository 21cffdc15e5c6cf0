// A job's own page: a job submitted from the form followed through its states and output, what it uses on its
// node while it runs, and its Cancel button.
import { check, shot, step, WAIT, workDir } from './browser-session.mjs';
import { jobState, submitFromForm } from './page-driving.mjs';

export async function formJobGoesThroughItsStates(session) {
  const { page } = session;
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
  return hello;
}

export async function outputIsFollowedToItsEnd(session) {
  const { page } = session;
  step('its output, followed live, is all there and the follow ends with the job');
  await page.waitForFunction(() => document.querySelector('[data-testid=output-status]')?.textContent
    .includes('ended: COMPLETED'), null, { timeout: WAIT });
  const output = await page.textContent('[data-testid=output]');
  check(output === 'hello from the browser\ndone\n', 'output was ' + JSON.stringify(output));
  await shot(page, '03-job-completed');
}

export async function runningJobIsCancelledWithItsButton(session) {
  const { page } = session;
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
  return sleeper;
}
