// The views at a phone's width.
import { check, shot, step, url, WAIT } from './browser-session.mjs';

export async function phoneWidthFitsEveryView(session, hello) {
  const { browser } = session;
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
}
