// The sites on a Leaflet map, a time slider, a FR/EN switch. No product name here: the page may hold a user's own data.
// Every data string reaches the page through textContent or an attribute, never as HTML.
(function () {
  'use strict';
  var caught = window.pageErrors || [];
  var data = JSON.parse(document.getElementById('page-data').textContent);
  var lang = data.lang;
  var $ = function (id) { return document.getElementById(id); };

  // Days as integers (days since 1970-01-01), with the civil calendar's arithmetic, so that a
  // day never depends on the browser's time zone.
  function dayNumber(iso) {
    var y = +iso.slice(0, 4), m = +iso.slice(5, 7), d = +iso.slice(8, 10);
    y -= m <= 2 ? 1 : 0;
    var era = Math.floor(y / 400), yoe = y - era * 400;
    var doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
    var doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
    return era * 146097 + doe - 719468;
  }
  function isoDay(n) {
    var z = n + 719468, era = Math.floor(z / 146097), doe = z - era * 146097;
    var yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
    var doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
    var mp = Math.floor((5 * doy + 2) / 153), d = doy - Math.floor((153 * mp + 2) / 5) + 1;
    var m = mp + (mp < 10 ? 3 : -9), y = yoe + era * 400 + (m <= 2 ? 1 : 0);
    function pad(v, w) { var s = String(v); while (s.length < w) { s = '0' + s; } return s; }
    return pad(y, 4) + '-' + pad(m, 2) + '-' + pad(d, 2);
  }
  function validDay(iso) { return /^\d{4}-\d{2}-\d{2}$/.test(iso) && isoDay(dayNumber(iso)) === iso; }

  function text(key) { return data.texts[lang][key]; }
  function local(pair) { return pair === null ? null : pair[lang]; }
  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (_, k) { return String(values[k]); });
  }
  function longDate(iso) {
    var months = text('months').split('|');
    var d = +iso.slice(8, 10);
    return fill(text('dateFormat'), { d: d === 1 ? text('firstDay') : d, month: months[+iso.slice(5, 7) - 1], y: +iso.slice(0, 4) });
  }
  function grouped(n) {
    var s = String(Math.round(n)), out = '';
    while (s.length > 3) { out = text('thousands') + s.slice(-3) + out; s = s.slice(0, -3); }
    return s + out;
  }

  // The rule of the export's --as-of DAY: opened (when known) on or before the day, and
  // not yet closed (the closure day is after it).
  function isOpen(site, iso) {
    return (site.open === null || site.open <= iso) && (site.close === null || site.close > iso);
  }

  var map = L.map('map', { keyboard: true, zoomControl: false, attributionControl: true, zoomSnap: 0.25 });
  map.attributionControl.setPrefix(false);
  var zoom = null;
  var bounds = L.latLngBounds([]);

  data.basemap.forEach(function (layer) {
    var geo = L.geoJSON(layer.geojson, { interactive: false, style: layer.style }).addTo(map);
    if (layer.frames) { bounds.extend(geo.getBounds()); }
  });
  var tiles = data.tiles === null ? null : L.tileLayer(data.tiles, { maxZoom: 18 });
  if (tiles) { tiles.addTo(map); tiles.bringToBack(); }

  var markers = data.sites.map(function (site) {
    if (site.lat === null) { return null; }
    var at = [site.lat, site.lon];
    var group = L.layerGroup();
    if (site.uncertainty !== null) {
      L.circle(at, { radius: site.uncertainty, color: site.color, weight: 1, dashArray: '4 3', fillOpacity: 0.12,
                     interactive: false, className: 'uncertainty' }).addTo(group);
    }
    var marker = L.circleMarker(at, { radius: 7, color: '#222222', weight: 1.5, fillColor: site.color, fillOpacity: 0.95,
                                      className: 'site-marker' });
    marker.bindPopup(function () { return popup(site); }, { maxWidth: 360 });
    // Names stay on the map while they fit; beyond that they would cover it, and show on hover.
    marker.bindTooltip(local(site.name), { permanent: data.sites.length <= 20, direction: 'right', offset: [8, 0],
                                           className: 'site-label' });
    marker.addTo(group);
    bounds.extend(at);
    return { site: site, group: group, marker: marker, shown: false };
  });
  if (bounds.isValid()) { map.fitBounds(bounds, { padding: [20, 20] }); } else { map.setView([0, 0], 2); }

  // A marker is a path in Leaflet's SVG: made focusable and named, Enter or Space opens it.
  function makeReachable(entry) {
    var el = entry.marker.getElement();
    if (!el) { return; }
    el.setAttribute('aria-label', local(entry.site.name));
    if (el.hasAttribute('tabindex')) { return; }
    el.setAttribute('tabindex', '0');
    el.setAttribute('role', 'button');
    el.setAttribute('data-site-id', entry.site.id);
    el.addEventListener('keydown', function (e) {
      if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); entry.marker.openPopup(); }
    });
  }

  function element(tag, className, content) {
    var el = document.createElement(tag);
    if (className) { el.className = className; }
    if (content !== undefined && content !== null) { el.textContent = content; }
    return el;
  }
  function row(list, label, value) {
    if (value === null || value === undefined) { return; }
    list.appendChild(element('dt', null, label));
    list.appendChild(element('dd', null, value));
  }
  // A source: its first http(s) URL becomes a link; the words around it stay text.
  function source(item) {
    var li = element('li'), match = /https?:\/\/[^\s|]+/.exec(item);
    if (!match) { li.textContent = item; return li; }
    li.appendChild(document.createTextNode(item.slice(0, match.index)));
    var a = element('a', null, match[0]);
    a.href = match[0];
    a.target = '_blank';
    a.rel = 'noopener';
    li.appendChild(a);
    li.appendChild(document.createTextNode(item.slice(match.index + match[0].length)));
    return li;
  }
  function eventDate(ev) {
    if (ev.precision === 'month') { return fill(text('monthOnly'), { date: longDate(ev.date).replace(/^\S+ /, '') }); }
    var day = longDate(ev.date);
    return ev.precision === 'approx' ? fill(text('approximately'), { date: day }) : day;
  }
  function popup(site) {
    var box = element('div', 'popup');
    box.appendChild(element('h2', null, local(site.name)));
    var list = element('dl');
    row(list, text('region'), site.region);
    row(list, text('opened'), site.open === null ? null : longDate(site.open));
    row(list, text('handover'), site.handover === null ? null : longDate(site.handover));
    row(list, text('departure'), site.departure === null ? null : longDate(site.departure));
    row(list, text('closed'), site.close === null ? text('notClosed') : longDate(site.close));
    row(list, text('phase'), local(site.phase));
    row(list, text('uncertainty'), site.uncertainty === null ? null : grouped(site.uncertainty) + ' m');
    row(list, text('notes'), site.notes);
    box.appendChild(list);
    if (site.events.length > 0) {
      box.appendChild(element('h3', null, text('events')));
      var events = element('ul', 'events');
      site.events.forEach(function (ev) {
        var li = element('li');
        li.appendChild(element('strong', null, eventDate(ev) + ' — ' + local(ev.kind)));
        li.appendChild(document.createTextNode(' ' + local(ev.summary)));
        events.appendChild(li);
      });
      box.appendChild(events);
    }
    if (site.sources.length > 0) {
      box.appendChild(element('h3', null, text('sources')));
      var sources = element('ul', 'sources');
      site.sources.forEach(function (s) { sources.appendChild(source(s)); });
      box.appendChild(sources);
    }
    return box;
  }

  var slider = $('day'), range = data.range;
  var first = range === null ? 0 : dayNumber(range.start), last = range === null ? 0 : dayNumber(range.end);
  slider.min = '0';
  slider.max = String(last - first);
  var current = range === null ? null : range.start;

  function show(iso) {
    var open = 0, closed = 0;
    markers.forEach(function (entry, i) {
      var site = data.sites[i];
      var visible = iso === null || isOpen(site, iso);
      if (entry !== null && visible !== entry.shown) {
        if (visible) { entry.group.addTo(map); makeReachable(entry); } else { entry.group.remove(); }
        entry.shown = visible;
      }
    });
    data.sites.forEach(function (site) {
      if (iso === null || isOpen(site, iso)) { open += 1; }
      if (iso !== null && site.close !== null && site.close <= iso) { closed += 1; }
    });
    var total = data.sites.length;
    $('date-label').textContent = iso === null ? text('noDates') : longDate(iso);
    $('open-count').textContent = fill(text(iso === null ? 'openAll' : 'openCount'), { n: open, total: total });
    $('closed-count').textContent = iso === null ? '' : fill(text('closedCount'), { n: closed });
    slider.setAttribute('aria-valuetext', iso === null ? '' : longDate(iso));
    report();
  }

  function setDay(iso, updateFragment) {
    if (range === null) { show(null); return; }
    var n = Math.min(last, Math.max(first, dayNumber(iso)));
    current = isoDay(n);
    slider.value = String(n - first);
    if (updateFragment && location.hash !== '#' + current) { history.replaceState(null, '', '#' + current); }
    show(current);
  }
  // The address's fragment: `#DAY`, or `#DAY/SITE-ID` to open that site's popup too.
  function fragment() {
    var h = location.hash.slice(1), slash = h.indexOf('/'), site = null;
    if (slash >= 0) {
      try { site = decodeURIComponent(h.slice(slash + 1)); } catch (e) { site = null; }
      h = h.slice(0, slash);
    }
    return validDay(h) ? { day: h, site: site } : null;
  }
  function openSite(id) {
    markers.forEach(function (entry) { if (entry && entry.shown && entry.site.id === id) { entry.marker.openPopup(); } });
  }

  slider.addEventListener('input', function () { stop(); setDay(isoDay(first + (+slider.value)), true); });
  window.addEventListener('hashchange', function () {
    var f = fragment();
    if (f) { setDay(f.day, false); if (f.site !== null) { openSite(f.site); } }
  });

  var timer = null, playButton = $('play');
  function stop() {
    if (timer !== null) { clearInterval(timer); timer = null; }
    playButton.setAttribute('aria-pressed', 'false');
    playButton.textContent = text('play');
  }
  playButton.addEventListener('click', function () {
    if (timer !== null) { stop(); return; }
    if (dayNumber(current) >= last) { setDay(range.start, true); }
    var step = Math.max(1, Math.ceil((last - first) / 240));
    playButton.setAttribute('aria-pressed', 'true');
    playButton.textContent = text('pause');
    timer = setInterval(function () {
      var next = Math.min(last, dayNumber(current) + step);
      setDay(isoDay(next), true);
      if (next >= last) { stop(); }
    }, 80);
  });

  function legend() {
    var box = $('legend');
    box.textContent = '';
    box.appendChild(element('h2', null, text(data.colorBy === 'phase' ? 'legendPhase' : 'legendDate')));
    if (data.gradient) {
      var bar = element('div', 'gradient');
      bar.style.background = 'linear-gradient(to right, ' + data.gradient.colors.join(', ') + ')';
      box.appendChild(bar);
      var ends = element('div', 'gradient-ends');
      ends.appendChild(element('span', null, longDate(data.gradient.from)));
      ends.appendChild(element('span', null, longDate(data.gradient.to)));
      box.appendChild(ends);
    }
    var list = element('ul');
    data.legend.forEach(function (item) {
      var li = element('li');
      var swatch = element('span', 'swatch');
      swatch.style.background = item.color;
      li.appendChild(swatch);
      li.appendChild(document.createTextNode(local(item.label)));
      list.appendChild(li);
    });
    var ring = element('li');
    ring.appendChild(element('span', 'swatch ring'));
    ring.appendChild(document.createTextNode(text('uncertaintyLegend')));
    list.appendChild(ring);
    box.appendChild(list);
    var unplaced = data.sites.filter(function (s) { return s.lat === null; }).length;
    if (unplaced > 0) { box.appendChild(element('p', 'note', fill(text('unplaced'), { n: unplaced }))); }
  }

  function setLanguage(next) {
    lang = next;
    document.documentElement.lang = lang;
    document.title = local(data.title);
    $('title').textContent = local(data.title);
    $('credits').textContent = local(data.attribution);
    Array.prototype.forEach.call(document.querySelectorAll('[data-text]'), function (el) {
      el.textContent = text(el.getAttribute('data-text'));
    });
    Array.prototype.forEach.call(document.querySelectorAll('[data-label]'), function (el) {
      el.setAttribute('aria-label', text(el.getAttribute('data-label')));
    });
    Array.prototype.forEach.call(document.querySelectorAll('.lang button'), function (b) {
      b.setAttribute('aria-pressed', b.getAttribute('data-lang') === lang ? 'true' : 'false');
    });
    markers.forEach(function (entry) {
      if (entry === null) { return; }
      if (entry.shown) { makeReachable(entry); }
      entry.marker.setTooltipContent(local(entry.site.name));
      if (entry.marker.isPopupOpen()) { entry.marker.getPopup().setContent(popup(entry.site)); }
    });
    if (zoom) { zoom.remove(); }
    zoom = L.control.zoom({ zoomInTitle: text('zoomIn'), zoomOutTitle: text('zoomOut') }).addTo(map);
    playButton.textContent = text(timer === null ? 'play' : 'pause');
    legend();
    show(current);
  }
  Array.prototype.forEach.call(document.querySelectorAll('.lang button'), function (b) {
    b.addEventListener('click', function () { setLanguage(b.getAttribute('data-lang')); });
  });

  // What the tests read: the markers on the map, the open sites, errors, every resource loaded.
  function report() {
    var shown = Array.prototype.map.call(document.querySelectorAll('path.site-marker'), function (p) {
      return p.getAttribute('data-site-id');
    }).sort();
    var open = data.sites.filter(function (s) { return current === null || isOpen(s, current); })
      .map(function (s) { return s.id; }).sort();
    var resources = performance.getEntriesByType('resource').map(function (r) { return r.name; });
    $('page-state').textContent = JSON.stringify({
      day: current, markers: shown, open: open, errors: caught, resources: resources,
      circles: document.querySelectorAll('path.uncertainty').length,
      focusable: document.querySelectorAll('path.site-marker[tabindex="0"][role="button"][aria-label]').length,
      mapKeyboard: $('map').getAttribute('tabindex') === '0', hash: location.hash, lang: lang, title: document.title, scripts: document.scripts.length
    });
  }

  if (range === null) { slider.disabled = true; playButton.disabled = true; }
  var start = fragment();
  setLanguage(lang);
  setDay(start ? start.day : (range === null ? null : range.start), start !== null && start.site === null);
  if (start && start.site !== null) { openSite(start.site); }
  window.addEventListener('load', report);
})();
