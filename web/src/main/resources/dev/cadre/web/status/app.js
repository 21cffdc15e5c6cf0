// The status page: routing, the token, the REST API and what every view shares. Plain modules, no build step:
// the event stream is in live.js, the views in views.js, job.js and services.js (a job's output in output.js, its
// usage in usage.js), the failure notices in failures.js, the chart in chart.js.
import { views } from './views.js';
import { drawChart } from './chart.js';
import { connect, disconnect } from './live.js';
import { clearFailures, loadFailures } from './failures.js';

const TOKEN_KEY = 'cadre.token';
/** The states a job ends in, and those of them that count as failures. */
export const TERMINAL = new Set(['COMPLETED', 'FAILED', 'CANCELLED', 'TIMEOUT', 'NODE_FAIL', 'OUT_OF_MEMORY', 'DEADLINE']);
export const FAILED = new Set(['FAILED', 'TIMEOUT', 'NODE_FAIL', 'OUT_OF_MEMORY', 'DEADLINE']);

/** An API refusal: the problem+json body's status, detail and field. */
export class Problem extends Error {
  constructor(status, detail, field) {
    super(detail);
    this.status = status;
    this.field = field;
  }
}

export const app = {
  token: localStorage.getItem(TOKEN_KEY),
  /** Called with each job event; the current view sets it. */
  onJob: null,
  onNode: null,
  onReset: null,
  view: null,
  history: [],
};

/** A request to the REST API with the token; JSON back, or a Problem. */
export async function api(path, options = {}) {
  // A read that was under way at sign-out must not ask again with no token: that would sign out a second time.
  if (!app.token) throw new Problem(401, 'not signed in');
  const headers = { Authorization: 'Bearer ' + app.token, ...(options.body ? { 'Content-Type': 'application/json' } : {}) };
  const response = await fetch(path, { ...options, headers: { ...headers, ...(options.headers || {}) } });
  if (response.status === 401 || response.status === 403) {
    signOut('The token was not accepted; sign in again.');
    throw new Problem(response.status, 'not signed in');
  }
  const type = response.headers.get('Content-Type') || '';
  const body = type.includes('json') ? await response.json() : await response.text();
  if (!response.ok) {
    throw new Problem(response.status, body.detail || String(body), body.field);
  }
  return { body, headers: response.headers };
}

export function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) continue;
    if (k === 'class') e.className = v;
    else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else if (k === 'text') e.textContent = v;
    else e.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat()) {
    if (c !== null && c !== undefined && c !== false) e.append(c instanceof Node ? c : String(c));
  }
  return e;
}

export function stateBadge(state, attrs = {}) {
  return el('span', { class: 'state ' + state, ...attrs }, state);
}

export function time(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  const today = new Date().toDateString() === d.toDateString();
  return today ? d.toLocaleTimeString() : d.toLocaleString();
}

export function duration(fromIso, toIso) {
  if (!fromIso) return '';
  let s = Math.max(0, Math.round(((toIso ? new Date(toIso) : new Date()) - new Date(fromIso)) / 1000));
  const h = Math.floor(s / 3600); s -= h * 3600;
  const m = Math.floor(s / 60); s -= m * 60;
  return (h ? h + 'h ' : '') + (h || m ? m + 'm ' : '') + s + 's';
}

/** Runs fn once calls have stopped for wait ms: for typing. */
export function debounce(fn, wait) {
  let timer = null;
  return (...args) => { clearTimeout(timer); timer = setTimeout(() => fn(...args), wait); };
}

/** Runs fn wait ms after a call, once however many calls came meanwhile: for events, which may never stop. */
export function throttle(fn, wait) {
  let timer = null;
  return () => {
    if (timer === null) timer = setTimeout(() => { timer = null; fn(); }, wait);
  };
}

export function navigate(hash) {
  if (location.hash === hash) render(); else location.hash = hash;
}

function signOut(message) {
  localStorage.removeItem(TOKEN_KEY);
  app.token = null;
  disconnect();
  // Nothing read with the token stays on screen: the next person at this screen has none.
  const summary = document.getElementById('summary');
  summary.replaceChildren();
  summary.hidden = true;
  app.history = [];
  clearFailures();
  const live = document.getElementById('live');
  live.textContent = 'signed out';
  live.classList.remove('on');
  app.signOutMessage = message || null;
  location.hash = '#/login';
  render();
}

export function signIn(token) {
  app.token = token;
  localStorage.setItem(TOKEN_KEY, token);
  document.getElementById('live').textContent = 'connecting';
  connect();
}

// --- how jobs ended -------------------------------------------------------------------------------------

