"""Freight by mode and packaging by material: the figures key-account customers ask for,
on the indicator page of the year and in the customer pack."""

import io
import zipfile
from decimal import Decimal

import pytest
from django.urls import reverse

from parcours.carbon.models import ActivityEntry
from parcours.carbon.selectors import customer_figures
from parcours.reports.pack import customer_pack

from .conftest import YEAR, login, make_estimate

pytestmark = pytest.mark.django_db


def test_figures_by_mode_and_material_beside_last_year(org, other_org):
    make_estimate(org, year=YEAR - 1, freight_road="90000", packaging_paper="10")
    ActivityEntry.objects.filter(activity="packaging_paper").update(recycled_share=Decimal("60"))
    make_estimate(org, freight_road="100000", freight_air="500", packaging_paper="12", packaging_plastic="3")
    ActivityEntry.objects.filter(estimate__reporting_year__year=YEAR, activity="packaging_paper").update(
        recycled_share=Decimal("80")
    )
    make_estimate(other_org, freight_sea="1")  # never mixed in
    figures = customer_figures(org, YEAR)
    assert [(f.activity.key, f.previous, f.quantity) for f in figures.freight] == [
        ("freight_road", Decimal("90000"), Decimal("100000")),
        ("freight_air", None, Decimal("500")),
    ]
    paper, _plastic = figures.packaging
    assert (paper.previous_recycled_share, paper.recycled_share) == (Decimal("60"), Decimal("80"))
    assert figures.packaging_tonnes == Decimal("15")
    assert figures.packaging_recycled_share is None  # plastic has no share: no made-up total
    ActivityEntry.objects.filter(estimate__reporting_year__year=YEAR, activity="packaging_plastic").update(
        recycled_share=Decimal("0")
    )
    # (12 × 80 + 3 × 0) / 15 = 64 %
    assert customer_figures(org, YEAR).packaging_recycled_share == Decimal("64.0")
    assert not customer_figures(other_org, YEAR - 1)


def test_indicator_page_shows_them_and_the_pack_carries_them(client, org, owner, viewer):
    make_estimate(org, freight_rail="2500", packaging_glass="4.5")
    ActivityEntry.objects.filter(activity="packaging_glass").update(recycled_share=Decimal("55"))
    login(client, viewer)
    page = client.get(reverse("indicator_year", args=[org.slug, YEAR])).content.decode()
    assert "Freight paid by the company, by mode" in page and "Rail freight" in page
    assert "Packaging: glass" in page and "55&nbsp;%" in page
    assert "Enter or correct freight and packaging figures" not in page  # a viewer does not edit
    login(client, owner)
    page = client.get(reverse("indicator_year", args=[org.slug, YEAR])).content.decode()
    assert "Enter or correct freight and packaging figures" in page

    content, names = customer_pack(org.vsme_years.get(year=YEAR), "fr")
    csv_name = next(n for n in names if n.endswith("-transport-emballages.csv"))
    text = zipfile.ZipFile(io.BytesIO(content)).read(csv_name).decode("utf-8-sig")
    assert "Emballages : verre;tonnes;;;4,5;55" in text
    assert "Fret ferroviaire;tonnes-kilomètres;;;2500;" in text


def test_no_transport_file_without_figures(org):
    make_estimate(org, electricity="1000")
    _content, names = customer_pack(org.vsme_years.get(year=YEAR), "en")
    assert not any("transport" in n for n in names)
