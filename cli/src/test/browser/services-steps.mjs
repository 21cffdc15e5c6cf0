// The services view: a service created elsewhere, its instance's cancel warning, scaling and deleting.
import { check, rest, shot, step, WAIT, workDir } from './browser-session.mjs';
import { jobState } from './page-driving.mjs';

export async function servicesViewCreatesScalesAndDeletes(session) {
  const { page } = session;
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
}
