// The first paint's chart until the live one has drawn: hover tooltips on its markers, a click
// remembered for the live page (it opens that event), then the hand-over: once the page has booted,
// the static chart moves onto the live chart's place, and it is removed when the live chart has
// painted (two frames after Plotly's afterplot with the events in).
(function () {
  var page = document.getElementById('first-paint');
  var chart = page && page.querySelector('.fp-chart');
  if (!chart) { return; }
  var tip = page.querySelector('.fp-tip');
  var data = null;
  function texts() {  // the hover data comes later in the page: until it is parsed, no tooltip
    var el = document.getElementById('fp-data');
    if (!data && el) { data = JSON.parse(el.textContent); }
    return data || {hover: [], ids: []};
  }
  function marker(e) { return e.target && e.target.closest ? e.target.closest('[data-i]') : null; }
  function show(use) {
    var i = +use.getAttribute('data-i'), box = use.getBoundingClientRect(), slot = tip.parentNode.getBoundingClientRect();
    if (texts().hover[i] === undefined) { tip.hidden = true; return; }
    var group = use.parentNode, color = group.getAttribute('fill');
    tip.innerHTML = texts().hover[i];
    tip.style.background = color && color !== 'none' ? color : group.getAttribute('stroke');
    tip.hidden = false;
    var left = box.right - slot.left + 6;
    if (left + tip.offsetWidth > slot.width) { left = box.left - slot.left - tip.offsetWidth - 6; }
    tip.style.left = Math.max(0, left) + 'px';
    tip.style.top = (box.top + box.height / 2 - slot.top - tip.offsetHeight / 2) + 'px';
  }
  chart.addEventListener('mousemove', function (e) {
    var use = marker(e);
    if (use) { show(use); } else { tip.hidden = true; }
  });
  chart.addEventListener('mouseleave', function () { tip.hidden = true; });
  chart.addEventListener('click', function (e) {
    var use = marker(e), id = use && texts().ids[+use.getAttribute('data-i')];
    if (!id) { return; }
    var url = new URL(window.location.href);
    url.searchParams.set('event', id);
    window.history.replaceState(null, '', url.pathname + url.search);
  });

  var moved = false, done = false;
  function finish() {
    if (done) { return; }
    done = true;
    requestAnimationFrame(function () { requestAnimationFrame(function () {
      var slot = tip.parentNode;
      if (slot && slot.parentNode) { slot.parentNode.removeChild(slot); }
      if (page.parentNode) { page.parentNode.removeChild(page); }
    }); });
  }
  function drawn(gd) {
    return gd && gd._fullData && gd._fullData.length > 1 && gd.querySelector('.scatterlayer .point, canvas');
  }
  var watch = new MutationObserver(function () {
    var live = document.getElementById('timeline');
    if (!moved && live && live.parentNode) {
      // the live page is there, under the first paint: the rest of the first paint goes, and the chart
      // stays over the live chart's place (where it already is, as a rule: then it is not even redrawn)
      moved = true;
      var slot = tip.parentNode, a = chart.getBoundingClientRect(), b = live.getBoundingClientRect();
      if (Math.abs(a.left - b.left) + Math.abs(a.top - b.top) + Math.abs(a.width - b.width) < 0.5) {
        page.classList.add('fp-behind');
      } else {
        slot.className = 'fp-over';
        live.parentNode.style.position = 'relative';
        live.parentNode.insertBefore(slot, live.parentNode.firstChild);
        page.parentNode.removeChild(page);
      }
    }
    var gd = live && live.querySelector('.js-plotly-plot');
    if (moved && gd && !gd.__fpWatched && gd.on) {
      gd.__fpWatched = true;
      gd.on('plotly_afterplot', function () { if (drawn(gd)) { finish(); } });
    }
    // the live chart has drawn, or its tab was left before it did: the first paint has done its work
    if (moved && (drawn(gd) || !live.offsetParent)) { finish(); }
    if (done) { watch.disconnect(); }
  });
  watch.observe(document.body, {childList: true, subtree: true, attributes: true, attributeFilter: ['hidden']});
})();
