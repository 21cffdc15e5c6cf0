// The services view (#/services, #/services/NAME to pick one out): each standing service with its state, its
// instances running against those wanted, its failures against the budget, the last error and the next attempt
// while it backs off; a service is scaled or deleted from its row.
import { app, api, el, stateBadge, time, throttle } from './app.js';

/** The failure budget a service without one of its own gets (ServiceSpec.DEFAULT_FAILURE_BUDGET). */
const DEFAULT_FAILURE_BUDGET = 10;
/**
 * No event says that a service changed, only that its instances did: the list is also read every few seconds, for a
 * backoff that ends, a service turned FAILED or created elsewhere.
 */
const POLL_MILLIS = 5000;

function budget(s) {
  return s.failureBudget ?? s.spec?.maxConsecutiveFailures ?? DEFAULT_FAILURE_BUDGET;
}

/** When the next instance is placed, while the service waits out a backoff; '' once that time has passed. */
function nextAttemptText(iso) {
  if (!iso) return '';
  const seconds = Math.round((new Date(iso) - Date.now()) / 1000);
  return seconds > 0 ? `${time(iso)} (in ${seconds} s)` : '';
}

/** The service named in the address; a malformed one (#/services/%E0%A4%A) is kept as is, a name no service has. */
function pickedName(arg) {
  try {
    return decodeURIComponent(arg);
  } catch {
    return arg;
  }
}

export function services(main, arg) {
  const picked = arg ? pickedName(arg) : null;
  const error = el('div', { 'data-testid': 'services-error' });
  const tbody = el('tbody');
  const info = el('p', { class: 'muted', 'data-testid': 'services-info' });
  main.replaceChildren(el('h2', {}, 'Services'), error,
    el('div', { class: 'panel' },
      el('table', { class: 'stack services', 'data-testid': 'services' }, el('thead', {}, el('tr', {},
        ['Service', 'State', 'Running / wanted', 'Pending', 'Failures', 'Last error', 'Next attempt', ''].map((h, i) =>
          el('th', { class: [3, 6].includes(i) ? 'hide-narrow' : null }, h)))), tbody)),
    info);
  /** Rows by service name, kept across reads: a replicas field being edited or a Delete asked for stays so. */
  const rows = new Map();
  let closed = false;

  function showError(e) {
    if (closed) return;
    error.replaceChildren(el('div', { class: 'failure', role: 'alert' }, el('p', {}, e.message),
      el('button', { class: 'secondary', type: 'button', onclick: () => error.replaceChildren() }, 'Dismiss')));
  }

  /** Sends a change; the list is read again at once, as the answer says only that the scheduler took it. */
  async function change(method, name, body) {
    error.replaceChildren();
    try {
      await api('/api/services/' + encodeURIComponent(name), { method, body: body ? JSON.stringify(body) : undefined });
      return true;
    } catch (e) {
      showError(e);
      return false;
    } finally {
      reload();
    }
  }

  function row(name) {
    const cell = (label, testid, narrow) => el('td', { 'data-label': label, 'data-testid': testid,
      class: narrow ? 'hide-narrow' : null });
    const r = {
      state: cell('State', 'service-state'), replicas: cell('Running / wanted', 'service-replicas'),
      pending: cell('Pending', 'service-pending', true), failures: cell('Failures', 'service-failures'),
      lastError: cell('Last error', 'service-error'), next: cell('Next attempt', 'service-next', true),
    };
    r.input = el('input', { type: 'number', name: 'replicas', min: 0, 'aria-label': `Replicas of ${name}`,
      oninput: () => { r.input.dataset.edited = 'true'; } });
    r.scale = el('button', { class: 'secondary', type: 'button', 'data-testid': 'scale', onclick: async () => {
      if (r.input.value === '') return;
      if (await change('POST', name, { replicas: Number(r.input.value) })) delete r.input.dataset.edited;
    } }, 'Scale');
    // Deleting stops every instance: the first click asks, the second deletes.
    r.remove = el('button', { class: 'danger', type: 'button', 'data-testid': 'delete-service', onclick: () => {
      if (r.remove.dataset.armed) {
        r.remove.disabled = true;
        change('DELETE', name).then((ok) => {
          // Failed (the scheduler busy, a network error): the row stays, so can the Delete, asked again.
          if (ok) return;
          r.remove.disabled = false;
          delete r.remove.dataset.armed;
          r.remove.textContent = 'Delete';
        });
      } else {
        r.remove.dataset.armed = 'true';
        r.remove.textContent = 'Delete: stop every instance';
      }
    } }, 'Delete');
    r.tr = el('tr', { 'data-service': name, class: name === picked ? 'picked' : null },
      el('td', { 'data-label': 'Service' }, el('strong', {}, name)), r.state, r.replicas, r.pending, r.failures,
      r.lastError, r.next, el('td', { class: 'service-actions' }, r.input, r.scale, r.remove));
    return r;
  }

  function draw(s, r) {
    r.state.replaceChildren(stateBadge(s.state));
    r.replicas.textContent = `${s.running} / ${s.replicas}`;
    r.pending.textContent = String(s.pending);
    r.failures.textContent = `${s.consecutiveFailures} / ${budget(s)}`;
    r.lastError.textContent = s.lastError || '';
    r.lastError.classList.toggle('error-text', Boolean(s.lastError));
    r.next.textContent = nextAttemptText(s.nextAttempt);
    if (!r.input.dataset.edited && document.activeElement !== r.input) r.input.value = String(s.replicas);
    const deleting = s.state === 'DELETING';
    r.input.disabled = r.scale.disabled = deleting;
    if (deleting) {
      r.remove.disabled = true;
      r.remove.textContent = 'Deleting…';
    }
  }

  async function load() {
    const { body } = await api('/api/services');
    if (closed) return;
    const names = new Set(body.map((s) => s.name));
    for (const [name, r] of rows) {
      if (!names.has(name)) { r.tr.remove(); rows.delete(name); }
    }
    body.forEach((s, i) => {
      let r = rows.get(s.name);
      if (!r) { r = row(s.name); rows.set(s.name, r); }
      draw(s, r);
      // In the API's order; a row already in place is not moved, which would take the focus off its field.
      if (tbody.children[i] !== r.tr) tbody.insertBefore(r.tr, tbody.children[i] || null);
    });
    info.textContent = body.length ? '' : 'No services. Create one with "cadre service create" or POST /api/services.';
    if (picked && !names.has(picked)) info.textContent = `Service ${picked} does not exist (any more).`;
  }

  const reload = throttle(() => load().catch(showError), 1000);
  // Instances starting and ending change the counts, failures and state.
  app.onJob = reload;
  app.onReset = reload;
  const poll = setInterval(reload, POLL_MILLIS);
  load().catch(showError);
  return {
    close: () => {
      closed = true;
      clearInterval(poll);
    },
  };
}
