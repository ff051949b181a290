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
