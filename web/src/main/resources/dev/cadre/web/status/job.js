// One job's view (#/jobs/ID): state, history, details, attempts with their errors and usage, what the running job
// uses now (usage.js), the script, the output followed live (output.js), and the buttons that act on it; a
// service's instance names its service.
import {
  app, api, el, stateBadge, time, duration, throttle, navigate, Problem, TERMINAL, FAILED, endText, signalText,
} from './app.js';
import { dismiss, isDismissed } from './failures.js';
import { outputPanel } from './output.js';
import { cpuTime, peakMemory, usagePanel } from './usage.js';

function facts(pairs) {
  return el('dl', { class: 'facts' }, pairs.filter(([, v]) => v !== null && v !== undefined && v !== '')
    .flatMap(([k, v]) => [el('dt', {}, k), el('dd', {}, v)]));
}

export function job(main, id) {
  let current = null;
  // A view opened by a task id (12_3) knows the record's id only once it is read.
  const namedId = /^\d+$/.test(id) ? Number(id) : null;
  const timeline = el('ol', { class: 'timeline', 'data-testid': 'timeline' });
  const seen = [];
  // by: who the cancel that ended the job named (sacct's "CANCELLED by"), so that a user's cancel reads apart from
  // the scheduler's own, live from the event as from a read.
  function mark(state, at, live, by) {
    // An event may bring the state a read already drew: one missed while hidden comes when the stream reopens.
    if (seen.length && seen[seen.length - 1] === state) return;
    seen.push(state);
    timeline.append(el('li', { 'data-state': state, 'data-live': live ? 'true' : null }, stateBadge(state),
      by ? el('span', { 'data-testid': 'cancelled-by' }, 'by ' + by) : null, time(at)));
  }
  const header = el('h2');
  const failure = el('div');
  // Kept across renders: the warning a service instance's Cancel shows before it cancels.
  const cancelWarning = el('div');
  const details = el('div', { class: 'panel' });
  const attempts = el('div', { class: 'panel section' });
  const output = outputPanel(id, () => (current ? current.attempt : 0));
  const usage = usagePanel(id);
  const script = el('pre', { class: 'output' });
  main.replaceChildren(header, cancelWarning, failure,
    el('div', { class: 'panel section' }, el('h4', {}, 'History'), timeline),
    el('div', { class: 'grid2 section' }, details, output.panel),
    usage.panel, attempts, el('div', { class: 'panel section' }, el('h4', {}, 'Script'), script));

  async function action(name) {
    try {
      await api(`/api/jobs/${id}/${name}`, { method: 'POST', body: '{}' });
    } catch (e) {
      if (e instanceof Problem) failure.replaceChildren(el('div', { class: 'failure', role: 'alert' }, el('p', {}, e.message)));
    }
  }

  /**
   * A service's instance that ends is replaced by the service: its Cancel first says so, and cancels only when
   * asked again; stopping it for good is scaling the service down or deleting it.
   */
  function cancelInstance(service) {
    const link = el('a', { href: '#/services/' + encodeURIComponent(service) }, 'scale the service down or delete it');
    cancelWarning.replaceChildren(el('div', { class: 'failure', role: 'alert', 'data-testid': 'cancel-warning' },
      el('p', {}, `Job ${id} is an instance of service ${service}, which starts a replacement as soon as it ends. `
        + 'To stop it for good, ', link, '.'),
      el('button', { class: 'danger', type: 'button', 'data-testid': 'confirm-cancel',
        onclick: (ev) => { ev.target.disabled = true; cancelWarning.replaceChildren(); action('cancel'); } },
      'Cancel anyway'),
      el('button', { class: 'secondary', type: 'button', onclick: () => cancelWarning.replaceChildren() }, 'Keep it')));
  }

  function render(j) {
    // A task's page (12_3) shows the record holding the task, which becomes another when the task starts or its
    // part joins a record: the history is then that record's, drawn anew from its times.
    if (current && current.id !== j.id) {
      seen.length = 0;
      timeline.replaceChildren();
    }
    current = j;
    const active = !TERMINAL.has(j.state);
    const service = j.spec ? j.spec.service : null;
    if (!active) cancelWarning.replaceChildren();
    header.replaceChildren(`Job ${j.displayId}`, j.name ? el('span', { class: 'muted' }, j.name) : '',
      stateBadge(j.state, { 'data-testid': 'job-state' }),
      service ? el('span', { class: 'service-of muted' }, 'instance of service ',
        el('a', { href: '#/services/' + encodeURIComponent(service), 'data-testid': 'service-of' }, service)) : '',
      el('span', { class: 'actions' },
        j.state === 'PENDING' && !j.hold ? el('button', { class: 'secondary', type: 'button', onclick: () => action('hold') }, 'Hold') : null,
        j.hold ? el('button', { class: 'secondary', type: 'button', onclick: () => action('release') }, 'Release') : null,
        active ? el('button', { class: 'danger', type: 'button', 'data-testid': 'cancel',
          title: service ? `service ${service} will start a replacement` : null,
          onclick: (ev) => {
            if (service) { cancelInstance(service); return; }
            ev.target.disabled = true;
            action('cancel');
          } }, 'Cancel') : null));
    const last = (j.attempts || [])[j.attempts.length - 1];
    if (FAILED.has(j.state) && !isDismissed(j.id)) {
      const why = [j.reason, endText(j.exitCode, j.signal)].filter(Boolean).join(', ');
      failure.replaceChildren(el('div', { class: 'failure', role: 'alert', 'data-testid': 'job-failure' },
        el('p', {}, el('strong', {}, `${j.state}`), why ? ' — ' + why : '', last && last.error ? el('br') : null,
          last && last.error ? el('span', { class: 'error-text' }, last.error) : null),
        el('button', { class: 'secondary', type: 'button', onclick: () => { dismiss(j.id); failure.replaceChildren(); } }, 'Dismiss')));
    } else {
      failure.replaceChildren();
    }
    details.replaceChildren(el('h4', {}, 'Details'), facts([
      ['User', j.user], ['State', j.state], [j.state === 'PENDING' ? 'Waiting for' : 'Reason', j.reason],
      ['Cancelled by', j.cancelledBy],
      ['Submitted', time(j.submitTime)], ['Begin time', time(j.beginTime)], ['Eligible from', time(j.eligibleTime)],
      ['Started', time(j.startTime)], ['Ended', time(j.endTime)],
      ['Elapsed', j.startTime ? duration(j.startTime, j.endTime) : ''], ['Nodes', j.nodeList],
      ['Tasks × CPUs', `${j.tasks} tasks, ${j.cpus} CPUs`], ['Time limit', j.timeLimitSeconds ? j.timeLimitSeconds + ' s' : 'none'],
      ['Exit code', j.exitCode], ['Signal', signalText(j.signal)], ['Attempt', j.attempt], ['Work dir', j.workDir],
      // A pending job shows what it still waits on, as scontrol does; any other, what it was given.
      ['Dependency', j.dependencyStatus ? j.dependencyStatus.text : j.dependency], ['Held', j.hold]]));
    attempts.replaceChildren(el('h4', {}, 'Attempts'), (j.attempts || []).length
      ? el('table', { class: 'stack', 'data-testid': 'attempts' }, el('thead', {}, el('tr', {},
        ['#', 'Nodes', 'Started', 'Ended', 'State', 'Exit', 'Signal', 'CPU time', 'Peak memory', 'Error']
          .map((h) => el('th', {}, h)))),
      el('tbody', {}, j.attempts.map((a) => el('tr', {},
        el('td', { 'data-label': '#' }, a.attempt), el('td', { 'data-label': 'Nodes' }, a.nodes),
        el('td', { 'data-label': 'Started' }, time(a.startTime)), el('td', { 'data-label': 'Ended' }, time(a.endTime)),
        el('td', { 'data-label': 'State' }, a.state ? stateBadge(a.state) : ''),
        el('td', { 'data-label': 'Exit' }, a.exitCode ?? ''),
        el('td', { 'data-label': 'Signal', 'data-testid': 'attempt-signal' }, signalText(a.signal)),
        el('td', { 'data-label': 'CPU time', 'data-testid': 'attempt-cpu' }, cpuTime(a.usage)),
        el('td', { 'data-label': 'Peak memory', 'data-testid': 'attempt-memory' }, peakMemory(a.usage)),
        el('td', { 'data-label': 'Error', class: 'error-text' }, a.error || '')))))
      : el('p', { class: 'muted' }, 'Not started yet.'));
    script.textContent = j.spec ? j.spec.script : '';
    usage.show(j);
    if (!seen.length) {
      mark('PENDING', j.submitTime, false);
      if (j.startTime) mark('RUNNING', j.startTime, false);
      if (j.state !== 'PENDING' && j.state !== 'RUNNING') mark(j.state, j.endTime, false, j.cancelledBy);
    }
  }

  // Events that arrive while the job is read again: the read may predate them, so they are applied after it. A
  // task's page (12_3) keeps other records' too: the read may find that the task has moved to one of them.
  let during = null;
  function apply(e) {
    if (current) {
      render({ ...current, state: e.state, reason: e.reason, exitCode: e.exitCode ?? current.exitCode,
        signal: e.signal ?? current.signal, attempt: Math.max(current.attempt, e.attempt || 0),
        cancelledBy: canceller(e) ?? current.cancelledBy });
    }
  }

  /** Reads the job and shows it; false when it cannot be read. */
  async function load() {
    const mine = [];
    during = mine;
    try {
      const { body } = await api('/api/jobs/' + id);
      if (during === mine) during = null;
      render(body);
      // Of the record read, events shown as they came are applied again. Those kept unshown, as the task had not
      // yet moved to it, are shown if the read predates them (it left the history at their previous state), and
      // the record is read again for what they changed beyond the state: times, attempts, exit codes.
      const ours = mine.filter((m) => m.e.jobId === body.id);
      for (const { e, kept } of ours) {
        if (!kept) apply(e);
        else if (e.type === 'job-state-changed' && e.previous === seen[seen.length - 1]) show(e);
      }
      if (ours.some((m) => m.kept)) refresh();
      return true;
    } catch (e) {
      header.replaceChildren(e.status === 404 ? `Job ${id} does not exist` : e.message);
      return false;
    }
  }

  /** Who ended the job by a named cancel, as the REST API shows it: on the CANCELLED alone, not the kill's step. */
  function canceller(e) {
    return e.type === 'job-state-changed' && e.state === 'CANCELLED' ? e.cancelledBy : null;
  }

  /** An event of the record shown: a step of its history, and its state at once. */
  function show(e) {
    // A job-updated (a hold, release or update) changes no state: it is no step of the history.
    if (e.type === 'job-state-changed') mark(e.state, e.time, true, canceller(e));
    apply(e);
    // A requeued job starts again as a new attempt (REQUEUED, PENDING, RUNNING): its output is followed anew.
    if (e.state === 'RUNNING') output.started(e.attempt);
  }

  const refresh = throttle(load, 300);
  app.onJob = (e) => {
    if (e.jobId !== (current ? current.id : namedId)) {
      if (during && id.includes('_')) during.push({ e, kept: true });
      // A task that has not started is inside its array's record; it starts as a new record of its own.
      if (current && current.arrayTaskId == null && id.includes('_') && e.type === 'job-state-changed'
        && e.previous === null) refresh();
      return;
    }
    // A part of an array's pending tasks whose tasks joined another record is gone. A page named by a task
    // (12_4) reads the task again, now in that record; a page of the part goes to that record.
    if (e.type === 'array-part-joined') {
      if (id.includes('_')) refresh();
      else navigate('#/jobs/' + e.into);
      return;
    }
    // Shown at once from the event; times, attempts and errors follow from the job read again.
    if (during) during.push({ e });
    show(e);
    refresh();
  };
  app.onReset = load;
  // A job that cannot be read has no output to follow: the header says why.
  load().then((found) => { if (found) output.follow(); });
  return { close: () => { output.close(); usage.close(); } };
}
