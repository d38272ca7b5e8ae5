"""Vial labels drawn as a PDF with reportlab: one page per label, the page the size of the
label (seed 002 §10.2), so a label printer prints each page on one label. The text comes
from domain.labels; the barcode holds catalog # and lot # (§10.1)."""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence

from reportlab.graphics import renderPDF
from reportlab.graphics.barcode import createBarcodeDrawing
from reportlab.graphics.barcode.code128 import Code128
from reportlab.graphics.shapes import Drawing
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from domain.catalog import GhsPictogram
from domain.labels import (
    FORMATS,
    FormatSpec,
    LabelFormat,
    VialLabel,
    fitted_size,
    pictogram_grid,
)

FONT = "Helvetica"
BOLD = "Helvetica-Bold"
MARGIN = 2.5  # points, on every side
LARGEST_FONT = 9.0
LEADING = 1.15  # line height, in font sizes
LARGEST_BAR = 1.2  # points: a wider Code 128 module only wastes the label
QUIET_MODULES = 10
PICTOGRAM_STRIP = 0.3  # of the bottle label's width, when it has pictograms
GHS_RED = (0.86, 0.0, 0.0)

# reportlab's factory is untyped; what it returns is a Drawing.
_barcode_drawing: Callable[..., Drawing] = createBarcodeDrawing


def render(labels: Sequence[VialLabel], label_format: LabelFormat, copies: int) -> bytes:
    """The PDF: each label `copies` times, in the order given."""
    spec = FORMATS[label_format]
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=(spec.width, spec.height), pageCompression=1)
    canvas.setTitle("Vial labels")
    canvas.setCreator("OpsGraph")
    for index, label in enumerate(labels):
        # Drawn once as a form (a PDF XObject), placed on each copy's page: encoding a QR
        # code is the costly part, and the file holds each label once.
        name = f"label{index}"
        canvas.beginForm(name)
        _draw(canvas, spec, label)
        canvas.endForm()
        for _ in range(copies):
            canvas.doForm(name)
            canvas.showPage()
    canvas.save()
    return out.getvalue()


def _draw(canvas: Canvas, spec: FormatSpec, label: VialLabel) -> None:
    if spec.two_dimensional:
        # Vials: the QR code on the right (its quiet zone included), the text beside it.
        side = spec.height
        _qr(canvas, label.barcode_value, spec.width - side, 0, side)
        _text(
            canvas, label.lines(spec), MARGIN, MARGIN, spec.width - MARGIN - side, side - 2 * MARGIN
        )
        return
    # Bottle: the text on top, the Code 128 across the bottom third.
    bar_height = spec.height / 3
    # Edge to edge: the code's own quiet zones (10 modules each side) are the margins.
    _code128(canvas, label.barcode_value, 0, MARGIN, spec.width, bar_height)
    top = spec.height - 2 * MARGIN - bar_height - 1
    bottom = MARGIN + bar_height + 1
    text_width = spec.width - 2 * MARGIN
    if spec.pictograms and label.ghs_pictograms:
        # "Full GHS" (§10.2): the hazard pictograms in a strip on the right of the text.
        strip = spec.width * PICTOGRAM_STRIP
        _pictograms(canvas, label.ghs_pictograms, spec.width - MARGIN - strip, bottom, strip, top)
        text_width -= strip + MARGIN
    _text(canvas, label.lines(spec), MARGIN, bottom, text_width, top)


def text_size(lines: Sequence[str], width: float, height: float) -> float:
    """One font size for every line: the widest fits `width` and the stack `height`."""
    widest = max(stringWidth(line, _font(i), 1) for i, line in enumerate(lines))
    return min(fitted_size(widest, width, LARGEST_FONT), height / (len(lines) * LEADING))


def _font(line: int) -> str:
    return BOLD if line == 0 else FONT  # the product name in bold


def _text(
    canvas: Canvas, lines: Sequence[str], x: float, y: float, width: float, height: float
) -> None:
    """The lines top down in the box."""
    size = text_size(lines, width, height)
    leading = size * LEADING
    for i, line in enumerate(lines):
        canvas.setFont(_font(i), size)
        canvas.drawString(x, y + height - leading * (i + 1) + (leading - size), line)


def code128_bar(value: str, width: float) -> float:
    """The module width that fits the symbol, with the 10-module quiet zone the standard
    asks for on each side, in `width` (reportlab's default quiet zone, a quarter inch,
    would leave the small labels no room for the bars)."""
    modules = Code128(value, barWidth=1, quiet=False).width + 2 * QUIET_MODULES
    return fitted_size(modules, width, LARGEST_BAR)


def _code128(canvas: Canvas, value: str, x: float, y: float, width: float, height: float) -> None:
    bar = code128_bar(value, width)
    quiet = QUIET_MODULES * bar
    code = Code128(value, barWidth=bar, barHeight=height, lquiet=quiet, rquiet=quiet)
    code.drawOn(canvas, x, y)


def _qr(canvas: Canvas, value: str, x: float, y: float, side: float) -> None:
    # reportlab's QR widget picks the smallest version for the value and draws its 4-module
    # quiet zone inside the drawing; ~30 characters come out at 0.3 mm modules on the small
    # vial, three to four dots of a 300 dpi printer (it scans rendered at 203 dpi).
    drawing = _barcode_drawing("QR", value=value, barLevel="M")
    scale = side / max(drawing.width, drawing.height)
    drawing.scale(scale, scale)
    renderPDF.draw(drawing, canvas, x, y)


def _pictograms(
    canvas: Canvas,
    pictograms: Sequence[GhsPictogram],
    x: float,
    y: float,
    width: float,
    height: float,
) -> None:
    """Each pictogram as GHS draws it, a diamond (a square on its point) with a red border,
    here holding its code (GHS02) rather than the symbol, filled row by row from the top."""
    columns, side = pictogram_grid(len(pictograms), width, height)
    for index, pictogram in enumerate(pictograms):
        row, column = divmod(index, columns)
        _diamond(canvas, pictogram.value, x + column * side, y + height - (row + 1) * side, side)


def _diamond(canvas: Canvas, code: str, x: float, y: float, side: float) -> None:
    """In the side x side box at (x, y): the diamond touches the box's edge midpoints."""
    half, gap = side / 2, side * 0.06
    cx, cy, r = x + half, y + half, half - gap
    canvas.saveState()
    canvas.setStrokeColorRGB(*GHS_RED)
    canvas.setLineWidth(max(0.5, side * 0.06))
    path = canvas.beginPath()
    path.moveTo(cx, cy + r)
    path.lineTo(cx + r, cy)
    path.lineTo(cx, cy - r)
    path.lineTo(cx - r, cy)
    path.close()
    canvas.drawPath(path, stroke=1, fill=0)
    # The code across the diamond's waist, where it is widest.
    size = fitted_size(stringWidth(code, BOLD, 1), r * 1.2, LARGEST_FONT)
    canvas.setFont(BOLD, size)
    canvas.setFillColorRGB(0, 0, 0)
    canvas.drawCentredString(cx, cy - size * 0.35, code)
    canvas.restoreState()
