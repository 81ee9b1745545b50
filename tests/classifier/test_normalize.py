import pytest

from classifier import normalize


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Lampu PJU gk nyala", "lampu pju tidak nyala"),
        ("air PDAM nggak ngalir, ga ada yg dtg", "air pdam tidak ngalir tidak ada yang dtg"),
        ("sampah blm diangkut", "sampah belum diangkut"),
        ("ayas kadit ngerti", "saya tidak ngerti"),
        ("The light doesn't work and I can't see", "the light does not work and i can not see"),
        ("tdk ada petugas, bkn urusan kami katanya", "tidak ada petugas bukan urusan kami katanya"),
        ("banyune ora metu, durung didandani", "banyune tidak metu belum didandani"),
        ("dudu aku, ojok nesu", "bukan aku jangan nesu"),
    ],
)
def test_negations_survive(raw: str, expected: str) -> None:
    assert normalize(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (
            "tlg sdh 3 hr trs gk diangkut krn truk rusak",
            "tolong sudah 3 hari terus tidak diangkut karena truk rusak",
        ),
        (
            "sy udh lapor dgn bukti tp skrg blm ada",
            "saya sudah lapor dengan bukti tapi sekarang belum ada",
        ),
        (
            "klo hujan jg banjir bgt, pdhl dlm kota",
            "kalau hujan juga banjir banget padahal dalam kota",
        ),
        ("laporan dr warga utk pemkot", "laporan dari warga untuk pemerintah kota"),
        ("nawak ayas oyi, umak kadit helum", "kawan saya iya kamu tidak pulang"),
        ("anak2 sekolah", "anak anak sekolah"),
    ],
)
def test_abbreviations_expand(raw: str, expected: str) -> None:
    assert normalize(raw) == expected


def test_repeated_letters_collapse_but_real_doubles_stay() -> None:
    assert normalize("TOLONGGG cepetan!!!") == "tolong cepetan"
    assert normalize("maaaaf pak") == "maaf pak"
    assert normalize("Floooood in the street") == "flood in the street"


def test_contacts_become_placeholders() -> None:
    text = "hub 0812-3456-7890 atau (0341) 551234, email budi.s@gmail.com, lihat https://x.co/a?b=1"
    assert normalize(text) == "hub __phone__ atau __phone__ email __email__ lihat __url__"


def test_identity_numbers_are_not_phone_numbers() -> None:
    assert normalize("NIK 3573012345678901") == "nik 3573012345678901"


def test_width_and_case_are_folded() -> None:
    assert normalize("ＫＥＢＡＫＡＲＡＮ di Jl. Ijen") == "kebakaran di jalan ijen"
