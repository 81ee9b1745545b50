"""The surat teguran: the warning letter recorded against a department at the last step of
the escalation ladder. Its text is rendered once, when issued, and kept as issued."""

from __future__ import annotations

from datetime import datetime

from config import settings

_MONTHS = (
    "Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September",
    "Oktober", "November", "Desember",
)  # fmt: skip
_EXCERPT = 300


def _tanggal(moment: datetime) -> str:
    local = moment.astimezone(settings.current().tz)
    return f"{local.day} {_MONTHS[local.month - 1]} {local.year}, pukul {local:%H.%M} WIB"


def letter_number(*, department_code: str, tracking_code: str, deadline: datetime) -> str:
    """Unique per report and deadline: a report reopened and left again earns a new letter."""
    local = deadline.astimezone(settings.current().tz)
    return f"800/ST/{department_code}/{tracking_code}/{local:%Y%m%d%H%M}"


def render_letter(
    *,
    department_name: str,
    tracking_code: str,
    report_text: str,
    deadline: datetime,
    issued_at: datetime,
) -> str:
    excerpt = report_text if len(report_text) <= _EXCERPT else report_text[:_EXCERPT] + "…"
    return (
        "PEMERINTAH KOTA MALANG\n"
        "SURAT TEGURAN\n\n"
        f"Kepada Yth. Kepala {department_name}\n"
        "di Malang\n\n"
        f"Laporan warga dengan kode {tracking_code} telah melewati dua kali batas waktu "
        f"layanan yang jatuh pada {_tanggal(deadline)} tanpa tindak lanjut.\n\n"
        f"Isi laporan:\n“{excerpt}”\n\n"
        "Sesuai komitmen Pemerintah Kota Malang atas kecepatan, ketepatan dan transparansi "
        "layanan, Saudara diminta segera menindaklanjuti laporan tersebut dan menyampaikan "
        "jawaban kepada pelapor melalui kanal ingatkan. Teguran ini dicatat dalam evaluasi "
        "kinerja perangkat daerah semester berjalan.\n\n"
        f"Malang, {_tanggal(issued_at)}\n"
        "Sekretaris Daerah Kota Malang\n"
        "(diterbitkan otomatis oleh sistem ingatkan)\n"
    )
