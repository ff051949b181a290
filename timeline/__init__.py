"""Korean Peninsula event timeline: a curated YAML log, validated into pandas, shown and exported."""
from .load import InvalidLog, load_events, load_vocab, read_log
from .query import Filters, ViewState, filter_events, state_from_query, state_to_query

__all__ = ["InvalidLog", "Filters", "ViewState", "filter_events", "load_events", "load_vocab", "read_log",
           "state_from_query", "state_to_query"]
