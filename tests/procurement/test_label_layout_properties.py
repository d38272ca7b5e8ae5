"""The vial labels' layout maths (domain.labels, resolvers.procurement.label_pdf), for any
text: one font size fits every line in its box, the Code 128 with its quiet zones fits the
label's width, and a fitted size never exceeds its bound."""

from __future__ import annotations

import math
from datetime import date
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st
from reportlab.graphics.barcode.code128 import Code128
from reportlab.pdfbase.pdfmetrics import stringWidth

from domain.catalog import GhsPictogram, ProductForm
from domain.labels import FORMATS, LabelFormat, VialLabel, fitted_size, pictogram_grid
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


@given(
    text,
    text,
    st.sampled_from(list(ProductForm)),
    st.decimals(min_value=0, max_value=100, places=3),
    st.sampled_from(list(LabelFormat)),
)
def test_every_line_fits_with_the_full_label_data(name, storage, form, purity, label_format):
    label = VialLabel(
        name, "SKU-1", "LOT-1", "5 mg vial", None, "137525-51-0", form, purity, storage
    )
    spec = FORMATS[label_format]
    lines = label.lines(spec)
    assert any(line.startswith("PURITY ") for line in lines) == spec.full_info
    width, height = spec.width / 2, spec.height * 0.6
    size = text_size(lines, width, height)
    for index, line in enumerate(lines):
        assert stringWidth(line, BOLD if index == 0 else FONT, size) <= width * (1 + EPSILON)
    assert len(lines) * size * LEADING <= height * (1 + EPSILON)


@given(st.integers(1, len(GhsPictogram)), positive, positive)
def test_the_pictograms_grid_holds_them_all_in_its_box(count, width, height):
    columns, side = pictogram_grid(count, width, height)
    assert 1 <= columns <= count and side > 0
    assert columns * side <= width * (1 + EPSILON)
    assert math.ceil(count / columns) * side <= height * (1 + EPSILON)
    # No other number of columns gives larger squares.
    for other in range(1, count + 1):
        assert min(width / other, height / math.ceil(count / other)) <= side * (1 + EPSILON)


def test_purity_prints_as_the_lab_gave_it():
    label = VialLabel("P", "S", "L", "q", None, purity=Decimal("99.120"))
    assert "PURITY 99.12%" in label.lines(FORMATS[LabelFormat.BOTTLE])
    assert "PURITY 100%" in VialLabel("P", "S", "L", "q", None, purity=Decimal("100.000")).lines(
        FORMATS[LabelFormat.BOTTLE]
    )
