/*! Running Injuries embed loader | MIT License */
(function (w, d) {
  'use strict';
  var api = w.RunningInjuries = w.RunningInjuries || {};
  // Included twice: the first copy owns the frames and the message listener.
  if (typeof api.scan === 'function') return void api.scan();

  var TYPE = 'running-injuries:embed-height';
  var ID = /^[a-z0-9]+(-[a-z0-9]+)*$/;
  var HEX = /^[0-9a-fA-F]{6}$/;
  var frames = [];
  var script = d.currentScript;
  var i, base, origin;

  if (!script) {
    var all = d.getElementsByTagName('script');
    for (i = all.length; i-- && !script;) {
      if (/\/embed\.js([?#]|$)/.test(all[i].src)) script = all[i];
    }
  }
  if (!script) return;
  // The folder of embed.js, without its query or fragment: "https://site/base/".
  base = new URL('.', script.src);
  if (!/^https?:$/.test(base.protocol)) return;
  origin = base.origin;
  base = base.href;

  function scan(root) {
    var els = (root || d).querySelectorAll('[data-running-injuries]');
    for (var j = 0; j < els.length; j++) {
      var el = els[j];
      var id = el.getAttribute('data-running-injuries');
      if (el.hasAttribute('data-running-injuries-ready') || !ID.test(id)) continue;
      var card = el.getAttribute('data-variant') === 'card';
      var accent = el.getAttribute('data-accent') || '';
      var title = (el.getAttribute('data-title') || '').trim();
      var f = d.createElement('iframe');
      f.setAttribute('sandbox', 'allow-scripts allow-same-origin allow-popups allow-popups-to-escape-sandbox');
      f.setAttribute('referrerpolicy', 'strict-origin-when-cross-origin');
      f.setAttribute('loading', 'lazy');
      f.title = title || 'Running Injuries: ' + id.replace(/-/g, ' ');
      f.width = '100%';
      f.src = base + 'embed/' + id + '/' + (card ? 'card/' : '') + (HEX.test(accent) ? '?accent=' + accent : '');
      f.style.cssText = 'border:0;display:block;width:100%;height:' + (card ? 320 : 400) + 'px';
      el.setAttribute('data-running-injuries-ready', '');
      el.textContent = '';
      el.appendChild(f);
      frames.push(f);
    }
  }

  w.addEventListener('message', function (e) {
    var m = e.data;
    if (e.origin !== origin || !m || typeof m !== 'object' || m.type !== TYPE || typeof m.id !== 'string') return;
    var h = m.height;
    if (typeof h !== 'number' || !(h >= 0 && h <= 1e5)) return;
    for (var k = 0; k < frames.length; k++) {
      if (frames[k].contentWindow === e.source) return void (frames[k].style.height = Math.ceil(h) + 'px');
    }
  });

  api.scan = scan;
  scan();
  if (d.readyState === 'loading') d.addEventListener('DOMContentLoaded', function () { scan(); });
})(window, document);
