// The page's views: login, jobs, nodes, submit, one job (job.js) and the services (services.js). Each renders
// into main and returns { close }.
import {
  app, api, el, stateBadge, time, duration, debounce, throttle, navigate, signIn, Problem, loadHistory, TERMINAL,
} from './app.js';
import { loadFailures } from './failures.js';
import { job } from './job.js';
import { services } from './services.js';

const STATE_FILTERS = [['', 'All states'], ['PENDING,RUNNING,COMPLETING,REQUEUED,SUSPENDED', 'Active'], ['PENDING', 'Pending'],
  ['RUNNING', 'Running'], ['COMPLETED', 'Completed'], ['FAILED,TIMEOUT,NODE_FAIL,OUT_OF_MEMORY,DEADLINE', 'Failed'], ['CANCELLED', 'Cancelled']];

function login(main) {
  const input = el('input', { type: 'password', name: 'token', autocomplete: 'current-password', required: true,
    placeholder: 'token from client.json', 'aria-label': 'Token' });
  const error = el('p', { class: 'error-text', role: 'alert' }, app.signOutMessage || '');
  const form = el('form', {
    onsubmit: async (ev) => {
      ev.preventDefault();
      const token = input.value.trim();
      const r = await fetch('/api/cluster', { headers: { Authorization: 'Bearer ' + token } });
      if (!r.ok) {
        error.textContent = r.status === 401 || r.status === 403 ? 'That token is not accepted.' : 'Sign-in failed: ' + r.status;
        return;
      }
      app.signOutMessage = null;
      signIn(token);
      loadHistory().catch(() => {});
      loadFailures().catch(() => {});
      navigate('#/jobs');
    },
  }, el('label', {}, 'Token', input), el('button', { class: 'primary', type: 'submit' }, 'Sign in'), error);
  main.replaceChildren(el('div', { class: 'panel login' }, el('h2', {}, 'Sign in to Cadre'),
    el('p', { class: 'muted' }, 'Use the REST token: the "token" field of client.json in the head\'s data directory.'), form));
  input.focus();
  return {};
}

function jobRow(j) {
  const tr = el('tr', { class: 'clickable', 'data-job-id': j.id, onclick: () => navigate('#/jobs/' + j.id) },
    el('td', { 'data-label': 'Job' }, el('a', { href: '#/jobs/' + j.id }, j.displayId || String(j.id))),
    el('td', { 'data-label': 'Name' }, j.name || ''),
    el('td', { 'data-label': 'User' }, j.user || ''),
    el('td', { 'data-label': 'State', class: 'state-cell' }, stateBadge(j.state, { 'data-testid': 'row-state' })),
    el('td', { 'data-label': 'Reason', class: 'reason-cell hide-narrow' }, j.reason || ''),
    el('td', { 'data-label': 'Nodes', class: 'hide-narrow' }, j.nodeList || ''),
    el('td', { 'data-label': 'Submitted' }, time(j.submitTime)),
    el('td', { 'data-label': 'Elapsed', class: 'hide-narrow' }, j.startTime ? duration(j.startTime, j.endTime) : ''));
  return tr;
}

/** Highlights a row that changed, once; a change during the highlight does not start it again. */
function flash(row) {
  if (row.classList.contains('flash')) return;
  row.classList.add('flash');
  row.addEventListener('animationend', () => row.classList.remove('flash'), { once: true });
}

