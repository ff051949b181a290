"""Every output format from one entry point: charts, tables and feeds (timeline.export), and the
briefing documents built on them: the digest, Word and the A4 chronology (timeline.documents) and
the slide pack (timeline.slides). The command line and the app call `export_bytes` here."""
from __future__ import annotations

from . import documents, export, slides
from .export import ALL_FORMATS, DOCUMENT_FORMATS, DOCUMENT_TEMPLATES, Briefing, ExportError


def export_bytes(b: Briefing, fmt: str, template: str = "slide", chart: str = "timeline") -> bytes:
    """Bytes of any format for the briefing's events (see README: Briefing exports, documents)."""
    if fmt not in ALL_FORMATS:
        raise ExportError(f"unknown format {fmt!r}; use one of {', '.join(ALL_FORMATS)}")
    if fmt == "pptx":
        return slides.pptx_bytes(b)
    if fmt in DOCUMENT_FORMATS or (fmt == "pdf" and template in DOCUMENT_TEMPLATES):
        return documents.document_bytes(b, fmt, template)
    return export.export_bytes(b, fmt, template, chart)
