// Keyboard in the table: Enter or Space on a row opens the event's detail (AG Grid calls this with
// each cell key press; dash-ag-grid hands the event data to the app's callback).
var dagfuncs = (window.dashAgGridFunctions = window.dashAgGridFunctions || {});
dagfuncs.openOnKey = function (params, setEventData) {
  var key = params.event && params.event.key;
  if ((key === "Enter" || key === " ") && params.data) {
    params.event.preventDefault();
    setEventData({ id: params.data.id, key: key, at: Date.now() });
  }
};
