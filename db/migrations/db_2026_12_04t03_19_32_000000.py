"""Sets the kecamatan of the reports stored before the column existed, as intake sets it for
new ones (core.place: from the point where a report has one, from the address, or the text,
otherwise).

In a migration of its own because Piccolo runs a migration's raw steps before its new columns.
Reads the reports in pages of ids, so a large table is never held in memory at once.
"""

from collections import defaultdict

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import DoublePrecision, Serial, Text, Varchar
from piccolo.engine import engine_finder
from piccolo.table import Table

from core.place.address import report_kecamatan

ID = "2026-12-04T03:19:32:000000"
VERSION = "1.38.0"
DESCRIPTION = "report: kecamatan of existing reports"
_PAGE = 5_000


class Report(Table, tablename="report", schema=None):
    id = Serial(primary_key=True)
    latitude = DoublePrecision(null=True, default=None)
    longitude = DoublePrecision(null=True, default=None)
    address = Varchar(length=300, null=True, default=None)
    text = Text()
    kecamatan = Varchar(length=20, null=True, default=None)


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="db", description=DESCRIPTION)

    async def run():
        # The class above took the engine of the first database this process migrated; a
        # process that migrates several (the tests' templates) must read the one at hand.
        Report._meta.db = engine_finder()
        last = 0
        while True:
            rows = (
                await Report.select(
                    Report.id, Report.latitude, Report.longitude, Report.address, Report.text
                )
                .where((Report.id > last) & Report.kecamatan.is_null())
                .order_by(Report.id)
                .limit(_PAGE)
            )
            if not rows:
                return
            last = rows[-1]["id"]
            found: dict[str, list[int]] = defaultdict(list)
            for row in rows:
                name = report_kecamatan(
                    latitude=row["latitude"],
                    longitude=row["longitude"],
                    address=row["address"],
                    text=row["text"],
                )
                if name is not None:
                    found[name].append(row["id"])
            for name, ids in found.items():
                await Report.update({Report.kecamatan: name}).where(Report.id.is_in(ids))

    manager.add_raw(run)
    return manager
