// Scripts that record, on window, what a page shows, receives and asks for, for the steps to read: each is handed to
// addInitScript, so it runs in the page before the page's own scripts.

// Records every state the job page's and the table's badges show, in order, as the DOM changes.
export function recordStates() {
  window.__states = {};
  const note = (node) => {
    for (const b of node.querySelectorAll ? node.querySelectorAll('[data-testid=job-state], [data-testid=row-state]') : []) {
      const id = b.dataset.testid === 'job-state' ? location.hash.split('/')[2] : b.closest('tr')?.dataset.jobId;
      if (!id) continue;
      const seen = (window.__states[id] ||= []);
      if (seen[seen.length - 1] !== b.textContent) seen.push(b.textContent);
    }
  };
  new MutationObserver((records) => records.forEach((r) => note(r.target.parentNode || r.target)))
    .observe(document, { subtree: true, childList: true, characterData: true });
}

// Keeps every job event the page receives, as live.js hands them to the views.
export function recordJobEvents() {
  window.__events = [];
  window.addEventListener('cadre-job', (ev) => window.__events.push(ev.detail));
}

// Keeps the path of every request the page makes with fetch, at the moment it asks.
export function recordFetches() {
  const original = window.fetch;
  window.__fetched = [];
  window.fetch = (resource, options) => {
    window.__fetched.push(String(resource));
    return original.call(window, resource, options);
  };
}

// Keeps every EventSource the page opens, to see that signing out closes them.
export function recordEventSources() {
  const Original = window.EventSource;
  window.__sources = [];
  window.EventSource = class extends Original {
    constructor(...args) {
      super(...args);
      window.__sources.push(this);
    }
  };
}
