"""Photos sent with the web form: re-encoded without EXIF before they are stored, shown to the
department's staff and, for a public report, to everyone (tracking page, Open311 media_url);
a file that is not an image is refused with everything else the visitor typed kept."""

from __future__ import annotations

import io
from typing import Any

from litestar.testing import AsyncTestClient
from PIL import Image

from core.reports.attachments import MAX_PIXELS
from db.tables import Report, ReportAttachment
from tests.pages.sessions import csrf_token, in_app, make_staff, sign_in

TEXT = "Pohon di depan SDN Sumbersari 2 miring ke jalan, takut tumbang kena angin"
GPS_IFD = 0x8825


def jpeg_with_gps() -> bytes:
    """A phone photo: a camera model and the GPS position of the reporter's house in EXIF."""
    exif = Image.Exif()
    exif[0x0110] = "Pixel 8"  # Model
    exif[0x0112] = 1  # Orientation
    gps = exif.get_ifd(GPS_IFD)
    gps.update({1: "S", 2: (7.0, 57.0, 59.3), 3: "E", 4: (112.0, 37.0, 55.9)})
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 120, 40)).save(out, format="JPEG", exif=exif)
    data = out.getvalue()
    assert Image.open(io.BytesIO(data)).getexif().get_ifd(GPS_IFD)  # the GPS is really there
    return data


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGBA", (20, 20), (0, 128, 0, 255)).save(out, format="PNG")
    return out.getvalue()


async def _send(
    client: AsyncTestClient, fields: dict[str, str], photos: list[tuple[str, bytes, str]]
) -> Any:
    return await client.post(
        "/laporan",
        data={**fields, "_csrf_token": await csrf_token(client)},
        files=[("photos", photo) for photo in photos],
        follow_redirects=False,
    )


def _code(sent: Any) -> str:
    assert sent.status_code == 303, sent.text[:500]
    return str(sent.headers["location"]).removeprefix("/lacak/").removesuffix("?baru=1")


def _stored(client: AsyncTestClient, code: str) -> list[dict[str, Any]]:
    report = Report.select(Report.id).where(Report.tracking_code == code).first()
    report_id = in_app(client, report.run)["id"]
    photo = ReportAttachment
    query = (
        photo.select(photo.kind, photo.content_type, photo.data)
        .where(photo.report == report_id)
        .order_by(photo.id)
    )
    return in_app(client, query.run)


async def test_a_photo_loses_its_gps_before_it_is_stored_and_is_shown(
    client: AsyncTestClient,
) -> None:
    code = _code(
        await _send(
            client,
            {"text": TEXT},
            [("rumah.jpg", jpeg_with_gps(), "image/jpeg"), ("pohon.png", _png(), "image/png")],
        )
    )

    stored = _stored(client, code)
    assert [(row["kind"], row["content_type"]) for row in stored] == [
        ("web_photo", "image/jpeg"),
        ("web_photo", "image/png"),
    ]
    kept = Image.open(io.BytesIO(bytes(stored[0]["data"])))
    assert kept.format == "JPEG" and kept.size == (64, 48)
    assert not kept.getexif() and "exif" not in kept.info
    assert b"Exif" not in bytes(stored[0]["data"]) and b"Pixel 8" not in bytes(stored[0]["data"])

    # Everyone sees the photos of a public report, served as what they are.
    page = await client.get(f"/lacak/{code}")
    assert f'src="/lacak/{code}/foto/1"' in page.text and f'src="/lacak/{code}/foto/2"' in page.text
    served = await client.get(f"/lacak/{code}/foto/1")
    assert served.status_code == 200 and served.headers["content-type"] == "image/jpeg"
    assert served.headers["cache-control"].startswith("public")
    assert served.headers["x-content-type-options"] == "nosniff"
    assert served.content == bytes(stored[0]["data"])
    assert (await client.get(f"/lacak/{code}/foto/3")).status_code == 404
    assert (await client.get(f"/api/v1/reports/{code}")).json()["photos"] == [
        f"/lacak/{code}/foto/1",
        f"/lacak/{code}/foto/2",
    ]

    # Open311 points to the first one, on the city's public address.
    (request,) = (await client.get(f"/open311/v2/requests/{code}.json")).json()
    assert request["media_url"] == f"http://localhost:8000/lacak/{code}/foto/1"

    # The verifier sees them on the report page, behind the staff guard.
    staff_photo = f"/officer/reports/{code}/photos/2"
    assert (await client.get(staff_photo, follow_redirects=False)).status_code in (302, 303)
    make_staff(client, "vera", "verifier")
    await sign_in(client, "vera")
    staff_page = await client.get(f"/officer/reports/{code}")
    assert f'src="{staff_photo}"' in staff_page.text
    served = await client.get(staff_photo)
    assert served.status_code == 200 and served.headers["content-type"] == "image/png"
    assert served.headers["cache-control"].startswith("private")


async def test_the_photos_of_an_anonymous_report_stay_with_the_department(
    client: AsyncTestClient,
) -> None:
    code = _code(
        await _send(
            client,
            {"text": TEXT, "anonymous": "on"},
            [("rumah.jpg", jpeg_with_gps(), "image/jpeg")],
        )
    )
    page = await client.get(f"/lacak/{code}")
    assert page.status_code == 200 and "/foto/" not in page.text
    assert (await client.get(f"/lacak/{code}/foto/1")).status_code == 404
    (request,) = (await client.get(f"/open311/v2/requests/{code}.json")).json()
    assert request["media_url"] is None
    # An officer of a department the report is not in does not get it either.
    make_staff(client, "dani", "officer", "DLH")
    await sign_in(client, "dani")
    assert (await client.get(f"/officer/reports/{code}/photos/1")).status_code == 404


async def test_a_file_that_is_not_a_photo_is_refused_and_the_form_kept(
    client: AsyncTestClient,
) -> None:
    fields = {"text": TEXT, "address": "Jl. Sumbersari 2", "name": "Siti Aminah"}
    bomb = io.BytesIO()
    Image.new("1", (MAX_PIXELS // 5000 + 1, 5000)).save(bomb, format="PNG")
    for photos, message in (
        ([("catatan.txt", b"bukan gambar, hanya teks", "text/plain")], "bukan gambar JPEG"),
        ([("kecil.png", _png(), "image/png"), ("rusak.jpg", b"\xff\xd8\xff", "image/jpeg")],
         "Foto 2 bukan gambar"),
        ([("bom.png", bomb.getvalue(), "image/png")], "megapiksel"),
        ([(f"{n}.png", _png(), "image/png") for n in range(6)], "Paling banyak 5 foto"),
    ):  # fmt: skip
        refused = await _send(client, fields, photos)
        assert refused.status_code == 400, message
        assert 'data-field="photos"' in refused.text and message in refused.text, message
        assert TEXT in refused.text and "Jl. Sumbersari 2" in refused.text
        assert 'value="Siti Aminah"' in refused.text and 'id="photos-again"' in refused.text
    assert in_app(client, Report.count().run) == 0

    # In the visitor's language.
    client.cookies.set("lang", "en")
    refused = await _send(client, fields, [("catatan.txt", b"teks", "text/plain")])
    assert "Photo 1 is not a JPEG, PNG or WebP image." in refused.text


async def test_a_photo_over_the_size_limit_is_refused(client: AsyncTestClient) -> None:
    big = b"\xff\xd8\xff" + bytes(10 * 1024 * 1024)
    refused = await _send(client, {"text": TEXT}, [("besar.jpg", big, "image/jpeg")])
    assert refused.status_code == 400 and "lebih dari 10 MB" in refused.text
    assert TEXT in refused.text
