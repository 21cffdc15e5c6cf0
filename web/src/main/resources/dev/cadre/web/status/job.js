// One job's view (#/jobs/ID): state, history, details, attempts with their errors, the script, the output
// followed live, and the buttons that act on it.
import {
  app, api, el, stateBadge, time, duration, throttle, dismiss, isDismissed, Problem, TERMINAL, FAILED,
} from './app.js';

function facts(pairs) {
  return el('dl', { class: 'facts' }, pairs.filter(([, v]) => v !== null && v !== undefined && v !== '')
    .flatMap(([k, v]) => [el('dt', {}, k), el('dd', {}, v)]));
}

export function job(main, id) {
  let current = null;
  let output = null;
  const timeline = el('ol', { class: 'timeline', 'data-testid': 'timeline' });
  const seen = [];
  function mark(state, at, live) {
    if (seen.length && seen[seen.length - 1] === state) return;
    seen.push(state);
    timeline.append(el('li', { 'data-state': state, 'data-live': live ? 'true' : null }, stateBadge(state), time(at)));
  }
  const header = el('h2');
  const failure = el('div');
  const details = el('div', { class: 'panel' });
  const attempts = el('div', { class: 'panel section' });
  const outputText = el('pre', { class: 'output', 'data-testid': 'output', 'aria-live': 'polite' });
  const outputStatus = el('span', { class: 'muted', 'data-testid': 'output-status' });
  const stream = el('select', { 'aria-label': 'Stream', onchange: () => follow() },
    el('option', { value: 'stdout' }, 'stdout'), el('option', { value: 'stderr' }, 'stderr'));
  const script = el('pre', { class: 'output' });
  main.replaceChildren(header, failure,
    el('div', { class: 'panel section' }, el('h4', {}, 'History'), timeline),
    el('div', { class: 'grid2 section' }, details,
      el('div', { class: 'panel' }, el('h4', {}, 'Output', stream, outputStatus), outputText)),
    attempts, el('div', { class: 'panel section' }, el('h4', {}, 'Script'), script));

  async function action(name) {
    try {
      await api(`/api/jobs/${id}/${name}`, { method: 'POST', body: '{}' });
    } catch (e) {
      if (e instanceof Problem) failure.replaceChildren(el('div', { class: 'failure', role: 'alert' }, el('p', {}, e.message)));
    }
  }

  function render(j) {
    current = j;
    const active = !TERMINAL.has(j.state);
    header.replaceChildren(`Job ${j.displayId}`, j.name ? el('span', { class: 'muted' }, j.name) : '',
      stateBadge(j.state, { 'data-testid': 'job-state' }),
      el('span', { class: 'actions' },
        j.state === 'PENDING' && !j.hold ? el('button', { class: 'secondary', type: 'button', onclick: () => action('hold') }, 'Hold') : null,
        j.hold ? el('button', { class: 'secondary', type: 'button', onclick: () => action('release') }, 'Release') : null,
        active ? el('button', { class: 'danger', type: 'button', 'data-testid': 'cancel',
          onclick: (ev) => { ev.target.disabled = true; action('cancel'); } }, 'Cancel') : null));
    const last = (j.attempts || [])[j.attempts.length - 1];
    if (FAILED.has(j.state) && !isDismissed(j.id)) {
      failure.replaceChildren(el('div', { class: 'failure', role: 'alert', 'data-testid': 'job-failure' },
        el('p', {}, el('strong', {}, `${j.state}`), j.reason ? ' — ' + j.reason : '',
          j.exitCode !== undefined ? `, exit code ${j.exitCode}` : '', last && last.error ? el('br') : null,
          last && last.error ? el('span', { class: 'error-text' }, last.error) : null),
        el('button', { class: 'secondary', type: 'button', onclick: () => { dismiss(j.id); failure.replaceChildren(); } }, 'Dismiss')));
    } else {
      failure.replaceChildren();
    }
    details.replaceChildren(el('h4', {}, 'Details'), facts([
      ['User', j.user], ['State', j.state], [j.state === 'PENDING' ? 'Waiting for' : 'Reason', j.reason],
      ['Submitted', time(j.submitTime)], ['Started', time(j.startTime)], ['Ended', time(j.endTime)],
      ['Elapsed', j.startTime ? duration(j.startTime, j.endTime) : ''], ['Nodes', j.nodeList],
      ['Tasks × CPUs', `${j.tasks} tasks, ${j.cpus} CPUs`], ['Time limit', j.timeLimitSeconds ? j.timeLimitSeconds + ' s' : 'none'],
      ['Exit code', j.exitCode], ['Signal', j.signal || null], ['Attempt', j.attempt], ['Work dir', j.workDir],
      ['Dependency', j.dependency], ['Held', j.hold]]));
    attempts.replaceChildren(el('h4', {}, 'Attempts'), (j.attempts || []).length
      ? el('table', { class: 'stack', 'data-testid': 'attempts' }, el('thead', {}, el('tr', {},
        ['#', 'Nodes', 'Started', 'Ended', 'State', 'Exit', 'Error'].map((h) => el('th', {}, h)))),
      el('tbody', {}, j.attempts.map((a) => el('tr', {},
        el('td', { 'data-label': '#' }, a.attempt), el('td', { 'data-label': 'Nodes' }, a.nodes),
        el('td', { 'data-label': 'Started' }, time(a.startTime)), el('td', { 'data-label': 'Ended' }, time(a.endTime)),
        el('td', { 'data-label': 'State' }, a.state ? stateBadge(a.state) : ''),
        el('td', { 'data-label': 'Exit' }, a.exitCode ?? ''),
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
    if (current) render({ ...current, state: e.state, reason: e.reason, exitCode: e.exitCode ?? current.exitCode });
  }

  async function load() {
    const mine = [];
    during = mine;
    try {
      const { body } = await api('/api/jobs/' + id);
      if (during === mine) during = null;
      render(body);
      mine.forEach(apply);
    } catch (e) {
      header.replaceChildren(e.status === 404 ? `Job ${id} does not exist` : e.message);
    }
  }

  /** Follows the output live; the server ends the stream with "end" or "error", and the source is closed then. */
  function follow() {
    if (output) output.close();
    outputText.textContent = '';
    outputStatus.textContent = 'following…';
    const p = new URLSearchParams({ follow: 'true', tail: '500', stream: stream.value, access_token: app.token });
    output = new EventSource(`/api/jobs/${id}/output?${p}`);
    output.addEventListener('output', (m) => {
      const stick = outputText.scrollTop + outputText.clientHeight >= outputText.scrollHeight - 4;
      outputText.append(JSON.parse(m.data).text);
      if (stick) outputText.scrollTop = outputText.scrollHeight;
    });
    output.addEventListener('end', (m) => {
      const e = JSON.parse(m.data);
      outputStatus.textContent = `attempt ${e.attempt} ended: ${e.state}`;
      output.close();
    });
    output.addEventListener('error', (m) => {
      if (m.data) {
        outputStatus.textContent = JSON.parse(m.data).detail;
        output.close();
      }
    });
  }

  const refresh = throttle(load, 300);
  app.onJob = (e) => {
    if (e.jobId !== Number(id)) return;
    mark(e.state, e.time, true);
    // Shown at once from the event; times, attempts and errors follow from the job read again.
    if (during) during.push(e);
    apply(e);
    if (e.state === 'RUNNING' && e.previous === 'REQUEUED') follow();
    refresh();
  };
  app.onReset = load;
  load().then(follow);
  return { close: () => { if (output) output.close(); } };
}
