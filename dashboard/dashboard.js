/*
 * aistorage live dashboard, the page's script (plain browser JavaScript, no build step; uPlot is loaded before it).
 * Reads the server-sent events of `events` — `hello` once, `sample` every interval (rates and ratios the server
 * derived from node.metrics()), `event` per node event — and draws six uPlot charts over a rolling window. Checkpoints
 * (started → finished) and throttling periods (started → stopped) are bands on the time axis of the five time charts.
 * What it holds is on window.__dashboard (counts, the charts) for tests and for a look from the devtools console.
 */
(function () {
  'use strict';

  const WINDOW_S = Number(document.body.dataset.windowMillis || 300000) / 1000;
  const MIN_SPAN_S = 20;
  const PHASES_KEPT = 40;
  const PLOT_HEIGHT = 190;
  const COLORS = ['#2563eb', '#ea580c', '#059669', '#c026d3', '#ca8a04', '#0891b2'];
  const PHASE_COLORS = { write: '#2563eb', sort: '#14b8a6', lockHold: '#f59e0b', lockWait: '#ef4444' };
  const BAND = { checkpoint: 'rgba(37, 99, 235, 0.09)', throttling: 'rgba(220, 38, 38, 0.15)' };
  const EDGE = { checkpoint: 'rgba(37, 99, 235, 0.6)', throttling: 'rgba(220, 38, 38, 0.75)' };

  const state = {
    samples: 0, events: 0, checkpointsMarked: 0, throttlingMarked: 0, connected: false, now: 0,
    t: [], writes: [], regions: new Map(), marks: [],
    phases: { n: [], lockWait: [], lockHold: [], sort: [], write: [] },
    charts: {},
    /** Points in each chart's data (x included), for tests: { writes: 12, ... }. */
    dataLengths: () => Object.fromEntries(Object.entries(state.charts).map(([id, c]) => [id, c.data[0].length])),
  };
  window.__dashboard = state;

  // ---- formatting

  const si = (v) => (v == null ? '–' : v === 0 ? '0' : Math.abs(v) >= 1e6 ? (v / 1e6).toFixed(1) + 'M' : Math.abs(v) >= 1e3 ? (v / 1e3).toFixed(1) + 'k' : v >= 10 ? v.toFixed(0) : v.toFixed(1));
  const pct = (v) => (v == null ? '–' : (v * 100).toFixed(v < 0.1 ? 1 : 0) + '%');
  const ms = (v) => (v == null ? '–' : v === 0 ? '0' : v >= 1000 ? (v / 1000).toFixed(2) + ' s' : v.toFixed(v < 10 ? 1 : 0) + ' ms');
  const durable = () => [...state.regions.entries()].filter(([, r]) => !r.volatile);
  /** A legend value: at the cursor, or the newest point while the cursor is off the chart. */
  const legendValue = (fmt) => (u, v, s, i) => fmt(i == null ? u.data[s][u.data[s].length - 1] : v);
  const TIME_X = { label: 'time', value: (u, v, s, i) => (i == null ? 'now' : new Date(v * 1000).toLocaleTimeString()) };

  // ---- the time charts: one spec each, series built from the regions seen so far

  const Y = {
    ratio: { range: () => [0, 1], values: (u, vals) => vals.map(pct), fmt: pct },
    rate: { range: (u, min, max) => [0, max > 0 ? max * 1.15 : 1], values: (u, vals) => vals.map(si), fmt: si },
    ms: { range: (u, min, max) => [0, max > 0 ? max * 1.15 : 10], values: (u, vals) => vals.map((v) => si(v)), fmt: (v) => (v == null ? '–' : si(v) + ' ms/s') },
  };
  const perRegion = (key, extra) => () => durable().flatMap(([p, r], i) => [{ label: p, values: r[key], color: i }].concat(extra ? extra(p, r, i) : []));
  const TIME_CHARTS = [
    { id: 'writes', y: 'rate', lines: () => [{ label: 'writes/s', values: state.writes, color: 0, fill: true }] },
    { id: 'dirty', y: 'ratio', lines: perRegion('dirty', (p, r, i) => [{ label: p + ' target', values: r.target, color: i, dash: [6, 4] }]) },
    { id: 'buffer', y: 'ratio', lines: perRegion('buffer') },
    { id: 'throttle', y: 'ms', lines: perRegion('throttle') },
    { id: 'hits', y: 'ratio', lines: perRegion('hits') },
  ];

  function plotWidth(id) {
    const el = document.querySelector('#chart-' + id + ' .plot');
    return Math.max(240, el.clientWidth);
  }

  function xRange() {
    const now = state.now || Date.now() / 1000;
    const first = state.t.length > 0 ? state.t[0] : now;
    return [Math.max(now - WINDOW_S, Math.min(first, now - MIN_SPAN_S)), now];
  }

  function makeTimeChart(spec, lines, data) {
    const y = Y[spec.y];
    const series = [TIME_X].concat(lines.map((l) => ({
      label: l.label, stroke: COLORS[l.color % COLORS.length], width: 1.6, dash: l.dash, spanGaps: false,
      fill: l.fill ? COLORS[l.color % COLORS.length] + '22' : undefined, points: { show: false }, value: legendValue(y.fmt),
    })));
    const opts = {
      width: plotWidth(spec.id), height: PLOT_HEIGHT, series, plugins: [bandsPlugin()], cursor: { drag: { x: false, y: false } },
      scales: { x: { time: true, range: xRange }, y: { range: y.range } },
      axes: [{ space: 60 }, { values: y.values, size: 52 }],
    };
    return new uPlot(opts, data, document.querySelector('#chart-' + spec.id + ' .plot'));
  }

  function updateTimeChart(spec) {
    const lines = spec.lines();
    const key = lines.map((l) => l.label).join('|');
    const data = [state.t].concat(lines.map((l) => l.values));
    const chart = state.charts[spec.id];
    if (chart !== undefined && chart.key === key) {
      chart.setData(data);
      return;
    }
    if (chart !== undefined) chart.destroy();
    state.charts[spec.id] = makeTimeChart(spec, lines, data);
    state.charts[spec.id].key = key;
  }

  // ---- bands: checkpoints and throttling periods, drawn under the grid and the lines

  function bandsPlugin() {
    return { hooks: { drawClear: [drawBands] } };
  }

  function drawBands(u) {
    const { ctx, bbox } = u;
    const px = uPlot.pxRatio;
    ctx.save();
    ctx.beginPath();
    ctx.rect(bbox.left, bbox.top, bbox.width, bbox.height);
    ctx.clip();
    ctx.font = 10 * px + 'px system-ui, sans-serif';
    let labelEnd = -Infinity;
    for (const m of state.marks) {
      const x0 = u.valToPos(m.from, 'x', true);
      const x1 = u.valToPos(m.to === null ? state.now : m.to, 'x', true);
      ctx.fillStyle = BAND[m.kind];
      ctx.fillRect(x0, bbox.top, Math.max(x1 - x0, px), bbox.height);
      ctx.fillStyle = EDGE[m.kind];
      ctx.fillRect(x0, bbox.top, px, bbox.height);
      if (m.kind === 'checkpoint' && x0 > labelEnd) {
        ctx.fillText(m.label, x0 + 3 * px, bbox.top + 11 * px);
        labelEnd = x0 + ctx.measureText(m.label).width + 10 * px;
      }
    }
    ctx.restore();
  }

  function openMark(kind, key, at, label) {
    state.marks.push({ kind, key, from: at, to: null, label });
  }

  /** Closes the open band of `key`, or adds a whole one when the page connected after it opened. */
  function closeMark(kind, key, at, from, label) {
    const open = state.marks.find((m) => m.key === key && m.to === null);
    if (open !== undefined) open.to = at;
    else state.marks.push({ kind, key, from, to: at, label });
    if (kind === 'checkpoint') state.checkpointsMarked++;
    else state.throttlingMarked++;
  }

  // ---- checkpoint phases: stacked bars per checkpoint (each series is the sum of itself and those below it)

  const PHASE_ORDER = ['write', 'sort', 'lockHold', 'lockWait'];
  const PHASE_LABELS = { write: 'write', sort: 'sort', lockHold: 'hold', lockWait: 'wait' };

  function stacked() {
    const p = state.phases;
    return PHASE_ORDER.map((_, k) => p.n.map((__, i) => PHASE_ORDER.slice(k).reduce((sum, name) => sum + p[name][i], 0)));
  }

  function makePhasesChart() {
    const bars = uPlot.paths.bars({ size: [0.6, 36] });
    const series = [{ label: 'checkpoint', value: (u, v, s, i) => (i == null ? state.phases.n.length === 0 ? '–' : '#' + state.phases.n[state.phases.n.length - 1] : '#' + v) }].concat(PHASE_ORDER.map((name) => ({
      label: PHASE_LABELS[name], fill: PHASE_COLORS[name], stroke: PHASE_COLORS[name], width: 0, paths: bars, points: { show: false },
      value: (u, v, s, i) => ms(state.phases[name][i == null ? state.phases.n.length - 1 : i]),
    })));
    const opts = {
      width: plotWidth('phases'), height: PLOT_HEIGHT, series, cursor: { drag: { x: false, y: false } },
      scales: { x: { time: false, range: (u, min, max) => (min == null ? [0, 1] : [min - 0.6, max + 0.6]) }, y: { range: (u, min, max) => [0, max > 0 ? max * 1.15 : 10] } },
      axes: [{ incrs: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000], values: (u, vals) => vals.map((v) => (Number.isInteger(v) ? '#' + v : '')), space: 36 },
        { values: (u, vals) => vals.map(ms), size: 60 }],
    };
    return new uPlot(opts, [state.phases.n].concat(stacked()), document.querySelector('#chart-phases .plot'));
  }

  function addPhases(e) {
    const p = state.phases;
    if (p.n.includes(e.checkpoint)) return;
    p.n.push(e.checkpoint);
    for (const name of PHASE_ORDER) p[name].push(e.durations[name]);
    if (p.n.length > PHASES_KEPT) for (const k of Object.keys(p)) p[k].shift();
    state.charts.phases.setData([p.n].concat(stacked()));
    setNow('phases', ms(e.durations.total) + ' total, #' + e.checkpoint);
  }

  // ---- the feed

  function regionSeries(r) {
    let s = state.regions.get(r.profile);
    if (s === undefined) {
      const gap = () => new Array(state.t.length - 1).fill(null);
      s = { volatile: r.volatile, dirty: gap(), target: gap(), buffer: gap(), throttle: gap(), hits: gap() };
      state.regions.set(r.profile, s);
    }
    return s;
  }

  function onSample(sample) {
    state.now = sample.t / 1000;
    state.t.push(state.now);
    state.writes.push(sample.writesPerSec);
    const seen = new Set();
    for (const r of sample.regions) {
      const s = regionSeries(r);
      s.dirty.push(r.dirtyRatio); s.target.push(r.targetDirtyRatio); s.buffer.push(r.bufferFill);
      s.throttle.push(r.throttleMillisPerSec); s.hits.push(r.hitRatio);
      seen.add(r.profile);
    }
    for (const [profile, s] of state.regions) if (!seen.has(profile)) for (const k of ['dirty', 'target', 'buffer', 'throttle', 'hits']) s[k].push(null);
    prune();
    state.samples++;
    for (const spec of TIME_CHARTS) updateTimeChart(spec);
    showNow(sample);
  }

  /** Drops points and bands that left the window. */
  function prune() {
    const from = state.now - WINDOW_S;
    let k = 0;
    while (k < state.t.length && state.t[k] < from) k++;
    if (k > 0) {
      for (const a of [state.t, state.writes]) a.splice(0, k);
      for (const s of state.regions.values()) for (const key of ['dirty', 'target', 'buffer', 'throttle', 'hits']) s[key].splice(0, k);
    }
    state.marks = state.marks.filter((m) => m.to === null || m.to >= from);
  }

  function onEvent(e) {
    state.events++;
    const at = e.at / 1000;
    if (e.type === 'checkpoint.started') openMark('checkpoint', 'cp' + e.checkpoint, at, '#' + e.checkpoint);
    else if (e.type === 'checkpoint.finished') {
      closeMark('checkpoint', 'cp' + e.checkpoint, at, at - e.durations.total / 1000, '#' + e.checkpoint);
      addPhases(e);
    } else if (e.type === 'throttling.started') openMark('throttling', 'th:' + e.region, at, e.region);
    else if (e.type === 'throttling.stopped') closeMark('throttling', 'th:' + e.region, at, at - e.millis / 1000, e.region);
    else return;
    for (const spec of TIME_CHARTS) state.charts[spec.id].redraw(false, false);
    setStatus();
  }

  function setNow(id, text) {
    document.querySelector('[data-now="' + id + '"]').textContent = text;
  }

  function showNow(s) {
    const first = s.regions.find((r) => !r.volatile);
    setNow('writes', si(s.writesPerSec) + '/s');
    if (first === undefined) return;
    setNow('dirty', pct(first.dirtyRatio) + (first.targetDirtyRatio == null ? '' : ' of ' + pct(first.targetDirtyRatio)));
    setNow('buffer', pct(first.bufferFill));
    setNow('throttle', first.throttleMillisPerSec == null ? '–' : (first.throttling ? 'active, ' : '') + si(first.throttleMillisPerSec) + ' ms/s');
    setNow('hits', pct(first.hitRatio));
  }

  function setStatus(text) {
    const el = document.getElementById('status');
    el.textContent = text || (state.connected ? 'live' : 'reconnecting…') + ' · ' + state.samples + ' samples · ' + state.checkpointsMarked + ' checkpoints';
    el.className = state.connected ? 'live' : 'down';
  }

  function connect() {
    const source = new EventSource('events');
    source.addEventListener('open', () => { state.connected = true; setStatus(); });
    source.addEventListener('error', () => { state.connected = false; setStatus(); });
    source.addEventListener('hello', (m) => {
      const hello = JSON.parse(m.data);
      if (hello.lastCheckpoint) addPhases(hello.lastCheckpoint);
    });
    source.addEventListener('sample', (m) => { onSample(JSON.parse(m.data)); setStatus(); });
    source.addEventListener('event', (m) => onEvent(JSON.parse(m.data)));
  }

  function resize() {
    for (const [id, chart] of Object.entries(state.charts)) chart.setSize({ width: plotWidth(id), height: PLOT_HEIGHT });
  }

  for (const spec of TIME_CHARTS) updateTimeChart(spec);
  state.charts.phases = makePhasesChart();
  window.addEventListener('resize', resize);
  connect();
})();
