// Job arrays in the table and on their pages: holds and releases of tasks, a part joining the array's record
// again, tasks starting as records of their own, and a task's page following its task.
import { check, rest, shot, step, WAIT } from './browser-session.mjs';
import { arrayBehindHeldJob, holdTableReads, jobPage, jobState, openJobTab } from './page-driving.mjs';

export async function holdsReleasesAndPartsShowAsTheyHappen(session) {
  const { page } = session;
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
  const partTab = await openJobTab(session, part);
  const taskTab = await openJobTab(session, `${array}_1`);
  const rowsNow = () => page.$$eval('tr[data-job-id]', (trs) => trs.map((tr) => [tr.dataset.jobId,
    tr.querySelector('[data-testid=row-state]').textContent, tr.querySelector('.reason-cell').textContent]));
  const rowsBefore = await rowsNow();
  const reads = await holdTableReads(page);
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
  return { blocker, array };
}

export async function tasksSplitOffShowAsSlurmNamesThem(session, blocker, array) {
  const { page } = session;
  step('tasks split off an array when they start show in the table as Slurm names them, from their events');
  const reads = await holdTableReads(page);
  const acted = await rest('POST', `/api/jobs/${blocker}/release`, { admin: true });
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
}

export async function taskPageFollowsItsTask(session) {
  const { page } = session;
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
  let acted = await rest('POST', `/api/jobs/${gate}/release`, {});
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
}
