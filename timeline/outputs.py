"""Every output format from one entry point: charts, tables and feeds (timeline.export), and the
briefing documents built on them: the digest, Word and the A4 chronology (timeline.documents) and
the slide pack (timeline.slides). The command line and the app call `export_bytes` here."""
from __future__ import annotations

import gc
import sys

from . import documents, export, slides
from .export import ALL_FORMATS, DOCUMENT_FORMATS, DOCUMENT_TEMPLATES, Briefing, ExportError

try:  # office formats serialise through lxml when it is there: its write errors are its own
    from lxml.etree import SerialisationError as _SerialisationError
except ImportError:  # pragma: no cover - openpyxl and python-docx then write with the standard library
    _SerialisationError = OSError
WRITE_ERRORS = (OSError, _SerialisationError)


def export_bytes(b: Briefing, fmt: str, template: str = "slide", chart: str = "timeline") -> bytes:
    """Bytes of any format for the briefing's events (see README: Briefing exports, documents).
    A writer failing on its temporary files (disk full, a file-size limit) is an ExportError."""
    if fmt not in ALL_FORMATS:
        raise ExportError(f"unknown format {fmt!r}; use one of {', '.join(ALL_FORMATS)}")
    try:
        return _make(b, fmt, template, chart)
    except WRITE_ERRORS as exc:
        failure = str(exc)
    _drop_half_written()
    raise ExportError(f"the {fmt} export could not be written ({failure}); check the free disk space and "
                      f"file-size limits")


def _drop_half_written() -> None:
    """Collect the writer's abandoned generators now: their failed clean-up was already reported as
    the one error above, so Python's "Exception ignored" traceback is not printed after it."""
    hook = sys.unraisablehook
    sys.unraisablehook = lambda _unraisable: None
    try:
        gc.collect()
    finally:
        sys.unraisablehook = hook


def _make(b: Briefing, fmt: str, template: str, chart: str) -> bytes:
    if fmt == "pptx":
        return slides.pptx_bytes(b)
    if fmt in DOCUMENT_FORMATS or (fmt == "pdf" and template in DOCUMENT_TEMPLATES):
        return documents.document_bytes(b, fmt, template)
    return export.export_bytes(b, fmt, template, chart)
