"""Every text the web pages show, Indonesian first, then English: (id, en) per key.

Templates call `t("key")`; values in braces are filled in with `t("key", n=3)`.
"""

from __future__ import annotations

from core.figures.evaluation import MIN_ROUTED
from core.policies.reviews import RATIONALE_LIMITS
from core.reports.intake import MIN_TEXT
from core.reports.queue import SOON_DAYS, TODAY_DAYS
from core.service_levels.deadlines import FIELD_WORK_DAYS

# Numbers that are rules live in core/; a text that states one reads it from there.
_RATIONALE_MIN, _RATIONALE_MAX = RATIONALE_LIMITS

TEXTS: dict[str, tuple[str, str]] = {
    # Site and navigation
    "app.tagline": (
        "Laporan warga Kota Malang — kalau masyarakat cerdas, kami yang salah pasti diingatkan.",
        "Citizen reports for Kota Malang — when citizens are informed, a wrong policy gets "
        "pointed out.",
    ),
    "nav.home": ("Beranda", "Home"),
    "nav.track": ("Lacak laporan", "Track a report"),
    "nav.transparency": ("Transparansi", "Transparency"),
    "nav.policies": ("Kebijakan", "Policies"),
    "nav.queue": ("Antrean", "Queue"),
    "nav.head": ("Kepala dinas", "Head of department"),
    "nav.triage": ("Triase", "Triage"),
    "nav.leadership": ("Pimpinan", "Leadership"),
    "nav.admin": ("Admin", "Admin"),
    "nav.login": ("Masuk", "Sign in"),
    "nav.logout": ("Keluar", "Sign out"),
    "nav.language": ("Bahasa", "Language"),
    "nav.skip": ("Lewati ke isi", "Skip to content"),
    "footer.text": (
        "Pemerintah Kota Malang · kecepatan, ketepatan dan transparansi",
        "City of Malang · speed, accuracy and transparency",
    ),
    # Errors
    "error.title": ("Ada masalah", "Something is wrong"),
    "error.400": ("Permintaan tidak valid.", "Invalid request."),
    "error.403": (
        "Akses ditolak: halaman ini bukan untuk peran atau perangkat daerah Anda.",
        "Forbidden: this page is not for your role or department.",
    ),
    "error.404": ("Halaman atau laporan tidak ditemukan.", "Page or report not found."),
    "error.405": ("Metode tidak diizinkan.", "Method not allowed."),
    "error.409": ("Konflik dengan status laporan saat ini.", "Conflicts with the report's status."),
    "error.429": ("Terlalu banyak permintaan; coba lagi nanti.", "Too many requests; try later."),
    "error.other": ("Terjadi kesalahan.", "Something went wrong."),
    "error.back": ("Kembali ke beranda", "Back to the home page"),
    # Sign-in
    "login.title": ("Masuk petugas", "Staff sign-in"),
    "login.username": ("Nama pengguna", "Username"),
    "login.password": ("Kata sandi", "Password"),
    "login.submit": ("Masuk", "Sign in"),
    "login.hint": (
        "Untuk petugas perangkat daerah, verifikator, pimpinan dan admin.",
        "For department officers, verifiers, leadership and admins.",
    ),
    "login.welcome": ("Selamat datang, {name}.", "Welcome, {name}."),
    "nav.account": ("Akun saya", "My account"),
    "account.title": ("Akun saya", "My account"),
    "account.telegram": ("Pemberitahuan Telegram", "Telegram notices"),
    "account.telegram_why": (
        "Tautkan obrolan Telegram Anda dengan bot ingatkan agar laporan baru, pengingat, "
        "keterlambatan dan eskalasi untuk perangkat daerah Anda sampai ke ponsel Anda.",
        "Link your Telegram chat with the ingatkan bot so that new reports, reminders, overdue "
        "reports and escalations for your department reach your phone.",
    ),
    "account.linked": ("Obrolan Telegram Anda sudah tertaut.", "Your Telegram chat is linked."),
    "account.unlinked_state": (
        "Belum ada obrolan Telegram yang tertaut.",
        "No Telegram chat is linked yet.",
    ),
    "account.code_intro": (
        "Kirim pesan berikut ke bot ingatkan dari akun Telegram Anda dalam {minutes} menit. "
        "Kode hanya berlaku sekali.",
        "Send this message to the ingatkan bot from your Telegram account within {minutes} "
        "minutes. The code works once.",
    ),
    "account.new_code": ("Buat kode tautan", "Create a link code"),
    "account.unlink": ("Putuskan tautan Telegram", "Unlink Telegram"),
    "account.unlinked": (
        "Tautan Telegram diputus; pemberitahuan tidak lagi dikirim ke obrolan itu.",
        "Telegram unlinked; notices no longer go to that chat.",
    ),
    "logout.done": ("Anda sudah keluar.", "You are signed out."),
    # Roles
    "role.officer": ("Petugas", "Officer"),
    "role.head": ("Kepala perangkat daerah", "Head of department"),
    "role.verifier": ("Verifikator", "Verifier"),
    "role.leadership": ("Pimpinan", "Leadership"),
    "role.admin": ("Admin", "Admin"),
    # Statuses
    "status.triage": ("Menunggu verifikasi", "Awaiting triage"),
    "status.open": ("Diteruskan", "Open"),
    "status.in_progress": ("Ditindaklanjuti", "In progress"),
    "status.resolved": ("Selesai, menunggu konfirmasi", "Resolved, awaiting confirmation"),
    "status.closed": ("Ditutup", "Closed"),
    "status.rejected": ("Ditolak", "Rejected"),
    "status.referred": ("Dirujuk", "Referred"),
    # Timeline events
    "event.submitted": ("Laporan diterima", "Report received"),
    "event.routed": ("Diteruskan ke perangkat daerah", "Sent to a department"),
    "event.rerouted": ("Dialihkan ke perangkat daerah lain", "Re-routed to another department"),
    "event.acknowledged": ("Diterima petugas", "Acknowledged by an officer"),
    "event.responded": ("Jawaban petugas", "Officer's reply"),
    "event.field_work": ("Perlu pekerjaan lapangan", "Field work needed"),
    "event.resolved": ("Diselesaikan", "Resolved"),
    "event.reopened": ("Dibuka kembali: belum selesai", "Reopened: not fixed"),
    "event.closed": ("Ditutup", "Closed"),
    "event.rejected": ("Ditolak", "Rejected"),
    "event.referred": ("Dirujuk", "Referred"),
    "event.reminder": ("Pengingat ke perangkat daerah", "Reminder to the department"),
    "event.overdue": ("Melewati tenggat", "Past the deadline"),
    "event.escalated": ("Dieskalasi ke pimpinan", "Escalated to leadership"),
    # Time left
    "band.overdue": ("Terlambat", "Overdue"),
    "band.today": (
        f"Kurang dari {TODAY_DAYS} hari",
        f"Under {TODAY_DAYS} day" + ("s" if TODAY_DAYS != 1 else ""),
    ),
    "band.soon": (f"{TODAY_DAYS}–{SOON_DAYS} hari", f"{TODAY_DAYS}–{SOON_DAYS} days"),
    "band.later": (f"Lebih dari {SOON_DAYS} hari", f"Over {SOON_DAYS} days"),
    "left.overdue": ("terlambat {amount}", "{amount} overdue"),
    "left.remaining": ("{amount} lagi", "{amount} left"),
    "unit.days": ("{n} hari", "{n} days"),
    "unit.hours": ("{n} jam", "{n} hours"),
    "unit.minutes": ("{n} menit", "{n} minutes"),
    # Public home
    "home.title": ("Sampaikan laporan Anda", "Send us your report"),
    "home.intro": (
        "Tulis masalah layanan kota atau kebijakan dengan kata-kata Anda sendiri. Laporan "
        "diteruskan ke perangkat daerah yang berwenang dan Anda mendapat kode untuk melacaknya.",
        "Describe a problem with a city service or policy in your own words. It goes to the "
        "responsible department and you get a code to track it.",
    ),
    "home.telegram": (
        "Lebih suka Telegram? Kirim laporan lewat bot ingatkan dan dapatkan kabar otomatis.",
        "Prefer Telegram? Report through the ingatkan bot and get updates automatically.",
    ),
    "form.text": ("Apa masalahnya?", "What is the problem?"),
    "form.text_hint": (
        f"Minimal {MIN_TEXT} karakter. Sebutkan tempatnya bila bisa.",
        f"At least {MIN_TEXT} characters. Say where, if you can.",
    ),
    "form.address": ("Alamat atau lokasi (opsional)", "Address or place (optional)"),
    "form.policy": ("Tentang kebijakan (opsional)", "About a policy (optional)"),
    "form.policy_none": ("— bukan tentang kebijakan —", "— not about a policy —"),
    "form.stance": ("Sikap Anda", "Your stance"),
    "stance.objection": ("Keberatan", "Objection"),
    "stance.suggestion": ("Saran", "Suggestion"),
    "stance.support": ("Dukungan", "Support"),
    "form.anonymous": (
        "Anonim: identitas dan alamat saya tidak ditampilkan, lokasi hanya kira-kira (±100 m)",
        "Anonymous: do not show who I am or my address, and the place only roughly (±100 m)",
    ),
    "form.confidential": (
        "Rahasia: isi laporan tidak ditampilkan ke publik",
        "Confidential: keep the report's text from the public",
    ),
    "form.contact": (
        "Kontak (opsional, tidak pernah dipublikasikan)",
        "Contact (optional, never published)",
    ),
    "form.name": ("Nama", "Name"),
    "form.phone": ("Nomor telepon", "Phone number"),
    "form.email": ("Email", "Email"),
    "form.submit": ("Kirim laporan", "Send report"),
    "form.errors": ("Periksa isian yang ditandai.", "Please check the marked fields."),
    "track.title": ("Lacak laporan", "Track a report"),
    "track.code": ("Kode laporan", "Tracking code"),
    "track.submit": ("Lacak", "Track"),
    "track.bad_code": (
        "Kode laporan tidak dikenali. Contoh: MLG-7K3Q9X.",
        "That is not a tracking code. Example: MLG-7K3Q9X.",
    ),
    "track.received": (
        "Laporan Anda diterima. Simpan kode ini untuk melacaknya: {code}",
        "Your report was received. Keep this code to track it: {code}",
    ),
    "track.status": ("Status", "Status"),
    "track.department": ("Perangkat daerah", "Department"),
    "track.due": ("Tenggat berikutnya", "Next deadline"),
    "track.submitted": ("Dikirim", "Submitted"),
    "track.timeline": ("Riwayat", "Timeline"),
    "track.confidential": (
        "Laporan ini rahasia: isinya tidak ditampilkan.",
        "This report is confidential: its text is not shown.",
    ),
    "track.waiting": ("menunggu verifikasi", "awaiting triage"),
    "track.key_given": (
        "Kunci laporan Anda: {secret}. Simpan bersama kode pelacakan: hanya dengan kunci ini Anda "
        "dapat mengonfirmasi, menilai, atau membuka kembali laporan. Kunci ini tidak akan "
        "ditampilkan lagi.",
        "Your report key: {secret}. Keep it with the tracking code: only with this key can you "
        "confirm, rate or reopen the report. It will not be shown again.",
    ),
    "track.follow_up": ("Sudah selesai?", "Is it fixed?"),
    "track.follow_up_hint": (
        "Perangkat daerah menyatakan laporan ini selesai. Konfirmasi dan beri nilai, atau "
        "katakan bila masalahnya belum selesai. Masukkan kunci laporan yang Anda terima saat "
        "mengirim.",
        "The department says this report is resolved. Confirm and rate the answer, or say the "
        "problem is not fixed. Enter the report key you were given when you sent it.",
    ),
    "track.key": ("Kunci laporan", "Report key"),
    "track.rating": ("Nilai jawaban (boleh kosong)", "Rate the answer (optional)"),
    "track.rating_given": ("Nilai dari pelapor", "The sender's rating"),
    "track.confirm": ("✅ Sudah selesai", "✅ It is fixed"),
    "track.reason": ("Apa yang belum selesai?", "What is not fixed?"),
    "track.reopen": ("Belum selesai, buka kembali", "Not fixed, reopen it"),
    "track.confirmed": (
        "Terima kasih. Laporan ditutup dengan konfirmasi Anda.",
        "Thank you. The report is closed with your confirmation.",
    ),
    "track.reopened": (
        "Laporan dibuka kembali dan dikembalikan ke perangkat daerah dengan tenggat baru.",
        "The report is reopened and back with the department, on a new deadline.",
    ),
    "recent.title": ("Baru diselesaikan", "Recently resolved"),
    "recent.none": ("Belum ada laporan yang diselesaikan.", "No resolved reports yet."),
    "recent.answer": ("Jawaban", "Answer"),
    "policies.title": ("Kebijakan dan keputusan", "Policies and decisions"),
    "policies.intro": (
        "Kebijakan kota yang dapat Anda tanggapi, dan keputusan atas kebijakan yang ditinjau.",
        "City policies you can respond to, and decisions on policies under review.",
    ),
    "policies.decisions": ("Keputusan kebijakan", "Policy decisions"),
    "policies.none": ("Belum ada keputusan.", "No decisions yet."),
    "policies.all": ("Semua kebijakan", "All policies"),
    "policy.active": ("Berlaku", "In force"),
    "policy.under_review": ("Sedang ditinjau", "Under review"),
    "policy.revised": ("Direvisi", "Revised"),
    "policy.revoked": ("Dicabut", "Revoked"),
    "policy.effective": ("Berlaku sejak", "In force since"),
    "policy.legal": ("Dasar hukum", "Legal text"),
    "transparency.link": (
        "Lihat kinerja setiap perangkat daerah: kecepatan dan ketepatan jawaban.",
        "See how each department performs: speed and accuracy of answers.",
    ),
    # Staff: queue
    "queue.title": ("Antrean {department}", "{department} queue"),
    "queue.pick": ("Pilih perangkat daerah", "Choose a department"),
    "queue.show": ("Tampilkan", "Show"),
    "queue.filter": ("Saring", "Filter"),
    "queue.reset": ("Atur ulang", "Reset"),
    "queue.status_any": ("Belum selesai (semua)", "Unfinished (all)"),
    "queue.overdue": ("Terlambat saja", "Overdue only"),
    "queue.urgent": ("Mendesak saja", "Urgent only"),
    "queue.policy_any": ("Semua kebijakan", "Any policy"),
    "queue.kecamatan": ("Kecamatan", "Kecamatan"),
    "queue.kecamatan_any": ("Semua kecamatan", "All kecamatan"),
    "queue.search": ("Cari teks atau kode", "Search text or code"),
    "queue.count": ("{total} laporan", "{total} reports"),
    "queue.empty": ("Tidak ada laporan dalam antrean ini.", "No reports in this queue."),
    "queue.code": ("Kode", "Code"),
    "queue.report": ("Laporan", "Report"),
    "queue.left": ("Sisa waktu", "Time left"),
    "queue.page": ("Halaman {page} dari {pages}", "Page {page} of {pages}"),
    "queue.prev": ("‹ Sebelumnya", "‹ Previous"),
    "queue.next": ("Berikutnya ›", "Next ›"),
    "queue.urgent_badge": ("Mendesak", "Urgent"),
    "queue.escalated_badge": ("Eskalasi {level}", "Escalation {level}"),
    "queue.field_work_badge": ("Lapangan", "Field work"),
    # Staff: report page
    "report.title": ("Laporan {code}", "Report {code}"),
    "report.text": ("Isi laporan", "Report"),
    "report.place": ("Lokasi", "Place"),
    "report.map": ("Buka peta", "Open map"),
    "report.photos": ("Foto", "Photos"),
    "report.policy": ("Kebijakan", "Policy"),
    "report.channel": ("Kanal", "Channel"),
    "report.due": ("Tenggat", "Deadline"),
    "report.confidence": ("Keyakinan klasifikasi", "Classifier confidence"),
    "report.reachable": (
        "Warga menerima pemberitahuan setiap perubahan.",
        "The citizen is notified of every change.",
    ),
    "report.unreachable": (
        "Warga tidak meninggalkan kontak; ia melacak dengan kode.",
        "The citizen left no contact; they track the report by its code.",
    ),
    "report.anonymous": ("Anonim", "Anonymous"),
    "report.confidential": ("Rahasia", "Confidential"),
    "report.timeline": ("Riwayat", "Timeline"),
    "report.by": ("oleh {who}", "by {who}"),
    "report.reason": ("Alasan", "Reason"),
    "report.similar": ("Laporan serupa yang masih terbuka", "Similar open reports"),
    "report.similar_none": ("Tidak ada laporan serupa.", "No similar reports."),
    "report.actions": ("Tindakan", "Actions"),
    "report.no_actions": (
        "Tidak ada tindakan yang dapat Anda ambil pada status ini.",
        "There is nothing you can do to this report in its status.",
    ),
    "report.template": ("Templat balasan", "Reply template"),
    "report.template_none": ("— tulis sendiri —", "— write your own —"),
    "report.department": ("Perangkat daerah tujuan", "To department"),
    "report.choose": ("— pilih —", "— choose —"),
    "report.back": ("‹ Kembali ke antrean", "‹ Back to the queue"),
    "action.route": ("Teruskan", "Route"),
    "action.acknowledge": ("Terima dan tindak lanjuti", "Acknowledge"),
    "action.respond": ("Balas warga", "Reply to the citizen"),
    "action.mark_field_work": ("Perlu pekerjaan lapangan", "Needs field work"),
    "action.resolve": ("Selesaikan", "Resolve"),
    "action.reroute": ("Alihkan", "Re-route"),
    "action.reject": ("Tolak", "Reject"),
    "action.refer": ("Rujuk", "Refer"),
    "note.acknowledge": ("Pesan untuk warga (opsional)", "Message to the citizen (optional)"),
    "note.respond": ("Balasan untuk warga", "Reply to the citizen"),
    "note.mark_field_work": (
        f"Pekerjaan apa yang dibutuhkan (tenggat menjadi {FIELD_WORK_DAYS} hari kerja)",
        f"What work is needed (the deadline becomes {FIELD_WORK_DAYS} working days)",
    ),
    "note.resolve": ("Jawaban penyelesaian", "Resolution answer"),
    "note.reroute": ("Alasan pengalihan", "Reason for re-routing"),
    "note.reject": (
        "Alasan penolakan (dilihat warga)",
        "Reason for rejection (the citizen sees it)",
    ),
    "note.refer": ("Ke mana warga harus pergi", "Where the citizen should go instead"),
    "done.route": (
        "Laporan {code} diteruskan ke {department}.",
        "Report {code} sent to {department}.",
    ),
    "done.acknowledge": (
        "Laporan {code} diterima; warga diberi tahu.",
        "Report {code} acknowledged; the citizen was told.",
    ),
    "done.respond": ("Balasan terkirim ke warga.", "Reply sent to the citizen."),
    "done.mark_field_work": (
        "Tenggat diperpanjang untuk pekerjaan lapangan.",
        "Deadline extended for field work.",
    ),
    "done.resolve": (
        "Laporan {code} diselesaikan; warga diminta konfirmasi.",
        "Report {code} resolved; the citizen is asked to confirm.",
    ),
    "done.reroute": (
        "Laporan {code} dialihkan ke {department}.",
        "Report {code} re-routed to {department}.",
    ),
    "done.reject": ("Laporan {code} ditolak.", "Report {code} rejected."),
    "done.refer": ("Laporan {code} dirujuk.", "Report {code} referred."),
    # Staff: triage
    "triage.title": ("Triase", "Triage"),
    "triage.intro": (
        "Laporan yang tidak dapat diteruskan otomatis. Pilih perangkat daerah dengan satu klik.",
        "Reports the classifier would not route. Route each with one click.",
    ),
    "triage.empty": ("Antrean triase kosong.", "The triage queue is empty."),
    "triage.suggested": ("Saran klasifikasi", "Classifier suggestions"),
    "triage.other": ("Perangkat daerah lain", "Another department"),
    "triage.reject_reason": ("Alasan penolakan", "Reason for rejection"),
    # Staff: head
    "head.title": ("Ringkasan {department}", "{department} overview"),
    "head.open": ("Belum selesai", "Unfinished"),
    "head.overdue": ("Terlambat", "Overdue"),
    "head.escalated": ("Tereskalasi", "Escalated"),
    "head.none": ("Tidak ada.", "None."),
    "head.load": ("Beban petugas", "Officers' load"),
    "head.officer": ("Petugas", "Officer"),
    "head.in_progress": ("Sedang ditangani", "In progress"),
    "head.recent_actions": ("Tindakan 7 hari terakhir", "Actions in the last 7 days"),
    "head.templates": ("Templat balasan", "Reply templates"),
    "head.template_title": ("Judul", "Title"),
    "head.template_body": ("Isi", "Text"),
    "head.template_add": ("Tambah templat", "Add template"),
    "head.template_delete": ("Hapus", "Delete"),
    "head.template_added": ("Templat ditambahkan.", "Template added."),
    "head.template_deleted": ("Templat dihapus.", "Template deleted."),
    # Staff: admin
    "admin.users": ("Pengguna", "Users"),
    "admin.departments": ("Perangkat daerah", "Departments"),
    "admin.policies": ("Kebijakan", "Policies"),
    "admin.full_name": ("Nama lengkap", "Full name"),
    "admin.role": ("Peran", "Role"),
    "admin.department": ("Perangkat daerah", "Department"),
    "admin.none": ("—", "—"),
    "admin.state": ("Keadaan", "State"),
    "admin.active": ("Aktif", "Active"),
    "admin.inactive": ("Nonaktif", "Inactive"),
    "admin.locked": ("Terkunci", "Locked"),
    "admin.create_user": ("Buat pengguna", "Create user"),
    "admin.activate": ("Aktifkan", "Activate"),
    "admin.deactivate": ("Nonaktifkan", "Deactivate"),
    "admin.unlock": ("Buka kunci", "Unlock"),
    "admin.new_password": ("Kata sandi baru", "New password"),
    "admin.set_password": ("Ganti kata sandi", "Set password"),
    "admin.saved": ("Tersimpan.", "Saved."),
    "admin.created": ("Dibuat: {name}.", "Created: {name}."),
    "admin.code": ("Kode", "Code"),
    "admin.name": ("Nama", "Name"),
    "admin.short_name": ("Nama singkat", "Short name"),
    "admin.scope": ("Cakupan", "Scope"),
    "admin.first_response_days": (
        "Tanggapan pertama (hari kerja)",
        "First response (working days)",
    ),
    "admin.resolution_days": ("Penyelesaian (hari kerja)", "Resolution (working days)"),
    "admin.default_days": ("kosong = bawaan kota", "empty = city default"),
    "admin.save": ("Simpan", "Save"),
    "admin.create_department": ("Tambah perangkat daerah", "Add department"),
    "admin.create_policy": ("Tambah kebijakan", "Add policy"),
    "admin.title_field": ("Judul", "Title"),
    "admin.summary": ("Ringkasan", "Summary"),
    "admin.status": ("Status", "Status"),
    "admin.legal_url": ("Tautan dasar hukum", "Link to the legal text"),
    "admin.effective_from": ("Berlaku sejak", "In force since"),
    # Admin: other systems (api/pages/integrations.py)
    "integrations.title": ("Integrasi", "Integrations"),
    "integrations.keys": ("Kunci API Open311", "Open311 API keys"),
    "integrations.keys_help": (
        "Sistem lain mengirim laporan lewat /open311/v2 dengan kunci ini.",
        "Other systems submit reports through /open311/v2 with these keys.",
    ),
    "integrations.name": ("Nama sistem", "System name"),
    "integrations.prefix": ("Awalan", "Prefix"),
    "integrations.created": ("Dibuat", "Created"),
    "integrations.revoke": ("Cabut", "Revoke"),
    "integrations.revoked": ("Dicabut", "Revoked"),
    "integrations.issue_key": ("Terbitkan kunci", "Issue a key"),
    "integrations.issued": (
        "salin sekarang, tidak akan ditampilkan lagi:",
        "copy it now, it will not be shown again:",
    ),
    "integrations.webhooks": ("Webhook perangkat daerah", "Department webhooks"),
    "integrations.webhooks_help": (
        "Setiap kejadian pada laporan perangkat daerah dikirim ke URL ini sebagai JSON, "
        "ditandatangani HMAC-SHA256 dengan rahasianya (header X-Ingatkan-Signature). Sistem "
        "perangkat daerah dapat menjawab lewat /api/v1/departments/KODE/inbound.",
        "Every event on the department's reports is sent to this URL as JSON, signed with "
        "HMAC-SHA256 of its secret (header X-Ingatkan-Signature). The department's system can "
        "answer through /api/v1/departments/CODE/inbound.",
    ),
    "integrations.secret": ("Rahasia", "Secret"),
    "integrations.secret_help": ("kosong = dibuatkan", "empty = drawn for you"),
    "integrations.register": ("Daftarkan webhook", "Register webhook"),
    "integrations.log": ("Log pengiriman", "Delivery log"),
    "integrations.log_title": ("Log pengiriman webhook", "Webhook delivery log"),
    "integrations.when": ("Waktu", "When"),
    "integrations.event": ("Kejadian", "Event"),
    "integrations.report": ("Laporan", "Report"),
    "integrations.attempt": ("Percobaan", "Attempt"),
    "integrations.answer": ("Jawaban", "Answer"),
    "integrations.message_status": ("Status pesan", "Message status"),
    "integrations.none": ("Belum ada.", "None yet."),
    # Leadership dashboard, evaluation and transparency (api/pages/leadership.py,
    # api/pages/transparency.py; definitions in docs/metrics.md)
    "figures.period": ("Periode", "Period"),
    "figures.period_days": ("{n} hari terakhir", "Last {n} days"),
    "figures.show": ("Tampilkan", "Show"),
    "figures.as_of": ("Per {when} WIB.", "As of {when} WIB."),
    "figures.cohort_note": (
        "Angka periode menghitung laporan yang masuk dalam periode itu; tunggakan dan "
        "keterlambatan dihitung saat ini. Waktu dalam hari kerja (hk).",
        "Period figures count the reports received in the period; backlog and overdue are "
        "counted now. Times in working days (wd).",
    ),
    "figures.trend": ("Tren mingguan", "Weekly trend"),
    "figures.trend_table": ("Angka per minggu", "Figures per week"),
    "figures.week": ("Minggu mulai", "Week of"),
    "figures.received": ("Laporan masuk", "Received"),
    "figures.first_response": ("Tanggapan pertama", "First response"),
    "figures.resolution": ("Penyelesaian", "Resolution"),
    "figures.first_response_compliance": (
        "Tanggapan pertama tepat waktu",
        "First response on time",
    ),
    "figures.resolution_compliance": ("Penyelesaian tepat waktu", "Resolved on time"),
    "figures.median_first_response": (
        "Median waktu tanggapan pertama",
        "Median time to first response",
    ),
    "figures.on_time": ("Tepat waktu", "On time"),
    "figures.median": ("Median", "Median"),
    "figures.p90": ("Persentil 90", "90th percentile"),
    "figures.resolved": ("Diselesaikan", "Resolved"),
    "figures.backlog": ("Tunggakan menurut umur (hari)", "Backlog by age (days)"),
    "figures.overdue": ("Lewat tenggat sekarang", "Overdue now"),
    "figures.escalations": ("Eskalasi per tingkat", "Escalations by level"),
    "figures.level": ("T{n}", "L{n}"),
    "figures.reopen_rate": ("Dibuka kembali", "Reopened"),
    "figures.reroute_rate": ("Dialihkan", "Re-routed"),
    "figures.rating": ("Penilaian warga (1–5)", "Citizen rating (1–5)"),
    "figures.department": ("Perangkat daerah", "Department"),
    "figures.dimension": ("Dimensi", "Dimension"),
    "figures.triage": ("Triase (belum diteruskan)", "Triage (not yet routed)"),
    "figures.city": ("Seluruh kota", "Whole city"),
    "figures.report": ("Laporan", "Report"),
    "figures.deadline": ("Tenggat", "Deadline"),
    "figures.escalation_level": ("Tingkat eskalasi", "Escalation level"),
    "figures.urgent": ("Mendesak", "Urgent"),
    "figures.working_days": ("{n} hk", "{n} wd"),
    "figures.more_than": ("> {n} hk", "> {n} wd"),
    "dimension.governance": ("Tata kelola (smart governance)", "Smart governance"),
    "dimension.branding": ("Citra kota (smart branding)", "Smart branding"),
    "dimension.economy": ("Ekonomi (smart economy)", "Smart economy"),
    "dimension.living": ("Kualitas hidup (smart living)", "Smart living"),
    "dimension.society": ("Masyarakat (smart society)", "Smart society"),
    "dimension.environment": ("Lingkungan (smart environment)", "Smart environment"),
    "leadership.title": ("Dasbor pimpinan", "Leadership dashboard"),
    "leadership.departments": ("Per perangkat daerah", "Per department"),
    "leadership.dimensions": ("Enam dimensi kota cerdas", "The six smart-city dimensions"),
    "leadership.dimensions_note": (
        "Laporan dihitung pada setiap dimensi perangkat daerahnya.",
        "A report counts toward each dimension of its department.",
    ),
    "leadership.back": ("Kembali ke dasbor", "Back to the dashboard"),
    "leadership.longest_overdue": (
        "Laporan paling lama lewat tenggat",
        "Reports overdue the longest",
    ),
    "leadership.none_overdue": ("Tidak ada yang lewat tenggat.", "Nothing is overdue."),
    "evaluation.link": ("Evaluasi enam bulanan", "Six-monthly evaluation"),
    "evaluation.title": (
        "Evaluasi kinerja perangkat daerah {period}",
        "Department performance evaluation {period}",
    ),
    "evaluation.provisional": (
        "Sementara: semester ini masih berjalan.",
        "Provisional: this half is still running.",
    ),
    "evaluation.half": ("Semester", "Half year"),
    "evaluation.csv": ("Unduh CSV", "Download CSV"),
    "evaluation.print": ("Cetak", "Print"),
    "evaluation.rank": ("Peringkat", "Rank"),
    "evaluation.open_share": ("Masih terbuka", "Still open"),
    "evaluation.letters": ("Surat teguran", "Warning letters"),
    "evaluation.score": ("Skor", "Score"),
    "evaluation.unranked": (
        f"tidak diperingkat: kurang dari {MIN_ROUTED} laporan",
        f"not ranked: fewer than {MIN_ROUTED} reports",
    ),
    "evaluation.method": ("Cara menghitung skor", "How the score is computed"),
    "evaluation.method_text": (
        "Skor 0–100 adalah rata-rata berbobot lima komponen dari laporan yang masuk dalam "
        "semester, masing-masing bernilai 0 (terburuk) sampai 1 (terbaik):",
        "The 0–100 score is the weighted mean of five components of the reports received in "
        "the half, each from 0 (worst) to 1 (best):",
    ),
    "evaluation.component.first_response": (
        "tanggapan pertama tepat waktu",
        "first response on time",
    ),
    "evaluation.component.resolution": ("penyelesaian tepat waktu", "resolved on time"),
    "evaluation.component.rating": (
        "penilaian warga, (rata-rata − 1) ÷ 4",
        "citizen rating, (mean − 1) ÷ 4",
    ),
    "evaluation.component.reopen": ("1 − tingkat dibuka kembali", "1 − reopen rate"),
    "evaluation.component.backlog": (
        "1 − bagian laporan yang masih terbuka",
        "1 − share of reports still open",
    ),
    "evaluation.method_rest": (
        "Komponen tanpa data (misalnya belum ada penilaian) membagi bobotnya ke komponen lain "
        "secara proporsional. Surat teguran dicantumkan tetapi tidak masuk skor.",
        "A component without data (say, no ratings yet) passes its weight on to the others in "
        "proportion. Warning letters are listed but not part of the score.",
    ),
    "evaluation.letters_title": ("Surat teguran semester ini", "Warning letters of the half"),
    "evaluation.letter_number": ("Nomor", "Number"),
    "evaluation.issued": ("Diterbitkan", "Issued"),
    "evaluation.no_letters": ("Tidak ada surat teguran.", "No warning letters."),
    "transparency.title": (
        "Transparansi: kecepatan dan ketepatan perangkat daerah",
        "Transparency: how fast and how well departments answer",
    ),
    "transparency.intro": (
        "Angka ini menghitung laporan warga yang masuk dalam periode yang dipilih: berapa yang "
        "ditanggapi dalam batas waktu layanan, berapa lama, dan penilaian warga.",
        "These figures count citizens' reports received in the chosen period: how many were "
        "answered within the service level, how long it took, and how citizens rated it.",
    ),
    "transparency.note": (
        "Hanya angka gabungan: tidak ada isi laporan, kode, lokasi atau identitas pelapor. "
        "Waktu dihitung dalam hari kerja (hk).",
        "Aggregate figures only: no report text, code, place or reporter. Times are in "
        "working days (wd).",
    ),
    # Policy correction (api/pages/policy_reviews.py, templates/policy/)
    "nav.policy_reviews": ("Tinjauan kebijakan", "Policy reviews"),
    "event.policy_linked": ("ditautkan ke kebijakan", "linked to a policy"),
    "event.policy_unlinked": ("tautan kebijakan dilepas", "policy link removed"),
    "pr.title": ("Kebijakan dan tinjauan", "Policies and reviews"),
    "pr.department_title": ("Kebijakan {department}", "Policies of {department}"),
    "pr.intro": (
        "Bila warga berbeda yang menyatakan keberatan atas satu kebijakan mencapai ambangnya "
        "dalam jangka waktunya, kebijakan masuk tinjauan: Anda memutuskan dipertahankan, "
        "direvisi atau dicabut, dengan alasan yang dipublikasikan dan dikirim ke setiap warga "
        "yang menanggapi.",
        "When the distinct citizens objecting to one policy reach its threshold within its "
        "window, the policy goes up for review: you decide to keep, revise or revoke it, with "
        "a rationale that is published and sent to every citizen who spoke up.",
    ),
    "pr.reviews": ("Tinjauan", "Reviews"),
    "pr.open_reviews": ("Tinjauan yang belum diputuskan", "Reviews awaiting a decision"),
    "pr.no_reviews": ("Tidak ada tinjauan.", "No reviews."),
    "pr.policy": ("Kebijakan", "Policy"),
    "pr.opened": ("Dibuka", "Opened"),
    "pr.deadline": ("Tenggat keputusan", "Decision due"),
    "pr.objectors_col": ("Warga keberatan", "Objecting citizens"),
    "pr.outcome": ("Keputusan", "Outcome"),
    "pr.waiting": ("Menunggu keputusan kepala perangkat daerah.", "Awaiting the head's decision."),
    "pr.level.1": ("sudah diingatkan", "reminded"),
    "pr.level.2": ("melewati tenggat", "overdue"),
    "pr.level.3": ("dilaporkan ke pimpinan", "escalated to leadership"),
    "pr.pressure": ("Tekanan warga", "Citizens' pressure"),
    "pr.objectors_in": (
        "warga berbeda keberatan dalam {days} hari",
        "distinct citizens objecting within {days} days",
    ),
    "pr.objections": ("{n} laporan keberatan", "{n} objection reports"),
    "pr.themes": ("Kata yang berulang", "Recurring words"),
    "pr.no_policies": ("Belum ada kebijakan.", "No policies yet."),
    "pr.no_pressure": (
        "Belum ada keberatan terhadap kebijakan mana pun.",
        "No objections to any policy yet.",
    ),
    "pr.registry": ("Daftar kebijakan", "Policy registry"),
    "pr.threshold": ("Ambang: warga berbeda", "Threshold: distinct citizens"),
    "pr.window": ("Jangka waktu (hari)", "Window (days)"),
    "pr.rule": (
        "Tinjauan dibuka bila {n} warga berbeda keberatan dalam {days} hari (ditetapkan admin).",
        "A review opens when {n} distinct citizens object within {days} days (set by an admin).",
    ),
    "pr.review_title": ("Tinjauan {policy}", "Review of {policy}"),
    "pr.back": ("‹ Kembali ke daftar tinjauan", "‹ Back to the reviews"),
    "pr.review_of": ("Tinjauan kebijakan", "Review of the policy"),
    "pr.opened_by": (
        "{n} warga berbeda (ambang {threshold}, dalam {days} hari); {objections} laporan keberatan",
        "{n} distinct citizens (threshold {threshold}, within {days} days); {objections} "
        "objection reports",
    ),
    "pr.what_citizens_said": ("Yang disampaikan warga", "What citizens said"),
    "pr.confidential": (
        "(laporan rahasia: isi tidak ditampilkan)",
        "(confidential report: text not shown)",
    ),
    "pr.no_reports": ("Tidak ada laporan.", "No reports."),
    "pr.decision": ("Keputusan", "Decision"),
    "pr.decision.keep": ("Dipertahankan", "Kept"),
    "pr.decision.revise": ("Direvisi", "Revised"),
    "pr.decision.revoke": ("Dicabut", "Revoked"),
    "pr.rationale": (
        f"Alasan (dipublikasikan, {_RATIONALE_MIN}–{_RATIONALE_MAX} karakter)",
        f"Rationale (published, {_RATIONALE_MIN}–{_RATIONALE_MAX} characters)",
    ),
    "pr.changes": ("Untuk revisi: apa yang berubah", "For a revision: what changes"),
    "pr.changes_from_field": ("Untuk revisi: berlaku mulai", "For a revision: applies from"),
    "pr.changes_from": ("Yang berubah, berlaku mulai {day}:", "What changes, from {day}:"),
    "pr.publish_note": (
        "Keputusan dipublikasikan di halaman Kebijakan dan dikirim ke setiap warga yang "
        "menanggapi kebijakan ini sejak keputusan sebelumnya.",
        "The decision is published on the Policies page and sent to every citizen who spoke "
        "up about this policy since its previous decision.",
    ),
    "pr.publish": ("Publikasikan keputusan", "Publish the decision"),
    "pr.notified": ("Dikirim ke {n} warga.", "Sent to {n} citizens."),
    "pr.decided": (
        "Keputusan dipublikasikan dan dikirim ke {n} warga.",
        "Decision published and sent to {n} citizens.",
    ),
    "pr.leadership_title": ("Kebijakan di bawah tekanan", "Policies under pressure"),
    "pr.most_pressed": ("Paling banyak keberatan", "Most objected to"),
    "pr.recent_decisions": ("Keputusan terbaru", "Recent decisions"),
    "pr.evaluation_note": (
        "Keputusan per perangkat daerah tercantum di evaluasi semesteran.",
        "Decisions per department are listed in the six-monthly evaluation.",
    ),
    "pr.link": ("Tautkan ke kebijakan", "Link to the policy"),
    "pr.unlink": ("Lepas tautan", "Unlink"),
    "pr.not_linked": (
        "Laporan ini belum tertaut ke kebijakan.",
        "This report is not linked to a policy.",
    ),
    "pr.linked": (
        "Laporan {code} ditautkan ke kebijakan.",
        "Report {code} is linked to the policy.",
    ),
    "pr.unlinked": (
        "Tautan kebijakan laporan {code} dilepas.",
        "Report {code} is no longer linked to a policy.",
    ),
    "pr.public_said": (
        "Warga berkata: {n} warga berbeda keberatan",
        "You said: {n} distinct citizens objected",
    ),
    "pr.public_did": ("Kami memutuskan:", "We decided:"),
    "pr.public_pending": (
        "Sedang ditinjau; keputusan paling lambat {when}.",
        "Under review; decision due by {when}.",
    ),
    "evaluation.policy_decisions": ("Keputusan kebijakan", "Policy decisions"),
    "evaluation.policy_on_time": ("{n} tepat waktu", "{n} on time"),
}


def text(key: str, lang: str, *, fallback: str | None = None, **values: object) -> str:
    """The text for `key` in `lang` ("id" or "en"); a missing key shows itself, so a gap is
    visible on the page instead of breaking it."""
    pair = TEXTS.get(key) or (TEXTS.get(fallback) if fallback else None)
    if pair is None:
        return key
    chosen = pair[1] if lang == "en" else pair[0]
    return chosen.format(**values) if values else chosen