/** Linux's signal names, by number less one, as kill -l lists them. */
const SIGNALS = ['HUP', 'INT', 'QUIT', 'ILL', 'TRAP', 'ABRT', 'BUS', 'FPE', 'KILL', 'USR1', 'SEGV', 'USR2', 'PIPE',
  'ALRM', 'TERM', 'STKFLT', 'CHLD', 'CONT', 'STOP', 'TSTP', 'TTIN', 'TTOU', 'URG', 'XCPU', 'XFSZ', 'VTALRM', 'PROF',
  'WINCH', 'IO', 'PWR', 'SYS'];

/** A signal as "9 (SIGKILL)"; '' for none (the API's 0 or absent). */
export function signalText(signal) {
  if (!signal) return '';
  return SIGNALS[signal - 1] ? `${signal} (SIG${SIGNALS[signal - 1]})` : String(signal);
}

/**
 * How a job or attempt ended, or null when not known. A process killed by a signal has no exit code of its own:
 * the API then has exitCode 0 and the signal (sacct's 0:9), and "exit code 0" would read as a success.
 */
export function endText(exitCode, signal) {
  if (signal) return 'killed by signal ' + signalText(signal);
  return exitCode !== null && exitCode !== undefined ? 'exit code ' + exitCode : null;
}

// --- the summary and the chart ----------------------------------------------------------------------------

/** Reads the summary, draws it, and adds its point to the chart. */
async function drawSummary() {
  if (!app.token) return;
  try {
    const { body } = await api('/api/cluster');
    // Signed out while it was read: what it read is not shown.
    if (!app.token) return;
    renderSummary(body);
    app.history.push({ time: body.time, coresTotal: body.cores.total, coresAllocated: body.cores.allocated,
      queued: body.queueLength });
    app.history = app.history.filter((p) => new Date(p.time) > Date.now() - 3600_000);
    drawChart(document.getElementById('chart'), app.history);
  } catch (e) {
    if (!(e instanceof Problem)) throw e;
  }
}

// After events: at most every half second, however many come.
export const refreshSummary = throttle(drawSummary, 500);

function renderSummary(c) {
  const box = document.getElementById('summary');
  box.hidden = false;
  const pct = c.cores.total ? Math.round((100 * c.cores.allocated) / c.cores.total) : 0;
  const card = (name, big, sub, id) => el('div', { class: 'card', 'data-testid': id },
    el('h3', {}, name), el('div', { class: 'big' }, big), el('div', { class: 'sub' }, sub));
  let chart = document.getElementById('chart-card');
  if (!chart) {
    chart = el('div', { class: 'card chart', id: 'chart-card' }, el('h3', {}, 'Last hour'),
      el('div', { id: 'chart', 'data-testid': 'chart' }),
      el('div', { class: 'legend' }, el('span', { class: 'util' }, 'cores in use %'), el('span', { class: 'queue' }, 'queue length')));
  }
  box.replaceChildren(
    card('Nodes', `${c.nodes.up} up`, c.nodes.down ? `${c.nodes.down} down` : 'none down', 'summary-nodes'),
    card('Cores', `${pct}%`, `${c.cores.allocated} of ${c.cores.total} in use`, 'summary-cores'),
    card('Running', c.running, `${c.jobs.COMPLETED} completed`, 'summary-running'),
    card('Queued', c.queueLength, `${c.jobs.FAILED + c.jobs.TIMEOUT + c.jobs.NODE_FAIL + (c.jobs.OUT_OF_MEMORY || 0) + (c.jobs.DEADLINE || 0)} failed`, 'summary-queued'),
    chart);
}

async function loadHistory() {
  const { body } = await api('/api/cluster/history?minutes=60&points=120');
  if (!app.token) return;
  app.history = body.points.map((p) => ({ time: p.time, coresTotal: p.coresTotal, coresAllocated: p.coresAllocated,
    queued: p.queued }));
  await drawSummary();
}

// --- routing ----------------------------------------------------------------------------------------------

export function render() {
  const [, name = 'jobs', arg] = (location.hash || '#/jobs').split('/');
  const signedIn = Boolean(app.token);
  document.getElementById('nav').hidden = !signedIn;
  document.getElementById('logout').hidden = !signedIn;
  if (!signedIn && name !== 'login') { location.hash = '#/login'; return; }
  for (const a of document.querySelectorAll('[data-nav]')) {
    a.classList.toggle('active', a.dataset.nav === name);
  }
  app.onJob = app.onNode = app.onReset = null;
  if (app.view && app.view.close) app.view.close();
  const view = name === 'jobs' && arg ? views.job : views[name] || views.jobs;
  const main = document.getElementById('view');
  app.view = view(main, arg);
}

window.addEventListener('hashchange', render);
document.getElementById('logout').addEventListener('click', () => signOut(null));
if (app.token) {
  connect();
  loadHistory().catch(() => {});
  loadFailures().catch(() => {});
}
render();

export { loadHistory };
