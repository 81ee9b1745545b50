"""One check any browser test can run on a page: axe-core (vendored, tests/browser/vendor)
on a desktop (1366 px) and a phone (390 px) screen, failing on a serious or critical
violation, and a full-page screenshot and the axe findings of each kept as test artefacts.

A page joins in one line, with the `audit` fixture (tests/browser/conftest.py):

    await audit(page, "/officer/peta", "officer-map")

Artefacts go to $INGATKAN_ARTEFACTS when it is set, else to a directory under pytest's
temporary directory; the run's summary says where.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from playwright.async_api import Page

AXE = Path(__file__).resolve().parent / "vendor" / "axe.min.js"
ARTEFACTS_VARIABLE = "INGATKAN_ARTEFACTS"
VIEWPORTS: dict[str, dict[str, int]] = {
    "desktop": {"width": 1366, "height": 900},
    "phone": {"width": 390, "height": 844},
}
BLOCKING = frozenset({"serious", "critical"})
_RUN_AXE = """async () => {
  const result = await axe.run(document, { resultTypes: ["violations"] });
  return result.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 5).map((n) => n.target.join(" ")),
  }));
}"""


def artefacts_root(temporary: Path) -> Path:
    """Where screenshots and findings are kept: $INGATKAN_ARTEFACTS, else `temporary`."""
    chosen = os.environ.get(ARTEFACTS_VARIABLE)
    root = Path(chosen) if chosen else temporary
    root.mkdir(parents=True, exist_ok=True)
    return root


async def audit_page(
    page: Page,
    path: str,
    name: str,
    *,
    into: Path,
    viewports: dict[str, dict[str, int]] = VIEWPORTS,
) -> None:
    """Open `path` on each screen size, keep `NAME-SCREEN.png` and `NAME-SCREEN.axe.json`
    in `into` (an existing directory), and fail on any serious or critical axe violation,
    naming each."""
    found: list[str] = []
    for screen, size in viewports.items():
        await page.set_viewport_size(size)
        response = await page.goto(path)
        assert response is not None and response.status == 200, f"{path}: {response}"
        await page.wait_for_load_state("load")
        if not await page.evaluate("() => typeof axe !== 'undefined'"):
            await page.add_script_tag(path=str(AXE))
        violations = await page.evaluate(_RUN_AXE)
        await page.screenshot(path=str(into / f"{name}-{screen}.png"), full_page=True)
        (into / f"{name}-{screen}.axe.json").write_text(
            json.dumps(violations, indent=1, ensure_ascii=False)
        )
        found += [
            f"{name} ({path}, {screen}): {v['id']} [{v['impact']}] {v['help']} at {v['nodes']}"
            for v in violations
            if v["impact"] in BLOCKING
        ]
    assert not found, "axe-core found:\n" + "\n".join(found)
