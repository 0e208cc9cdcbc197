/*! Running Injuries embed frame | MIT License */
(function (w, d) {
  'use strict';
  var html = d.documentElement;

  // ?accent=0a7c5a: six hex digits or nothing. Too light a colour for text on white is darkened
  // until it reaches 4.5:1, so links and buttons keep WCAG AA contrast whatever a clinic picks.
  var hex = new URLSearchParams(w.location.search).get('accent');
  if (hex && /^[0-9a-fA-F]{6}$/.test(hex)) {
    var rgb = [0, 2, 4].map(function (i) { return parseInt(hex.slice(i, i + 2), 16); });
    var dark = false;
    while (1.05 / (luminance(rgb) + 0.05) < 4.5) {
      rgb = rgb.map(function (v) { return Math.floor(v * 0.95); });
      dark = true;
    }
    html.style.setProperty('--ri-accent', dark ? 'rgb(' + rgb.join(',') + ')' : '#' + hex);
  }

  if (w.parent === w) return;
  html.classList.add('ri-framed');

  // Links leave the frame: a new tab, never a page loaded inside the clinic's site.
  var links = d.querySelectorAll('a[href]');
  for (var i = 0; i < links.length; i++) {
    if (links[i].getAttribute('href').charAt(0) === '#') continue;
    links[i].target = '_blank';
    links[i].relList.add('noopener');
  }

  // The height of <html> itself (height:auto in embed.css), never scrollHeight, which is at least
  // the frame's own height and so could only ever grow.
  var last = -1;
  function report() {
    var h = Math.ceil(html.getBoundingClientRect().height);
    if (h === last) return;
    last = h;
    w.parent.postMessage({
      type: 'running-injuries:embed-height',
      id: html.dataset.embedId || '',
      variant: html.dataset.embedVariant || '',
      height: h
    }, '*');
  }
  if (w.ResizeObserver) new ResizeObserver(report).observe(d.body);
  w.addEventListener('resize', report);
  w.addEventListener('load', report);
  report();

  function luminance(c) {
    return [0.2126, 0.7152, 0.0722].reduce(function (sum, k, i) {
      var v = c[i] / 255;
      return sum + k * (v <= 0.04045 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4));
    }, 0);
  }
})(window, document);
