"""The vial labels' layout maths (domain.labels, resolvers.procurement.label_pdf), for any
text: one font size fits every line in its box, the Code 128 with its quiet zones fits the
label's width, and a fitted size never exceeds its bound."""

from __future__ import annotations

from datetime import date

from hypothesis import given
from hypothesis import strategies as st
from reportlab.graphics.barcode.code128 import Code128
from reportlab.pdfbase.pdfmetrics import stringWidth

from domain.labels import FORMATS, LabelFormat, VialLabel, fitted_size
from resolvers.procurement.label_pdf import (
    BOLD,
    FONT,
    LARGEST_BAR,
    LARGEST_FONT,
    LEADING,
    QUIET_MODULES,
    code128_bar,
    text_size,
)

EPSILON = 1e-6
positive = st.floats(min_value=0.01, max_value=10_000, allow_nan=False)
# What SKUs, titles and lot numbers hold, Latin-1 (the PDF's standard fonts).
text = st.text(st.characters(min_codepoint=32, max_codepoint=126), min_size=1, max_size=100)


@given(positive, positive, positive)
def test_a_fitted_size_fits_and_never_exceeds_its_bound(natural, available, largest):
    size = fitted_size(natural, available, largest)
    assert 0 < size <= largest
    assert natural * size <= available * (1 + EPSILON)
    if available / natural <= largest:
        assert abs(natural * size - available) <= available * EPSILON  # as large as fits


@given(text, text, text, text, st.sampled_from(list(LabelFormat)))
def test_every_line_of_a_label_fits_its_box(name, sku, lot, quantity, label_format):
    label = VialLabel(name, sku, lot, quantity, date(2030, 1, 1))
    spec = FORMATS[label_format]
    lines = label.lines(spec)
    width, height = spec.width / 2, spec.height * 0.6  # a box smaller than any label's
    size = text_size(lines, width, height)
    assert 0 < size <= LARGEST_FONT
    for index, line in enumerate(lines):
        assert stringWidth(line, BOLD if index == 0 else FONT, size) <= width * (1 + EPSILON)
    assert len(lines) * size * LEADING <= height * (1 + EPSILON)


@given(text, text)
def test_the_code128_fits_the_bottle_with_its_quiet_zones(sku, lot):
    value = VialLabel("P", sku, lot, "q", None).barcode_value
    width = FORMATS[LabelFormat.BOTTLE].width
    bar = code128_bar(value, width)
    assert 0 < bar <= LARGEST_BAR
    drawn = Code128(value, barWidth=bar, quiet=False).width + 2 * QUIET_MODULES * bar
    assert drawn <= width * (1 + EPSILON)
