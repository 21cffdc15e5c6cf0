// The event stream (/api/events) that keeps every view live, and what keeps it open: a stream the browser gave up
// on is opened again after a wait, and a hidden tab gives its connection back.
import { app, api, refreshSummary } from './app.js';
import { noteFailure, loadFailures } from './failures.js';

// A browser opens about six HTTP/1.1 connections to a host, for all its tabs together, and each open event
// stream holds one: a hidden tab closes its streams and opens them again when it is shown, so that forgotten
// tabs do not leave the visible one waiting. The events it missed meanwhile come with the reopened stream.
let events = null;
/** The id of the last event seen: a reopened stream goes on after it (or starts with a reset). */
let lastEventId = null;
let retryTimer = null;
let retryMillis = 0;
const RETRY_FIRST_MILLIS = 1000;
const RETRY_MOST_MILLIS = 30_000;

/** The next wait before opening a stream the browser gave up on: doubling, from a second to at most 30. */
export function nextRetryMillis(previous) {
  return Math.min(RETRY_MOST_MILLIS, previous ? previous * 2 : RETRY_FIRST_MILLIS);
}

/** Closes the stream for good: the token is gone. */
export function disconnect() {
  closeEvents();
  lastEventId = null;
}

function closeEvents() {
  if (events) { events.close(); events = null; }
  clearTimeout(retryTimer);
  retryTimer = null;
}

/** Reads again what the views show: after a reset, or a stream reopened without an id to go on from. */
function readAgain() {
  if (app.onReset) app.onReset();
  refreshSummary();
  // Failures may have come among the events missed.
  loadFailures().catch(() => {});
}

/** @param reopen whether this replaces a stream that was closed: what it missed must be made up for */
export function connect(reopen = false) {
  closeEvents();
  if (!app.token || document.hidden) return;
  // EventSource cannot send headers: the token goes as access_token. It reconnects by itself with Last-Event-ID;
  // a stream opened anew names the last id as lastEventId instead.
  const p = new URLSearchParams({ access_token: app.token });
  if (lastEventId) p.set('lastEventId', lastEventId);
  const source = new EventSource('/api/events?' + p);
  events = source;
  const live = document.getElementById('live');
  live.hidden = false;
  // Without an id the server cannot replay what was missed, so the views read it again.
  const missed = reopen && !lastEventId;
  source.onopen = () => {
    retryMillis = 0;
    live.textContent = 'live';
    live.classList.add('on');
    if (missed) readAgain();
  };
  source.onerror = () => {
    live.textContent = 'reconnecting';
    live.classList.remove('on');
    // CLOSED: the server answered other than 200 (a 503 when it holds too many streams, a 401 or 403), and the
    // browser will not try again by itself.
    if (source.readyState === EventSource.CLOSED && events === source) {
      events = null;
      retryLater();
    }
  };
  const seen = (m) => { if (m.lastEventId) lastEventId = m.lastEventId; };
  source.addEventListener('job', (m) => {
    seen(m);
    const e = JSON.parse(m.data);
    e.receivedAt = Date.now();
    window.dispatchEvent(new CustomEvent('cadre-job', { detail: e }));
    noteFailure(e);
    if (app.onJob) app.onJob(e);
    refreshSummary();
  });
  source.addEventListener('node', (m) => {
    seen(m);
    const e = JSON.parse(m.data);
    if (app.onNode) app.onNode(e);
    refreshSummary();
  });
  source.addEventListener('reset', (m) => {
    seen(m);
    readAgain();
  });
}

/** Opens the stream again after a wait; first asks why it failed, as the EventSource cannot tell. */
function retryLater() {
  retryMillis = nextRetryMillis(retryMillis);
  retryTimer = setTimeout(async () => {
    retryTimer = null;
    try {
      await api('/api/cluster');
    } catch (e) {
      // A 401 or 403 signed out (api did); anything else may pass, so the stream is tried again.
      if (!app.token) return;
    }
    connect(true);
  }, retryMillis);
}

document.addEventListener('visibilitychange', () => {
  if (!app.token) return;
  if (document.hidden) {
    closeEvents();
    const live = document.getElementById('live');
    live.textContent = 'paused';
    live.classList.remove('on');
  } else if (!events && !retryTimer) {
    connect(true);
  }
});
