"""Which side of Kota Malang's boundary a point lies, and the kecamatan of a report."""

from __future__ import annotations

import pytest

from core.errors import InvalidInput
from core.place.address import kecamatan_in_address, report_kecamatan
from core.place.boundaries import KECAMATAN, areas, ensure_in_city, kecamatan_at

# Landmarks a Malang resident would place without a map.
IN_CITY = {
    "Alun-alun Merdeka": ((-7.9826, 112.6308), "Klojen"),
    "Stasiun Malang Kota Baru": ((-7.9773, 112.6370), "Klojen"),
    "Universitas Brawijaya": ((-7.9525, 112.6145), "Lowokwaru"),
    "Terminal Arjosari": ((-7.9330, 112.6585), "Blimbing"),
    "Pasar Gadang": ((-8.0140, 112.6280), "Sukun"),
    "Kedungkandang, south of the city centre": ((-8.0200, 112.6600), "Kedungkandang"),
}
OUTSIDE = {
    "Bandara Abdul Rachman Saleh (Pakis)": ((-7.9260, 112.7140), "Kabupaten Malang"),
    "Kepanjen": ((-8.1300, 112.5720), "Kabupaten Malang"),
    "Alun-alun Kota Batu": ((-7.8713, 112.5269), "Kota Batu"),
}


@pytest.mark.parametrize("name", IN_CITY)
def test_a_point_in_the_city_lies_in_its_kecamatan(name: str) -> None:
    (latitude, longitude), kecamatan = IN_CITY[name]
    assert kecamatan_at(latitude, longitude) == kecamatan
    assert ensure_in_city(latitude=latitude, longitude=longitude) == kecamatan


@pytest.mark.parametrize("name", OUTSIDE)
def test_a_point_outside_is_refused_naming_where_to_report(name: str) -> None:
    (latitude, longitude), neighbour = OUTSIDE[name]
    assert kecamatan_at(latitude, longitude) is None
    with pytest.raises(InvalidInput) as refused:
        ensure_in_city(latitude=latitude, longitude=longitude)
    assert refused.value.field == "location"
    assert f"laporkan kepada Pemerintah {neighbour}" in refused.value.message("id")
    assert f"government of {neighbour}" in refused.value.message("en")


def test_a_point_far_from_malang_names_no_neighbour() -> None:
    with pytest.raises(InvalidInput) as refused:
        ensure_in_city(latitude=-7.2575, longitude=112.7521)  # Surabaya
    assert "pemerintah daerah tempat lokasi itu berada" in refused.value.message("id")


def test_the_outlines_are_the_city_its_five_kecamatan_and_two_neighbours() -> None:
    kinds = {(area.kind, area.name) for area in areas()}
    assert kinds == {
        ("city", "Kota Malang"),
        *(("kecamatan", name) for name in KECAMATAN),
        ("neighbour", "Kabupaten Malang"),
        ("neighbour", "Kota Batu"),
    }


@pytest.mark.parametrize(
    ("address", "kecamatan"),
    [
        ("Jl. Kawi No. 10, Kec. Klojen", "Klojen"),
        ("jl soekarno hatta, LOWOKWARU", "Lowokwaru"),
        ("Jl. MT Haryono, Dinoyo", "Lowokwaru"),  # a kelurahan names its kecamatan
        ("Perum Tasikmadu", "Lowokwaru"),  # written as one word or two
        ("Oro-oro Dowo", "Klojen"),
        ("Jl. Sukun Raya, Kecamatan Klojen", "Klojen"),  # the name after "kecamatan" decides
        ("antara Sawojajar dan Dinoyo", None),  # two kecamatan, neither marked
        ("Jl. Raya Batu", None),
        ("", None),
        (None, None),
    ],
)
def test_the_kecamatan_an_address_names(address: str | None, kecamatan: str | None) -> None:
    assert kecamatan_in_address(address) == kecamatan


def test_a_report_takes_its_kecamatan_from_its_point_first() -> None:
    klojen = IN_CITY["Alun-alun Merdeka"][0]
    point_and_other_address = report_kecamatan(
        latitude=klojen[0], longitude=klojen[1], address="Sukun", text="di Blimbing"
    )
    assert point_and_other_address == "Klojen"
    assert report_kecamatan(latitude=None, longitude=None, address="Sukun") == "Sukun"
    by_text = report_kecamatan(
        latitude=None, longitude=None, address="depan SD", text="Lampu mati di Blimbing"
    )
    assert by_text == "Blimbing"
