// How a page's reads and the events it hears fit together: a tab hidden while a job was created, and, on the
// browser's own clock, a task's page around the reads that find its task.
import { check, rest, step, WAIT, withDeadline, workDir } from './browser-session.mjs';
import { arrayBehindHeldJob, eventSeen, jobPage, jobState, openJobTab, openTab, setHidden } from './page-driving.mjs';

export async function hiddenTabShowsEachStateOnce(session) {
  step('a job page read while its tab was hidden shows each state once when the events it missed come');
  const hiddenTab = await openTab(session, '#/jobs');
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
  const tabShows = await jobPage(hiddenTab);
  check(JSON.stringify(tabShows.history) === '["PENDING"]', 'the history says ' + tabShows.history);
  await hiddenTab.close();
  for (const id of [seenFirst, missed]) await rest('POST', `/api/jobs/${id}/cancel`, {});
}

export async function movedTaskShowsEventsDuringItsRead(session) {
  const { browser } = session;
  step('a task\'s page shows what the record it moves to did while the read that found the task there was answered');
  // The pages' timers wait on the test's clock from here on, a throttled read again happening when the test lets
  // time run: the clock is every tab's, so these steps come last, and it is resumed after them.
  const { gate: moveGate, array: moveArray } = await arrayBehindHeldJob('alice', 'browser-move-gate', {
    name: 'browser-move', array: '0-1', script: '#!/bin/sh\nexec sleep 300\n' });
  const moveTab = await openJobTab(session, `${moveArray}_0`);
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
  let acted = await rest('POST', `/api/jobs/${moveGate}/release`, {});
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
  const tabShows = await jobPage(moveTab);
  check(JSON.stringify(tabShows.history.filter((s) => s !== 'COMPLETING')) === '["PENDING","RUNNING","CANCELLED"]',
    'the history says ' + tabShows.history);
  await moveTab.close();
  await rest('POST', `/api/jobs/${moveArray}/cancel`, {});
}

export async function waitingTaskReadsOnlyForNewJobs(session) {
  const { browser } = session;
  step('a waiting task\'s page reads the task again for a new job, not for holds and releases of others');
  const { gate: quietGate, array: quietArray } = await arrayBehindHeldJob('bob', 'browser-quiet-gate', {
    name: 'browser-quiet', array: '0-1', script: '#!/bin/sh\ntrue\n' });
  const other = (await rest('POST', '/api/jobs', { spec: { name: 'browser-other', user: 'bob', workDir, hold: 'user',
    script: '#!/bin/sh\ntrue\n' } })).body.jobId;
  const quietTab = await openJobTab(session, `${quietArray}_0`);
  const taskReads = () => quietTab.evaluate((p) => window.__fetched.filter((f) => f === p).length,
    `/api/jobs/${quietArray}_0`);
  await browser.clock.runFor(1000);
  const readsBefore = await taskReads();
  for (const action of ['hold', 'release']) {
    const acted = await rest('POST', `/api/jobs/${other}/${action}`, { admin: true });
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
}
