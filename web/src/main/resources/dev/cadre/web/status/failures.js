// Failed jobs, shown above every view until dismissed: the newest five as notices, the others counted on one line
// that opens the jobs table's Failed filter. Dismissals are remembered in the browser.
import { app, api, el, endText, FAILED } from './app.js';

const DISMISSED_KEY = 'cadre.dismissed';

function dismissed() {
  try { return new Set(JSON.parse(localStorage.getItem(DISMISSED_KEY) || '[]')); } catch { return new Set(); }
}

/** Failed jobs pushed off screen by newer ones, not dismissed: a failing array of thousands is one line. */
let offScreen = new Set();

/** Takes every notice off the screen, at sign-out: nothing read with the token stays. */
export function clearFailures() {
  document.getElementById('failures').replaceChildren();
  offScreen = new Set();
}

export function noteFailure(e) {
  if (!FAILED.has(e.state) || offScreen.has(e.jobId) || dismissed().has(e.jobId)) return;
  const box = document.getElementById('failures');
  if (box.querySelector(`[data-failure="${e.jobId}"]`)) return;
  const why = [e.reason, endText(e.exitCode, e.signal)].filter(Boolean).join(', ');
  const shown = box.querySelectorAll('[data-failure]');
  // Only the newest are shown; one that pushes out an older one is counted below rather than announced.
  const full = shown.length >= FAILURES_SHOWN;
  if (full) {
    offScreen.add(Number(shown[0].dataset.failure));
    shown[0].remove();
  }
  box.insertBefore(el('div', { class: 'failure', 'data-failure': e.jobId, role: full ? null : 'alert' },
    el('p', {}, el('strong', {}, `Job ${e.jobId}${e.name ? ' (' + e.name + ')' : ''} ${e.state}`),
      why ? ' — ' + why : '', ' ', el('a', { href: '#/jobs/' + e.jobId }, 'details')),
    el('button', { class: 'secondary', type: 'button', 'data-dismiss': e.jobId, onclick: () => dismiss(e.jobId) }, 'Dismiss')),
  box.querySelector('[data-testid=failures-more]'));
  drawMore();
}

/** The line under the notices: how many more failed, linking to them, and "Dismiss all"; when there are two or more. */
function drawMore() {
  const box = document.getElementById('failures');
  let line = box.querySelector('[data-testid=failures-more]');
  if (box.querySelectorAll('[data-failure]').length + offScreen.size < 2) {
    if (line) line.remove();
    return;
  }
  if (!line) {
    // Kept, not drawn anew, so that a flood of failures does not take the focus off its buttons.
    line = el('div', { class: 'failures-more', 'data-testid': 'failures-more' },
      el('a', { href: '#/jobs', 'data-testid': 'show-failed', onclick: showFailedJobs }),
      el('button', { class: 'secondary', type: 'button', 'data-testid': 'dismiss-all', onclick: dismissAll }, 'Dismiss all'));
    box.append(line);
  }
  const more = line.querySelector('[data-testid=show-failed]');
  more.hidden = !offScreen.size;
  more.textContent = `${offScreen.size.toLocaleString()} more failed — show failed jobs`;
}

/** The jobs table with its Failed filter, set as a user would: the jobs view reads the filter from its select. */
function showFailedJobs(ev) {
  ev.preventDefault();
  const filterFailed = () => {
    const select = document.querySelector('#view select[name=state]');
    if (!select) return;
    select.value = [...FAILED].join(',');
    select.dispatchEvent(new Event('change'));
  };
  const [, name = 'jobs', arg] = (location.hash || '#/jobs').split('/');
  if (name === 'jobs' && !arg) {
    filterFailed();
  } else {
    // After render's own listener, added first: the jobs view is drawn by then.
    window.addEventListener('hashchange', filterFailed, { once: true });
    location.hash = '#/jobs';
  }
}

function dismissAll() {
  const box = document.getElementById('failures');
  dismissEach([...offScreen, ...[...box.querySelectorAll('[data-failure]')].map((n) => Number(n.dataset.failure))]);
}

export function dismiss(jobId) {
  dismissEach([jobId]);
}

function dismissEach(jobIds) {
  const all = dismissed();
  for (const jobId of jobIds) {
    all.add(jobId);
    offScreen.delete(jobId);
    document.querySelectorAll(`[data-failure="${jobId}"]`).forEach((n) => n.remove());
  }
  localStorage.setItem(DISMISSED_KEY, JSON.stringify([...all].slice(-500)));
  drawMore();
}

export function isDismissed(jobId) {
  return dismissed().has(jobId);
}

/** How many failures are shown at most (also when the page opens), and how many jobs are read at most to find them. */
const FAILURES_SHOWN = 5;
const FAILURES_PAGE = 100;
// Dismissals are remembered up to 500, so the newest 600 failures hold the five newest undismissed ones, if any.
const FAILURES_PAGES = 6;

/** Failures that happened while the page was closed: the last ended jobs that failed and were not dismissed. */
export async function loadFailures() {
  const shown = [];
  let after = null;
  for (let page = 0; page < FAILURES_PAGES && shown.length < FAILURES_SHOWN; page++) {
    const p = new URLSearchParams({ state: 'FAILED,TIMEOUT,NODE_FAIL,OUT_OF_MEMORY,DEADLINE', order: 'desc', limit: String(FAILURES_PAGE) });
    if (after !== null) p.set('after', String(after));
    const { body, headers } = await api('/api/jobs?' + p);
    if (!app.token) return;
    shown.push(...body.filter((j) => !isDismissed(j.id)).slice(0, FAILURES_SHOWN - shown.length));
    if (!headers.get('Link') || !body.length) break;
    after = body[body.length - 1].id;
  }
  for (const j of shown.reverse()) {
    noteFailure({ jobId: j.id, name: j.name, state: j.state, reason: j.reason, exitCode: j.exitCode, signal: j.signal });
  }
}