function jobs(main) {
  const limit = 50;
  let pages = [null];
  let page = 0;
  let rows = new Map();
  const filter = el('select', { 'aria-label': 'State', name: 'state', onchange: () => { pages = [null]; page = 0; load(); } },
    STATE_FILTERS.map(([v, label]) => el('option', { value: v }, label)));
  const search = el('input', { type: 'search', name: 'q', placeholder: 'Search name, user or id', 'aria-label': 'Search',
    oninput: debounce(() => { pages = [null]; page = 0; load(); }, 250) });
  const tbody = el('tbody');
  const info = el('span', { class: 'muted', 'data-testid': 'jobs-total' });
  const newer = el('button', { class: 'secondary', type: 'button', onclick: () => { page--; load(); } }, '‹ Newer');
  const older = el('button', { class: 'secondary', type: 'button', onclick: () => { page++; load(); } }, 'Older ›');
  main.replaceChildren(
    el('div', { class: 'toolbar' }, search, filter),
    el('div', { class: 'panel' },
      el('table', { class: 'stack', 'data-testid': 'jobs' }, el('thead', {}, el('tr', {},
        ['Job', 'Name', 'User', 'State', 'Reason', 'Nodes', 'Submitted', 'Elapsed'].map((h, i) =>
          el('th', { class: [4, 5, 7].includes(i) ? 'hide-narrow' : null }, h)))), tbody),
      el('div', { class: 'pager' }, info, el('span', { class: 'actions' }, newer, older))));

  function query() {
    const p = new URLSearchParams({ order: 'desc', limit: String(limit) });
    if (filter.value) p.set('state', filter.value);
    if (search.value.trim()) p.set('q', search.value.trim());
    if (pages[page] !== null) p.set('after', String(pages[page]));
    return p;
  }

  // Only the latest read is shown; events that arrive while it runs are applied after it, as it may predate them.
  let reads = 0;
  let during = null;
  async function load() {
    const read = ++reads;
    const mine = [];
    during = mine;
    const { body, headers } = await api('/api/jobs?' + query());
    if (read !== reads) return;
    during = null;
    rows = new Map();
    tbody.replaceChildren(...body.map((j) => { const r = jobRow(j); rows.set(j.id, r); return r; }));
    const total = Number(headers.get('X-Total-Count') || body.length);
    const first = page * limit + (body.length ? 1 : 0);
    info.textContent = `${first}–${page * limit + body.length} of ${total.toLocaleString()}`;
    if (headers.get('Link') && body.length) pages[page + 1] = body[body.length - 1].id;
    newer.disabled = page === 0;
    older.disabled = !headers.get('Link');
    if (!body.length) tbody.append(el('tr', {}, el('td', { colspan: 8, class: 'muted' }, 'No jobs.')));
    mine.forEach(apply);
  }
  const reload = throttle(() => load().catch(() => {}), 1000);

  function matches(e) {
    const states = filter.value ? filter.value.split(',') : null;
    const q = search.value.trim().toLowerCase();
    return (!states || states.includes(e.state)) && (!q || String(e.jobId) === q
      || (e.name || '').toLowerCase().includes(q) || (e.user || '').toLowerCase().includes(q));
  }

  function apply(e) {
    const row = rows.get(e.jobId);
    if (e.type === 'array-part-joined') {
      // The part is gone: its tasks are in the record it joined, whose row the reload shows.
      if (row) {
        row.remove();
        rows.delete(e.jobId);
      }
      return;
    }
    if (row) {
      row.querySelector('.state-cell').replaceChildren(stateBadge(e.state, { 'data-testid': 'row-state' }));
      row.querySelector('.reason-cell').textContent = e.reason || '';
      flash(row);
    } else if (e.previous === null && page === 0 && matches(e)) {
      // A task split off its array is shown as Slurm names it (12_3); a part's range comes with the next read.
      const displayId = e.arrayTaskId != null ? `${e.arrayJobId}_${e.arrayTaskId}` : null;
      const r = jobRow({ id: e.jobId, displayId, name: e.name, user: e.user, state: e.state, reason: e.reason,
        submitTime: e.time });
      flash(r);
      rows.set(e.jobId, r);
      tbody.prepend(r);
      if (tbody.children.length > limit) tbody.lastElementChild.remove();
    }
  }

  app.onJob = (e) => {
    if (during) during.push(e);
    apply(e);
    // Times, nodes and totals come from the list again, at most once a second.
    reload();
  };
  app.onReset = () => load().catch(() => {});
  load().catch((e) => info.textContent = e.message);
  return {};
}

// The node's state as sinfo names it (cli's SinfoNode.state), from its allocated cores, which count each core once
// and none of a suspended job's: not from the jobs listed on it, so a drained node whose only job is suspended is
// DRAINED. A DOWN node that is not drained has only its DOWN badge.
function nodeState(n) {
  const alloc = n.allocated.cores;
  if (n.drain) return n.state === 'DOWN' || alloc <= 0 ? 'DRAINED' : 'DRAINING';
  if (n.state === 'DOWN') return null;
  return alloc <= 0 ? 'IDLE' : alloc >= n.cores ? 'ALLOCATED' : 'MIXED';
}

