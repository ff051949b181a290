// Keyboard in the table: Enter or Space on a row opens the event's detail. The grid's own key
// events are passed to the app as the table's `eventData` (the selection callback reads it).
(function () {
  function open(params) {
    var key = params.event && params.event.key;
    if ((key === "Enter" || key === " ") && params.data) {
      params.event.preventDefault();
      window.dash_clientside.set_props("table", {eventData: {id: params.data.id, key: key, at: Date.now()}});
    }
  }
  function attach(tries) {
    var grid = window.dash_ag_grid;
    if (!(grid && grid.getApiAsync && window.dash_clientside && window.dash_clientside.set_props)) {
      if (tries < 100) { setTimeout(function () { attach(tries + 1); }, 200); }
      return;
    }
    grid.getApiAsync("table").then(function (api) { api.addEventListener("cellKeyDown", open); });
  }
  attach(0);
})();

// The table's title cell during a search: the title with the words found wrapped in <mark>, built
// from the row's `title_marks` character spans as React text nodes and elements (never as HTML).
(function () {
  var funcs = (window.dashAgGridComponentFunctions = window.dashAgGridComponentFunctions || {});
  funcs.MarkedText = function (props) {
    var text = String(props.value == null ? "" : props.value);
    var spans = (props.data && props.data.title_marks) || [];
    var parts = [], at = 0;
    spans.forEach(function (span, i) {
      var start = Math.max(span[0], at), end = Math.min(span[1], text.length);
      if (end <= start) { return; }
      if (start > at) { parts.push(text.slice(at, start)); }
      parts.push(React.createElement("mark", {key: i}, text.slice(start, end)));
      at = end;
    });
    if (at < text.length) { parts.push(text.slice(at)); }
    return React.createElement("span", null, parts);
  };
})();
