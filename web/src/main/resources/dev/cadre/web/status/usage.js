// What a job uses, on its page: an ended attempt's CPU time and peak memory (the attempts table), and while the job
// runs, what each of its nodes reads for it now (GET /api/jobs/ID/usage, what sstat shows), read again every few
// seconds. Each reading makes every node of the job look at its processes, so the page reads only while the job
// runs, the view is open and the tab is shown, one read at a time.
import { api, el } from './app.js';

/** How long after one reading ends the next is asked for. */
export const READ_EVERY_MILLIS = 5000;

/** CPU time, user and system together, in the page's duration style (a tenth of a second under a minute). */
export function cpuTime(u) {
  if (!u || (u.userCpuMicros == null && u.systemCpuMicros == null)) return '';
  const s = ((u.userCpuMicros || 0) + (u.systemCpuMicros || 0)) / 1e6;
  if (s < 60) return s.toFixed(1) + 's';
  const whole = Math.round(s);
  const h = Math.floor(whole / 3600);
  const m = Math.floor((whole % 3600) / 60);
  return (h ? h + 'h ' : '') + m + 'm ' + (whole % 60) + 's';
}

/** Bytes in MiB, or GiB from 1 GiB on; empty when unknown. */
export function memory(bytes) {
  if (bytes == null) return '';
  const mib = bytes / 1048576;
  return mib < 1024 ? mib.toFixed(1) + ' MiB' : (mib / 1024).toFixed(2) + ' GiB';
}

export function peakMemory(u) {
  return u ? memory(u.maxRssBytes) : '';
}

function cell(label, value, attrs = {}) {
  return el('td', { 'data-label': label, ...attrs }, value ?? '');
}

/** The sum of a figure over the nodes that know it; null when none does (a node-runner from before it). */
function sum(nodes, figure) {
  const known = nodes.filter((n) => n[figure] != null);
  return known.length ? known.reduce((total, n) => total + n[figure], 0) : null;
}

const COLUMNS = ['Node', 'CPU time', 'Memory now', 'Peak memory', 'Virtual memory', 'Disk read', 'Disk written',
  'Processes', 'Error'];

/**
 * One row per node, the coordinator first as the server orders them, and a row for the job: the counters (CPU time,
 * disk bytes) summed, the most memory one node holds. Disk figures are storage bytes (the page cache not counted).
 */
function table(reading) {
  const rows = reading.nodes.map((n) => el('tr', { 'data-node': n.nodeId },
    cell('Node', n.coordinator ? `${n.hostname} (first)` : n.hostname),
    cell('CPU time', cpuTime(n.usage), { 'data-testid': 'usage-cpu' }),
    cell('Memory now', memory(n.rssBytes), { 'data-testid': 'usage-rss' }),
    cell('Peak memory', peakMemory(n.usage)),
    cell('Virtual memory', memory(n.vmSizeBytes), { 'data-testid': 'usage-vm' }),
    cell('Disk read', memory(n.diskReadBytes), { 'data-testid': 'usage-disk-read' }),
    cell('Disk written', memory(n.diskWriteBytes), { 'data-testid': 'usage-disk-written' }),
    cell('Processes', n.pids ? n.pids.length : ''),
    cell('Error', n.error, { class: 'error-text' })));
  const read = reading.nodes.filter((n) => !n.error && n.usage);
  const micros = read.reduce((total, n) => total + (n.usage.userCpuMicros || 0) + (n.usage.systemCpuMicros || 0), 0);
  const most = read.reduce((max, n) => Math.max(max, n.usage.maxRssBytes ?? n.rssBytes ?? 0), 0);
  if (reading.nodes.length > 1) {
    const answered = reading.nodes.filter((n) => !n.error);
    rows.push(el('tr', { class: 'total' }, cell('Node', 'all nodes'),
      cell('CPU time', read.length ? cpuTime({ userCpuMicros: micros }) : '', { 'data-testid': 'usage-cpu-total' }),
      cell('Memory now', ''), cell('Peak memory', read.length ? memory(most) + ' on one node' : ''),
      cell('Virtual memory', ''),
      cell('Disk read', memory(sum(answered, 'diskReadBytes'))),
      cell('Disk written', memory(sum(answered, 'diskWriteBytes'))),
      cell('Processes', ''), cell('Error', '')));
  }
  return el('table', { class: 'stack', 'data-testid': 'usage' }, el('thead', {}, el('tr', {},
    COLUMNS.map((h) => el('th', {}, h)))), el('tbody', {}, rows));
}

/**
 * The running job's panel for job id (12, or a task's 12_3): show(job) with each reading of the job starts the
 * readings when it runs and hides the panel when it does not; close() ends them for good.
 */
export function usagePanel(id) {
  const status = el('span', { class: 'muted', 'data-testid': 'usage-status' });
  const body = el('div');
  const panel = el('div', { class: 'panel section', 'data-testid': 'usage-panel', hidden: true },
    el('h4', {}, 'Used so far', status), body);
  let running = false;
  let closed = false;
  let timer = null;
  let reading = false;

  function wanted() {
    return running && !closed && !document.hidden;
  }

  function next(delay) {
    clearTimeout(timer);
    timer = wanted() && !reading ? setTimeout(read, delay) : null;
  }

  async function read() {
    timer = null;
    if (!wanted() || reading) return;
    reading = true;
    try {
      const { body: r } = await api(`/api/jobs/${id}/usage`);
      if (!closed && running) {
        body.replaceChildren(table(r));
        status.textContent = `attempt ${r.attempt}, read at ${new Date().toLocaleTimeString()}`;
      }
    } catch (e) {
      // A 409 is a job that stopped running before its event came: the event hides the panel.
      if (!closed) status.textContent = e.status === 409 ? 'the job is no longer running' : e.message;
    } finally {
      reading = false;
    }
    next(READ_EVERY_MILLIS);
  }

  function onVisibility() {
    if (document.hidden) {
      clearTimeout(timer);
      timer = null;
    } else if (wanted() && !timer && !reading) {
      read();
    }
  }
  document.addEventListener('visibilitychange', onVisibility);

  return {
    panel,
    show(job) {
      const now = job.state === 'RUNNING' || job.state === 'COMPLETING' || job.state === 'SUSPENDED';
      if (now === running) return;
      running = now;
      panel.hidden = !now;
      if (now) {
        body.replaceChildren();
        status.textContent = 'reading…';
        read();
      } else {
        clearTimeout(timer);
        timer = null;
      }
    },
    close() {
      closed = true;
      clearTimeout(timer);
      timer = null;
      document.removeEventListener('visibilitychange', onVisibility);
    },
  };
}
