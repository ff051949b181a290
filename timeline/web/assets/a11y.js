// Accessibility repairs of Dash 4's dropdown (dcc.Dropdown), found by axe-core:
// - its hidden focus target is aria-hidden yet focusable (rule aria-hidden-focus): the button itself
//   becomes the one tab stop, and the focus target leaves the tab order;
// - the button is named by "count, values" while it shows "values, count" (rule
//   label-content-name-mismatch): name it in the order it is read on screen.
(function () {
  function repair() {
    document.querySelectorAll(".dash-dropdown-focus-target").forEach(function (target) {
      if (target.getAttribute("tabindex") !== "-1") { target.setAttribute("tabindex", "-1"); }
      var button = target.nextElementSibling;
      if (button && button.tagName === "BUTTON") {
        if (button.getAttribute("tabindex") !== "0") { button.setAttribute("tabindex", "0"); }
        var id = button.id;
        var order = id + "-value " + id + "-value-count";
        if (id && button.getAttribute("aria-labelledby") !== order) { button.setAttribute("aria-labelledby", order); }
      }
    });
  }
  var pending = false;
  new MutationObserver(function () {
    if (!pending) { pending = true; requestAnimationFrame(function () { pending = false; repair(); }); }
  }).observe(document.documentElement, {subtree: true, childList: true, attributes: true,
                                         attributeFilter: ["tabindex", "aria-labelledby"]});
  document.addEventListener("DOMContentLoaded", repair);
})();
