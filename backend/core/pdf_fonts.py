"""The fonts our PDFs draw Traditional Chinese with (the yearly report, the compliance notices).

reportlab's standard CID font for Chinese is not embedded, and viewers without CJK fonts of their
own showed blank pages. So Chinese is drawn with the TrueType font ``settings.REPORT_CJK_FONT`` (by
default Debian's fonts-arphic-uming), its Traditional Chinese face, embedded as a subset. Callers
refuse the document, naming the setting, when there is none (``cjk_font`` answers None)."""

from __future__ import annotations

import hashlib
import logging
from pathlib import Path

from django.conf import settings
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

logger = logging.getLogger(__name__)

EMBEDDED_CJK_FONT = "ReportCJK"
# Faces of a font collection, best first: Traditional Chinese as written in Taiwan, then in
# Hong Kong (Macao's usage is close to both); never a Simplified Chinese face (UMingCN).
TRADITIONAL_FACES = ("TW", "HK")


def traditional_face(path: str) -> int:
    """The index of the Traditional Chinese face in a font collection (0 for a single font)."""
    if not path.lower().endswith((".ttc", ".otc")):
        return 0
    faces = []
    for index in range(32):
        try:
            faces.append(TTFont(f"probe-{index}", path, subfontIndex=index).face.name.decode("latin-1"))
        except Exception:  # past the last face
            break
    for wanted in TRADITIONAL_FACES:
        for index, name in enumerate(faces):
            if name.endswith(wanted):
                return index
    return next((i for i, name in enumerate(faces) if name.endswith(TRADITIONAL_FACES)), 0)


def cjk_font() -> str | None:
    """The reportlab name of the embedded Traditional Chinese font, registered on first use; None
    when ``settings.REPORT_CJK_FONT`` names no usable TrueType font."""
    path = settings.REPORT_CJK_FONT or ""
    name = f"{EMBEDDED_CJK_FONT}-{hashlib.sha256(path.encode()).hexdigest()[:12]}"
    if name in pdfmetrics.getRegisteredFontNames():
        return name
    if path and Path(path).is_file():
        try:
            pdfmetrics.registerFont(TTFont(name, path, subfontIndex=traditional_face(path)))
            return name
        except Exception:
            logger.warning("REPORT_CJK_FONT %s cannot be used by reportlab", path, exc_info=True)
    return None
