// One job's view (#/jobs/ID): state, history, details, attempts with their errors, the script, the output
// followed live, and the buttons that act on it; a service's instance names its service.
import {
  app, api, el, stateBadge, time, duration, throttle, navigate, Problem, TERMINAL, FAILED, endText, signalText,
} from './app.js';
import { dismiss, isDismissed } from './failures.js';
import { nextRetryMillis } from './live.js';

/** The most output kept on screen, in characters: a job that writes for days would otherwise fill the tab. */
const OUTPUT_KEPT = 1 << 20;
/** How far past OUTPUT_KEPT the output may grow before it is cut: not at every piece. */
const OUTPUT_SLACK = 256 * 1024;

/** How much of the front of text to drop so that at most kept characters stay: up to a line's start when near. */
function trimPoint(text, kept) {
  if (text.length <= kept) return 0;
  const cut = text.length - kept;
  const line = text.indexOf('\n', cut);
  return line >= 0 && line - cut < 4096 ? line + 1 : cut;
}

function facts(pairs) {
  return el('dl', { class: 'facts' }, pairs.filter(([, v]) => v !== null && v !== undefined && v !== '')
    .flatMap(([k, v]) => [el('dt', {}, k), el('dd', {}, v)]));
}

export function job(main, id) {
  let current = null;
  let output = null;
  // Set once the view is left: a read that ends afterwards must not open a stream nobody sees.
  let closed = false;
  // A view opened by a task id (12_3) knows the record's id only once it is read.
  const namedId = /^\d+$/.test(id) ? Number(id) : null;
  const timeline = el('ol', { class: 'timeline', 'data-testid': 'timeline' });
  const seen = [];
  function mark(state, at, live) {
    if (seen.length && seen[seen.length - 1] === state) return;
    seen.push(state);
    timeline.append(el('li', { 'data-state': state, 'data-live': live ? 'true' : null }, stateBadge(state), time(at)));
  }
  const header = el('h2');
  const failure = el('div');
  // Kept across renders: the warning a service instance's Cancel shows before it cancels.
  const cancelWarning = el('div');
  const details = el('div', { class: 'panel' });
  const attempts = el('div', { class: 'panel section' });
  const outputText = el('pre', { class: 'output', 'data-testid': 'output', 'aria-live': 'polite' });
  const outputBody = document.createTextNode('');
  outputText.append(outputBody);
  const outputTrimmed = el('p', { class: 'muted trimmed', 'data-testid': 'output-trimmed', hidden: true });
  const outputStatus = el('span', { class: 'muted', 'data-testid': 'output-status' });
  const stream = el('select', { 'aria-label': 'Stream', onchange: () => follow() },
    el('option', { value: 'stdout' }, 'stdout'), el('option', { value: 'stderr' }, 'stderr'));
  const script = el('pre', { class: 'output' });
  main.replaceChildren(header, cancelWarning, failure,
    el('div', { class: 'panel section' }, el('h4', {}, 'History'), timeline),
    el('div', { class: 'grid2 section' }, details,
      el('div', { class: 'panel' }, el('h4', {}, 'Output', stream, outputStatus), outputTrimmed, outputText)),
    attempts, el('div', { class: 'panel section' }, el('h4', {}, 'Script'), script));

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
      ['Submitted', time(j.submitTime)], ['Begin time', time(j.beginTime)], ['Eligible from', time(j.eligibleTime)],
      ['Started', time(j.startTime)], ['Ended', time(j.endTime)],
      ['Elapsed', j.startTime ? duration(j.startTime, j.endTime) : ''], ['Nodes', j.nodeList],
      ['Tasks × CPUs', `${j.tasks} tasks, ${j.cpus} CPUs`], ['Time limit', j.timeLimitSeconds ? j.timeLimitSeconds + ' s' : 'none'],
      ['Exit code', j.exitCode], ['Signal', signalText(j.signal)], ['Attempt', j.attempt], ['Work dir', j.workDir],
      ['Dependency', j.dependency], ['Held', j.hold]]));
    attempts.replaceChildren(el('h4', {}, 'Attempts'), (j.attempts || []).length
      ? el('table', { class: 'stack', 'data-testid': 'attempts' }, el('thead', {}, el('tr', {},
        ['#', 'Nodes', 'Started', 'Ended', 'State', 'Exit', 'Signal', 'Error'].map((h) => el('th', {}, h)))),
      el('tbody', {}, j.attempts.map((a) => el('tr', {},
        el('td', { 'data-label': '#' }, a.attempt), el('td', { 'data-label': 'Nodes' }, a.nodes),
        el('td', { 'data-label': 'Started' }, time(a.startTime)), el('td', { 'data-label': 'Ended' }, time(a.endTime)),
        el('td', { 'data-label': 'State' }, a.state ? stateBadge(a.state) : ''),
        el('td', { 'data-label': 'Exit' }, a.exitCode ?? ''),
        el('td', { 'data-label': 'Signal', 'data-testid': 'attempt-signal' }, signalText(a.signal)),
        el('td', { 'data-label': 'Error', class: 'error-text' }, a.error || '')))))
      : el('p', { class: 'muted' }, 'Not started yet.'));
    script.textContent = j.spec ? j.spec.script : '';
    if (!seen.length) {
      mark('PENDING', j.submitTime, false);
      if (j.startTime) mark('RUNNING', j.startTime, false);
      if (j.state !== 'PENDING' && j.state !== 'RUNNING') mark(j.state, j.endTime, false);
    }
  }

  // Events that arrive while the job is read again: the read may predate them, so they are applied after it.
  let during = null;
  function apply(e) {
    if (current) {
      render({ ...current, state: e.state, reason: e.reason, exitCode: e.exitCode ?? current.exitCode,
        signal: e.signal ?? current.signal, attempt: Math.max(current.attempt, e.attempt || 0) });
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
      mine.forEach(apply);
      return true;
    } catch (e) {
      header.replaceChildren(e.status === 404 ? `Job ${id} does not exist` : e.message);
      return false;
    }
  }

  // The attempt whose output is shown, or awaited: a later one that starts is followed instead.
  let shownAttempt = 0;
  let followRetryMillis = 0;
  let followTimer = null;
  // A follow closed while the tab is hidden, to open again when it is shown (see live.js on connections).
  let pausedFollow = false;

  function appendOutput(text) {
    outputBody.appendData(text);
    if (outputBody.length > OUTPUT_KEPT + OUTPUT_SLACK) {
      const cut = trimPoint(outputBody.data, OUTPUT_KEPT);
      outputBody.deleteData(0, cut);
      outputTrimmed.dataset.dropped = String(Number(outputTrimmed.dataset.dropped || 0) + cut);
      outputTrimmed.textContent = `Earlier output was trimmed: only the last ${OUTPUT_KEPT / 1024 / 1024} MB is kept `
        + `here (${Number(outputTrimmed.dataset.dropped).toLocaleString()} characters dropped).`;
      outputTrimmed.hidden = false;
    }
  }

  function stopFollow() {
    if (output) { output.close(); output = null; }
    clearTimeout(followTimer);
    followTimer = null;
  }

  /** Follows the output live; the server ends the stream with "end" or "error", and the source is closed then. */
  function follow() {
    stopFollow();
    if (closed) return;
    outputBody.data = '';
    outputTrimmed.hidden = true;
    delete outputTrimmed.dataset.dropped;
    shownAttempt = Math.max(current ? current.attempt : 0, 1);
    if (document.hidden) {
      pausedFollow = true;
      outputStatus.textContent = 'paused while the tab is hidden';
      return;
    }
    outputStatus.textContent = 'following…';
    const p = new URLSearchParams({ follow: 'true', tail: '500', stream: stream.value, access_token: app.token });
    const source = new EventSource(`/api/jobs/${id}/output?${p}`);
    output = source;
    source.onopen = () => { followRetryMillis = 0; };
    source.addEventListener('output', (m) => {
      // Its id is ATTEMPT:OFFSET.
      shownAttempt = Math.max(shownAttempt, parseInt(m.lastEventId, 10) || 0);
      const stick = outputText.scrollTop + outputText.clientHeight >= outputText.scrollHeight - 4;
      appendOutput(JSON.parse(m.data).text);
      if (stick) outputText.scrollTop = outputText.scrollHeight;
    });
    source.addEventListener('end', (m) => {
      const e = JSON.parse(m.data);
      shownAttempt = Math.max(shownAttempt, e.attempt);
      outputStatus.textContent = `attempt ${e.attempt} ended` + (e.state ? `: ${e.state}` : '');
      stopFollow();
    });
    source.addEventListener('error', (m) => {
      if (m.data) {
        outputStatus.textContent = JSON.parse(m.data).detail;
        stopFollow();
      } else if (source.readyState === EventSource.CLOSED && output === source) {
        // The server answered other than 200 (a 503 when it holds too many streams, say); the browser gives up.
        output = null;
        outputStatus.textContent = 'output not available; trying again…';
        followRetryMillis = nextRetryMillis(followRetryMillis);
        followTimer = setTimeout(retryFollow, followRetryMillis);
      }
    });
  }

  /** Asks why the follow failed, as the EventSource cannot tell: a 401 or 403 signs out, a 404 is shown. */
  async function retryFollow() {
    followTimer = null;
    try {
      await api('/api/jobs/' + id);
    } catch (e) {
      if (!app.token) return;
      if (e.status === 404) { outputStatus.textContent = `job ${id} does not exist`; return; }
    }
    follow();
  }

  function onVisibility() {
    if (document.hidden) {
      if (output || followTimer) {
        stopFollow();
        pausedFollow = true;
        outputStatus.textContent = 'paused while the tab is hidden';
      }
    } else if (pausedFollow) {
      pausedFollow = false;
      follow();
    }
  }
  document.addEventListener('visibilitychange', onVisibility);

  const refresh = throttle(load, 300);
  app.onJob = (e) => {
    if (e.jobId !== (current ? current.id : namedId)) {
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
    // A job-updated (a hold, release or update) changes no state: it is no step of the history.
    if (e.type === 'job-state-changed') mark(e.state, e.time, true);
    // Shown at once from the event; times, attempts and errors follow from the job read again.
    if (during) during.push(e);
    apply(e);
    // A requeued job starts again as a new attempt (REQUEUED, PENDING, RUNNING): its output is followed anew.
    if (e.state === 'RUNNING' && e.attempt > shownAttempt) follow();
    refresh();
  };
  app.onReset = load;
  // A job that cannot be read has no output to follow: the header says why.
  load().then((found) => { if (found) follow(); });
  return {
    close: () => {
      closed = true;
      stopFollow();
      document.removeEventListener('visibilitychange', onVisibility);
    },
  };
}
