"""The names of the closed sets the pages show (actions, events, policy statuses…), each a
msgid of the i18n catalogue; the statuses, roles and stances come from core, which owns them.

Templates call `name_of("status", report.status)`: the name in the visitor's language, or the key
itself when the table has none, so a gap shows on the page instead of breaking it.
"""

from __future__ import annotations

from collections.abc import Mapping

from core.citizens.models import REACH_NAMES
from core.reports.intake import STANCE_NAMES
from core.reports.lifecycle import STATUS_NAMES
from core.staff.actors import ROLE_NAMES
from core.staff.models import STAFF_REACH_NAMES
from i18n import N_, NP_, gettext, pgettext

ACTION_NAMES = {
    "route": NP_("action", "Teruskan"),
    "acknowledge": NP_("action", "Terima dan tindak lanjuti"),
    "respond": NP_("action", "Balas warga"),
    "mark_field_work": NP_("action", "Perlu pekerjaan lapangan"),
    "resolve": NP_("action", "Selesaikan"),
    "reroute": NP_("action", "Alihkan"),
    "reject": NP_("action", "Tolak"),
    "refer": NP_("action", "Rujuk"),
}
# What the form of each action asks for.
NOTE_NAMES = {
    "acknowledge": N_("Pesan untuk warga (opsional)"),
    "respond": N_("Balasan untuk warga"),
    "mark_field_work": N_("Pekerjaan apa yang dibutuhkan (tenggat menjadi %(days)s hari kerja)"),
    "resolve": N_("Jawaban penyelesaian"),
    "reroute": N_("Alasan pengalihan"),
    "reject": N_("Alasan penolakan (dilihat warga)"),
    "refer": N_("Ke mana warga harus pergi"),
}
# The confirmation after each action.
DONE_NAMES = {
    "route": N_("Laporan %(code)s diteruskan ke %(department)s."),
    "acknowledge": N_("Laporan %(code)s diterima; warga diberi tahu."),
    "respond": N_("Balasan terkirim ke warga."),
    "mark_field_work": N_("Tenggat diperpanjang untuk pekerjaan lapangan."),
    "resolve": N_("Laporan %(code)s diselesaikan; warga diminta konfirmasi."),
    "reroute": N_("Laporan %(code)s dialihkan ke %(department)s."),
    "reject": N_("Laporan %(code)s ditolak."),
    "refer": N_("Laporan %(code)s dirujuk."),
    "merge": N_("Laporan %(code)s digabungkan ke kasus lain."),
    "unmerge": N_("Laporan %(code)s dipisahkan kembali."),
}
# The confirmation of a referral to a known outside authority (core.routing.referrals).
REFERRED_TO_DONE = N_("Laporan %(code)s dirujuk ke %(authority)s.")
EVENT_NAMES = {
    "submitted": N_("Laporan diterima"),
    "routed": N_("Diteruskan ke perangkat daerah"),
    "rerouted": N_("Dialihkan ke perangkat daerah lain"),
    "acknowledged": N_("Diterima petugas"),
    "responded": N_("Jawaban petugas"),
    "field_work": N_("Perlu pekerjaan lapangan"),
    "resolved": N_("Diselesaikan"),
    "reopened": N_("Dibuka kembali: belum selesai"),
    "closed": N_("Ditutup"),
    "rejected": N_("Ditolak"),
    "referred": N_("Dirujuk"),
    "reminder": N_("Pengingat ke perangkat daerah"),
    "overdue": N_("Melewati tenggat"),
    "escalated": N_("Dieskalasi ke pimpinan"),
    "policy_linked": N_("ditautkan ke kebijakan"),
    "policy_unlinked": N_("tautan kebijakan dilepas"),
    "merged": N_("Digabung dengan laporan lain"),
    "joined": N_("Laporan warga lain bergabung"),
    "unmerged": N_("Dipisahkan kembali"),
    "split": N_("Laporan warga lain dipisahkan"),
    # Staff only (core.reports.models.STAFF_ONLY_EVENTS).
    "assigned": N_("Ditugaskan"),
    "unassigned": N_("Penugasan dilepas"),
    "noted": N_("Catatan internal"),
    "urgent_unanswered": N_("Laporan mendesak belum ditangani: pimpinan dan admin diberi tahu"),
}
POLICY_STATUS_NAMES = {
    "active": N_("Berlaku"),
    "under_review": N_("Sedang ditinjau"),
    "revised": N_("Direvisi"),
    "revoked": N_("Dicabut"),
}
DECISION_NAMES = {
    "keep": N_("Dipertahankan"),
    "revise": N_("Direvisi"),
    "revoke": N_("Dicabut"),
}
# How far a policy review's deadline has gone.
LEVEL_NAMES = {
    "1": NP_("pr.level", "sudah diingatkan"),
    "2": NP_("pr.level", "melewati tenggat"),
    "3": NP_("pr.level", "dilaporkan ke pimpinan"),
}
DIMENSION_NAMES = {
    "governance": N_("Tata kelola (smart governance)"),
    "branding": N_("Citra kota (smart branding)"),
    "economy": N_("Ekonomi (smart economy)"),
    "living": N_("Kualitas hidup (smart living)"),
    "society": N_("Masyarakat (smart society)"),
    "environment": N_("Lingkungan (smart environment)"),
}
EVALUATION_COMPONENT_NAMES = {
    "first_response": N_("tanggapan pertama tepat waktu"),
    "resolution": N_("penyelesaian tepat waktu"),
    "rating": N_("penilaian warga, (rata-rata − 1) ÷ 4"),
    "reopen": N_("1 − tingkat dibuka kembali"),
    "backlog": N_("1 − bagian laporan yang masih terbuka"),
}

TABLES: dict[str, Mapping[str, str]] = {
    "action": ACTION_NAMES,
    "dimension": DIMENSION_NAMES,
    "evaluation.component": EVALUATION_COMPONENT_NAMES,
    "event": EVENT_NAMES,
    "note": NOTE_NAMES,
    "policy": POLICY_STATUS_NAMES,
    "pr.decision": DECISION_NAMES,
    "pr.level": LEVEL_NAMES,
    "reach": REACH_NAMES,
    "role": ROLE_NAMES,
    "staff_reach": STAFF_REACH_NAMES,
    "stance": STANCE_NAMES,
    "status": STATUS_NAMES,
}
# Tables whose Indonesian names have another English elsewhere: read in their own context.
CONTEXTS = {"action": "action", "pr.level": "pr.level"}


def name(language: str, table: str, key: object, **values: object) -> str:
    msgid = TABLES[table].get(str(key))
    if msgid is None:
        return str(key)
    context = CONTEXTS.get(table)
    if context is None:
        return gettext(language, msgid, **values)
    return pgettext(language, context, msgid, **values)
