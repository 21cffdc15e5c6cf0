// The jobs table's search and filters, the nodes view, and the chart.
import { check, rest, shot, step, WAIT, workDir } from './browser-session.mjs';

export async function tableShowsFiltersAndSearches(session, hello, sleeper) {
  const { page } = session;
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
}

export async function nodesViewShowsWhatIsAllocated(session) {
  const { page } = session;
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
}

// The node's cores and its state as sinfo names it, once the page shows them.
async function nodeShows(page, cores, state) {
  await page.waitForFunction(([c, s]) => document.querySelector('[data-testid=node-cores]')?.textContent === c
    && document.querySelector('[data-testid=node-state]')?.textContent === s, [cores, state], { timeout: WAIT })
    .catch(async (e) => {
      const shown = await page.evaluate(() => ['node-cores', 'node-state'].map((t) =>
        document.querySelector(`[data-testid=${t}]`)?.textContent));
      throw new Error(`the node shows ${shown.join(', ')}, not ${cores}, ${state}: ${e.message}`);
    });
}

// A suspend or resume is refused until the node has confirmed the job's start: asked again until done.
async function jobAction(id, action) {
  const until = Date.now() + WAIT;
  for (;;) {
    const r = await rest('POST', `/api/jobs/${id}/${action}`, {});
    if (r.status === 200) return;
    check(Date.now() < until, `${action} of job ${id} answered ${r.status} ${JSON.stringify(r.body)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

export async function nodesViewCountsASuspendedJobsCoresAsSinfoDoes(session) {
  const { page } = session;
  step('the nodes view counts no cores of a suspended job, and shared cores once, as sinfo does');
  const job = (name) => rest('POST', '/api/jobs', { spec: { name, user: 'bob', workDir, cpusPerTask: 2,
    script: '#!/bin/sh\nexec sleep 300\n' } }).then((r) => r.body.jobId);
  const { body: [node] } = await rest('GET', '/api/nodes');
  check(node.cores === 2, 'the head has ' + node.cores + ' cores, not 2');
  const first = await job('suspended');
  await nodeShows(page, '2 / 2', 'ALLOCATED');
  await jobAction(first, 'suspend');
  await nodeShows(page, '0 / 2', 'IDLE');
  check(await page.$(`[data-testid=nodes] a[href="#/jobs/${first}"]`), 'the suspended job is not listed');
  const drain = await rest('POST', `/api/nodes/${node.id}/drain`, { reason: 'browser', user: 'bob' });
  check(drain.status === 200, 'drain answered ' + drain.status);
  await nodeShows(page, '0 / 2', 'DRAINED');
  const undrain = await rest('POST', `/api/nodes/${node.id}/resume`, { user: 'bob' });
  check(undrain.status === 200, 'resume of the node answered ' + undrain.status);
  const second = await job('on-its-cores');
  await nodeShows(page, '2 / 2', 'ALLOCATED');
  await jobAction(first, 'resume');
  await nodeShows(page, '2 / 2 (+2 oversubscribed)', 'ALLOCATED');
  await shot(page, '08-nodes-oversubscribed');
  await rest('POST', `/api/jobs/${first}/cancel`, {});
  await rest('POST', `/api/jobs/${second}/cancel`, {});
  await nodeShows(page, '0 / 2', 'IDLE');
}

export async function chartDrawsCoresAndQueue(session) {
  const { page } = session;
  step('the chart draws cores in use and queue length');
  await page.waitForSelector('[data-testid=chart-util]', { state: 'attached', timeout: WAIT });
  await page.waitForSelector('[data-testid=chart-queue]', { state: 'attached', timeout: WAIT });
}
