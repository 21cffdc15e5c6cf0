// A job's output on its page, followed live: the last megabyte of the attempt shown, from the stream chosen. The
// server ends a follow with the attempt; one the browser gave up on is opened again after a wait, and a hidden tab
// closes it until it is shown (see live.js on connections).
import { app, api, el } from './app.js';
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

/**
 * The output panel of job id (12, or a task's 12_3), whose attempt as last read attempt() tells: follow() follows
 * it from the start, started(n) follows attempt n anew when it is a later one than shown, close() ends for good.
 */
export function outputPanel(id, attempt) {
  let output = null;
  // Set once the view is left: a read that ends afterwards must not open a stream nobody sees.
  let closed = false;
  const outputText = el('pre', { class: 'output', 'data-testid': 'output', 'aria-live': 'polite' });
  const outputBody = document.createTextNode('');
  outputText.append(outputBody);
  const outputTrimmed = el('p', { class: 'muted trimmed', 'data-testid': 'output-trimmed', hidden: true });
  const outputStatus = el('span', { class: 'muted', 'data-testid': 'output-status' });
  const stream = el('select', { 'aria-label': 'Stream', onchange: () => follow() },
    el('option', { value: 'stdout' }, 'stdout'), el('option', { value: 'stderr' }, 'stderr'));

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
    shownAttempt = Math.max(attempt(), 1);
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

  return {
    panel: el('div', { class: 'panel' }, el('h4', {}, 'Output', stream, outputStatus), outputTrimmed, outputText),
    follow,
    started: (n) => { if (n > shownAttempt) follow(); },
    close: () => {
      closed = true;
      stopFollow();
      document.removeEventListener('visibilitychange', onVisibility);
    },
  };
}
