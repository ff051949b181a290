"""Component ids, shared by the layout, the callbacks and the browser tests."""
URL = "url"
LANG = "lang"
GROUP = "group"
PRESET = "preset"
DATE_FROM = "date-from"
DATE_TO = "date-to"
COUNTRY = "country"
COUNTRY_MODE = "country-mode"
MODE_HINT = "country-mode-hint"
THEME = "theme"
TYPE = "type"
IMPORTANCE = "importance"
STATUS = "status"
EVIDENCE = "evidence"
QUERY = "query"
CLEAR = "clear-filters"
CLEAR_EMPTY = "clear-filters-empty"
COUNTER = "counter"
EMPTY = "empty-result"
NOTES = "url-notes"
RELOAD_BANNER = "reload-banner"
RELOAD_TICK = "reload-tick"
DATA_VERSION = "data-version"
PRERENDERED = "prerendered"      # the view the page's layout was rendered with
TIMELINE = "timeline"
TIMELINE_WRAP = "timeline-wrap"
ACTIVITY = "activity"
TABLE = "table"
EVENT = "selected-event"
DETAIL = "detail"
DETAIL_BODY = "detail-body"
RELATED_LINK = "related-link"     # pattern-matching: {"type": RELATED_LINK, "id": event_id}
COPY = "copy-link"
COPY_STATUS = "copy-status"
SHARE_URL = "share-url"
EXPORT_ITEM = "export-item"       # pattern-matching: {"type": EXPORT_ITEM, "fmt": "png"}
EXPORT_TEMPLATE = "export-template"
DOWNLOAD = "download"
EXPORT_ERROR = "export-error"
TABS = "tabs"                     # the store holding the active tab
OUTLOOK = "outlook"
OUTLOOK_RANGE = "outlook-range"
BRIEFING = "briefing-text"           # the digest of the view, as plain text
BRIEFING_COPY = "briefing-copy"
COMPARE = "compare"               # the comparison of the view with the period before
BRIEFING_COPY_STATUS = "briefing-copy-status"
SINCE = "since"
LABELS = "labels"                 # how many key events the timeline labels
BANDS = "bands"                   # context bands behind the timeline
LABEL = "label"                   # pattern-matching: {"type": LABEL, "key": text key}
CURRENCY = "currency"             # the log's coverage and past-due plans, in the header
CHAIN_HEAD = "chain-head"         # what a ?chain= view is
EXPORT_MENU = "export-menu"
FILTERS_TOGGLE = "filters-toggle"  # phone width: the filters behind a button
FILTERS_COLLAPSE = "filters-collapse"
VIEWPORT = "viewport"             # "phone" or "wide", set in the browser


def tab_button(name: str) -> str:
    return f"tab-{name}"


def tab_panel(name: str) -> str:
    return f"panel-{name}"
LABEL_TOGGLE = "label-toggle"   # the detail panel's button: label this event on the timeline, or not
