// The summary's chart: cores in use (as a share of the cores UP at each point) and queue length over the last hour,
// as SVG.
const NS = 'http://www.w3.org/2000/svg';
const W = 600;
const H = 96;

function svg(tag, attrs) {
  const e = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  return e;
}

/** points: [{time, coresTotal, coresAllocated, queued}], oldest first; coresTotal what the nodes offered then. */
export function drawChart(box, points) {
  if (!box) return;
  const root = svg('svg', { viewBox: `0 0 ${W} ${H}`, preserveAspectRatio: 'none', role: 'img',
    'aria-label': 'Cores in use and queue length over the last hour' });
  for (const y of [H * 0.25, H * 0.5, H * 0.75]) root.append(svg('line', { class: 'grid', x1: 0, x2: W, y1: y, y2: y }));
  if (points.length) {
    const now = Date.now();
    const from = now - 3600_000;
    const x = (t) => ((new Date(t) - from) / 3600_000) * W;
    const maxQueue = Math.max(1, ...points.map((p) => p.queued));
    const util = (p) => H - 2 - (p.coresTotal ? Math.min(1, p.coresAllocated / p.coresTotal) : 0) * (H - 4);
    const queue = (p) => H - 2 - (p.queued / maxQueue) * (H - 4);
    // Steps: a value holds until the next point, and the last one until now.
    const steps = (y) => points.map((p, i) => `${i ? 'H' : 'M'}${x(p.time).toFixed(1)} ${i ? 'V' : ''}${y(p).toFixed(1)}`)
      .join(' ') + ` H${W}`;
    const line = steps(util);
    root.append(svg('path', { class: 'util-area', d: `${line} V${H} H${x(points[0].time).toFixed(1)} Z` }));
    root.append(svg('path', { class: 'util', d: line, 'data-testid': 'chart-util' }));
    root.append(svg('path', { class: 'queue', d: steps(queue), 'data-testid': 'chart-queue' }));
  }
  box.replaceChildren(root);
}