function nodes(main) {
  const list = el('div', { class: 'nodes', 'data-testid': 'nodes' });
  main.replaceChildren(el('h2', {}, 'Nodes'), list);
  async function load() {
    const { body } = await api('/api/nodes');
    list.replaceChildren(...body.map((n) => {
      // allocated.cores counts each core once, at most the node's; cores a resumed job shares with the jobs
      // started on them while it was suspended are oversubscribedCores on top.
      const over = n.allocated.oversubscribedCores;
      const pct = n.cores ? Math.round((100 * n.allocated.cores) / n.cores) : 0;
      const bar = el('div', { class: 'bar', title: `${pct}% of cores in use` + (over ? `, ${over} held twice` : '') },
        el('span'));
      bar.firstChild.style.width = pct + '%';
      const state = nodeState(n);
      return el('div', { class: 'panel node', 'data-node': n.hostname },
        el('header', {}, el('strong', {}, n.hostname), stateBadge(n.state),
          state ? el('span', { class: 'state ' + state, 'data-testid': 'node-state' }, state) : null),
        el('div', { class: 'row' }, el('span', {}, 'Cores'), el('span', { 'data-testid': 'node-cores' },
          `${n.allocated.cores} / ${n.cores}` + (over ? ` (+${over} oversubscribed)` : ''))),
        bar,
        el('div', { class: 'row' }, el('span', {}, 'Memory'), el('span', {}, `${n.allocated.memoryMb} / ${n.memoryMb} MB`)),
        n.gpus ? el('div', { class: 'row' }, el('span', {}, 'GPUs'), el('span', {}, `${n.allocated.gpus} / ${n.gpus}`)) : null,
        el('div', { class: 'row' }, el('span', {}, 'Jobs'), el('span', {}, n.allocated.jobIds.length
          ? n.allocated.jobIds.flatMap((j, i) => [i ? ', ' : '', el('a', { href: '#/jobs/' + j }, String(j))]) : 'none')),
        // Counted in the cores above: an attempt that ended for the scheduler keeps them until the node confirms its kill.
        n.held && n.held.length ? el('div', { class: 'row', 'data-testid': 'node-held' }, el('span', {}, 'Held for kills'),
          el('span', {}, n.held.map((h) => `${h.cores} for job ${h.jobId} attempt ${h.attempt} since ${time(h.since)}`).join('; '))) : null,
        n.reason ? el('div', { class: 'row error-text' }, n.reason) : null,
        n.drain ? el('div', { class: 'row', 'data-testid': 'node-drain-reason' }, el('span', {}, 'Drained'),
          el('span', {}, `${n.drain.reason} (${n.drain.user}, ${time(n.drain.since)})`)) : null,
        el('div', { class: 'row muted' }, el('span', {}, 'Last seen'), el('span', {}, time(n.lastSeen))));
    }));
    if (!body.length) list.append(el('p', { class: 'muted' }, 'No node has joined yet.'));
  }
  const reload = throttle(() => load().catch(() => {}), 300);
  app.onNode = reload;
  // A suspend gives the job's cores back (a resume is RUNNING again).
  app.onJob = (e) => { if (['RUNNING', 'SUSPENDED', 'REQUEUED'].includes(e.state) || TERMINAL.has(e.state)) reload(); };
  app.onReset = reload;
  load().catch(() => {});
  return {};
}

function submit(main) {
  const field = (label, name, attrs = {}, wide = false) => el('label', { class: wide ? 'wide' : null }, label,
    el(attrs.tag || 'input', { name, ...attrs, tag: null }));
  const error = el('p', { class: 'error-text', role: 'alert', 'data-testid': 'submit-error' });
  const form = el('form', { class: 'panel submit', novalidate: true, onsubmit: (ev) => { ev.preventDefault(); send(); } },
    field('Name', 'name', { placeholder: 'my-job' }),
    field('User', 'user', { required: true, value: localStorage.getItem('cadre.user') || '' }),
    field('Working directory', 'workDir', { required: true, value: localStorage.getItem('cadre.workDir') || '/tmp' }),
    field('Tasks', 'tasks', { type: 'number', min: 1, value: 1 }),
    field('CPUs per task', 'cpusPerTask', { type: 'number', min: 1, value: 1 }),
    field('Memory (MB)', 'memoryMb', { type: 'number', min: 1 }),
    field('Time limit (minutes)', 'timeLimit', { type: 'number', min: 1 }),
    field('Start after (seconds)', 'startAfter', { type: 'number', min: 0 }),
    field('Script', 'script', { tag: 'textarea', required: true, spellcheck: 'false' }, true),
    el('label', { class: 'checkbox' }, el('input', { type: 'checkbox', name: 'hold' }), 'Submit held'),
    el('div', { class: 'buttons' }, el('button', { class: 'primary', type: 'submit' }, 'Submit job'), error));
  form.elements.script.value = '#!/bin/sh\necho "hello from job $SLURM_JOB_ID on $(hostname)"\n';
  main.replaceChildren(el('h2', {}, 'Submit a job'), form);

  async function send() {
    const f = form.elements;
    for (const i of form.querySelectorAll('.invalid')) i.classList.remove('invalid');
    const number = (v) => (v === '' ? undefined : Number(v));
    const spec = {
      name: f.name.value || undefined, user: f.user.value, workDir: f.workDir.value, script: f.script.value,
      tasks: number(f.tasks.value), cpusPerTask: number(f.cpusPerTask.value), memoryMb: number(f.memoryMb.value),
      timeLimitSeconds: f.timeLimit.value === '' ? undefined : Number(f.timeLimit.value) * 60,
      beginTime: f.startAfter.value === '' || Number(f.startAfter.value) === 0 ? undefined
        : new Date(Date.now() + Number(f.startAfter.value) * 1000).toISOString(),
      hold: f.hold.checked ? 'user' : undefined,
    };
    try {
      const { body } = await api('/api/jobs', { method: 'POST', body: JSON.stringify({ spec }) });
      localStorage.setItem('cadre.user', spec.user);
      localStorage.setItem('cadre.workDir', spec.workDir);
      navigate('#/jobs/' + body.jobId);
    } catch (e) {
      if (!(e instanceof Problem)) throw e;
      error.textContent = e.message;
      const name = (e.field || '').replace(/^spec\./, '').replace(/[.[].*$/, '');
      const input = f[name === 'timeLimitSeconds' ? 'timeLimit' : name === 'beginTime' ? 'startAfter' : name];
      if (input && input.classList) { input.classList.add('invalid'); input.focus(); }
    }
  }
  return {};
}

export const views = { login, jobs, job, nodes, submit, services };
