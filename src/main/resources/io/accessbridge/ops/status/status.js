// Status page of the Access Event Bridge: polls /api/status and /api/events/recent every 2 s and
// draws the tables and the per-minute chart. No libraries, nothing loaded from elsewhere.
(function () {
  'use strict';
  var POLL_MS = 2000;

  function el(tag, attrs, children) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === 'text') { e.textContent = attrs[k]; } else { e.setAttribute(k, attrs[k]); }
    });
    (children || []).forEach(function (c) { e.appendChild(typeof c === 'string' ? document.createTextNode(c) : c); });
    return e;
  }
  function pill(state) { return el('span', { 'class': 'pill ' + (state || 'UNKNOWN'), text: state || '-' }); }
  function num(n) { return n === null || n === undefined ? '-' : Number(n).toLocaleString('en'); }
  function td(content, cls) {
    var c = el('td', cls ? { 'class': cls } : {});
    if (content instanceof Node) { c.appendChild(content); } else { c.textContent = content === null || content === undefined ? '-' : String(content); }
    return c;
  }
  function ago(iso) {
    if (!iso) { return '-'; }
    var s = Math.max(0, Math.round((Date.now() - Date.parse(iso)) / 1000));
    if (s < 60) { return s + ' s ago'; }
    if (s < 3600) { return Math.floor(s / 60) + ' min ago'; }
    if (s < 86400) { return Math.floor(s / 3600) + ' h ago'; }
    return Math.floor(s / 86400) + ' d ago';
  }
  function clock(iso) { return iso ? new Date(iso).toISOString().substring(11, 19) + 'Z' : '-'; }
  function duration(seconds) {
    var d = Math.floor(seconds / 86400), h = Math.floor(seconds % 86400 / 3600), m = Math.floor(seconds % 3600 / 60);
    return (d ? d + 'd ' : '') + (d || h ? h + 'h ' : '') + m + 'm ' + (seconds % 60) + 's';
  }
  function fill(tbody, rows) {
    while (tbody.firstChild) { tbody.removeChild(tbody.firstChild); }
    rows.forEach(function (r) { tbody.appendChild(r); });
  }

  function chart(points) {
    var W = 720, H = 160, left = 40, bottom = 18, top = 8;
    var max = points.reduce(function (m, p) { return Math.max(m, p.n); }, 0);
    var scale = max > 0 ? max : 1;
    var svgNs = 'http://www.w3.org/2000/svg';
    var svg = document.createElementNS(svgNs, 'svg');
    svg.setAttribute('viewBox', '0 0 ' + W + ' ' + H);
    svg.setAttribute('preserveAspectRatio', 'none');
    function add(tag, attrs, text) {
      var e = document.createElementNS(svgNs, tag);
      Object.keys(attrs).forEach(function (k) { e.setAttribute(k, attrs[k]); });
      if (text !== undefined) { e.textContent = text; }
      svg.appendChild(e); return e;
    }
    var plotH = H - bottom - top, plotW = W - left - 4, bw = plotW / points.length;
    [0, 0.5, 1].forEach(function (f) {
      var y = top + plotH * (1 - f);
      add('line', { x1: left, x2: W, y1: y, y2: y });
      add('text', { x: left - 4, y: y + 3, 'text-anchor': 'end' }, num(Math.round(scale * f)));
    });
    points.forEach(function (p, i) {
      var h = plotH * p.n / scale;
      var r = add('rect', { 'class': 'bar', x: left + i * bw + 1, y: top + plotH - h, width: Math.max(1, bw - 2), height: h });
      var t = document.createElementNS(svgNs, 'title');
      t.textContent = clock(p.t).substring(0, 5) + ' UTC: ' + p.n + ' events';
      r.appendChild(t);
      if (i % 10 === 0 || i === points.length - 1) {
        var last = i === points.length - 1;
        add('text', { x: last ? W - 2 : left + i * bw, y: H - 4, 'text-anchor': last ? 'end' : 'start' },
          last ? 'now' : '-' + (points.length - 1 - i) + ' min');
      }
    });
    var box = document.getElementById('chart');
    while (box.firstChild) { box.removeChild(box.firstChild); }
    box.appendChild(svg);
  }

  function devices(list) {
    var rows = list.map(function (d) {
      var channels = Object.keys(d.channels).map(function (c) { return c + ': ' + d.channels[c].state; }).join(', ');
      var state = el('span', {}, [pill(d.state)]);
      if (d.reason) { state.appendChild(el('span', { 'class': 'reason', text: ' ' + d.reason })); }
      return el('tr', { 'data-device': d.id }, [
        td(d.id), td(d.generation), td(state), td(ago(d.since)), td(ago(d.lastEventAt)),
        td(num(d.events), 'num events'), td(d.lag === null ? '-' : num(d.lag), 'num'),
        td(d.subscription ? pill(d.subscription) : '-'), td(channels || (d.eventsByChannel ? Object.keys(d.eventsByChannel).join(', ') : '-'))
      ]);
    });
    fill(document.querySelector('#devices tbody'), rows);
    var counts = {};
    list.forEach(function (d) { counts[d.state] = (counts[d.state] || 0) + 1; });
    document.getElementById('device-summary').textContent = list.length + ' device(s): ' +
      Object.keys(counts).sort().map(function (k) { return counts[k] + ' ' + k; }).join(', ');
  }

  function targets(list, replayEnabled) {
    var rows = list.map(function (t) {
      var button = el('button', { type: 'button', 'data-replay': t.name, text: 'Replay dead letters' });
      if (!replayEnabled || !t.deadLetters) { button.disabled = true; }
      button.addEventListener('click', function () { replay(t.name, button); });
      return el('tr', { 'data-target': t.name }, [
        td(t.name), td(pill(t.state)), td(num(t.backlog), 'num'), td(num(t.delivered), 'num'),
        td(num(t.failed), 'num'), td(num(t.retrying), 'num'), td(num(t.deadLetters), 'num dead-letters'),
        td(t.enabled && t.circuit !== 'UNKNOWN' ? pill(t.circuit) : '-'), td(button)
      ]);
    });
    fill(document.querySelector('#targets tbody'), rows);
  }

  function replay(name, button) {
    button.disabled = true;
    var out = document.getElementById('replay-result');
    fetch('/api/targets/' + encodeURIComponent(name) + '/replay', { method: 'POST' })
      .then(function (r) { return r.json().then(function (body) { return { ok: r.ok, body: body }; }); })
      .then(function (r) {
        out.textContent = r.ok ? 'Replayed ' + r.body.replayed + ' dead letter(s) of ' + name : 'Replay of ' + name + ' failed: ' + r.body.error;
        refresh();
      })
      .catch(function (e) { out.textContent = 'Replay of ' + name + ' failed: ' + e; });
  }

  function recent(list) {
    fill(document.querySelector('#recent tbody'), list.map(function (e) {
      return el('tr', {}, [
        td(clock(e.storedAt)), td(clock(e.time)), td(e.kind), td(e.device), td(e.door),
        td(e.decision ? el('span', {}, [pill(e.decision), el('span', { 'class': 'reason', text: e.reason ? ' ' + e.reason : '' })]) : '-'),
        td(e.channel), td(el('code', { text: e.ref }))
      ]);
    }));
  }

  function status(s) {
    document.getElementById('bridge').textContent = s.bridge.name + ' ' + s.bridge.version + ' - up ' + duration(s.bridge.uptimeSeconds);
    var b = document.getElementById('broker');
    b.className = 'pill ' + s.broker.state;
    b.textContent = 'broker ' + s.broker.state + (s.broker.embedded ? ' (embedded)' : '');
    b.title = s.broker.detail;
    document.getElementById('events-received').textContent = num(s.events.received);
    var pm = s.events.perMinute;
    document.getElementById('events-minute').textContent = num(pm.length ? pm[pm.length - 1].n : 0);
    document.getElementById('events-duplicates').textContent = num(s.events.duplicatesDropped);
    document.getElementById('events-quarantined').textContent = num(s.events.quarantined);
    document.getElementById('events-failures').textContent = num(s.events.publishFailures);
    chart(pm);
    devices(s.devices);
    targets(s.targets, s.replayEnabled);
  }

  function refresh() {
    return Promise.all([
      fetch('/api/status', { cache: 'no-store' }).then(function (r) { return r.json(); }).then(status),
      fetch('/api/events/recent?limit=20', { cache: 'no-store' }).then(function (r) { return r.json(); }).then(recent)
    ]).then(function () {
      document.getElementById('updated').textContent = 'updated ' + new Date().toISOString().substring(11, 19) + 'Z';
    }).catch(function (e) {
      document.getElementById('updated').textContent = 'bridge not answering (' + e + ')';
    });
  }

  refresh();
  setInterval(refresh, POLL_MS);
}());
