"""The import rules of ARCHITECTURE.md, checked on every module of the shipped packages."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("api", "bot", "classifier", "cli", "config", "core", "db", "i18n", "scheduler")
# What each package may import of the others; `cli` is the one place that assembles them all.
MAY_IMPORT: dict[str, set[str]] = {
    "i18n": set(),
    "config": {"i18n"},
    "classifier": {"i18n"},
    "db": {"config", "i18n"},
    "core": {"config", "db", "classifier", "i18n"},
    "bot": {"config", "core", "db", "i18n"},
    "scheduler": {"config", "core", "db", "bot", "i18n"},
    "api": {"config", "core", "db", "bot", "scheduler", "i18n"},
    "cli": set(PACKAGES) - {"cli"},
}
# core/ is the domain: no web framework, no Telegram, no HTTP client, no server.
CORE_NEVER = {"litestar", "telegram", "httpx", "httpcore", "uvicorn", "jinja2", "apscheduler"}
# The kernel of core/, which every domain package may use and which uses none of them.
CORE_KERNEL = {"clock", "errors", "input_rules", "readable", "shown_once"}


def _imports(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def _modules(package: str) -> list[Path]:
    return [
        path for path in sorted((ROOT / package).rglob("*.py")) if "migrations" not in path.parts
    ]


@pytest.mark.parametrize("package", PACKAGES)
def test_packages_import_only_what_they_may(package: str) -> None:
    wrong = {
        f"{path.relative_to(ROOT)} imports {name}"
        for path in _modules(package)
        for name in _imports(path)
        if name.split(".")[0] in PACKAGES
        and name.split(".")[0] != package
        and name.split(".")[0] not in MAY_IMPORT[package]
    }
    assert not wrong, sorted(wrong)


def test_core_holds_no_door() -> None:
    wrong = {
        f"{path.relative_to(ROOT)} imports {name}"
        for path in _modules("core")
        for name in _imports(path)
        if name.split(".")[0] in CORE_NEVER
    }
    assert not wrong, sorted(wrong)


def test_the_kernel_of_core_uses_no_domain_package() -> None:
    wrong = {
        f"{module}.py imports {name}"
        for module in CORE_KERNEL
        for name in _imports(ROOT / "core" / f"{module}.py")
        if name.startswith("core.") and name.split(".")[1] not in CORE_KERNEL
    }
    assert not wrong, sorted(wrong)


def test_core_is_grouped_by_domain() -> None:
    """A module in core/ belongs to a domain package; only the kernel sits at the top."""
    loose = {path.stem for path in (ROOT / "core").glob("*.py")} - CORE_KERNEL - {"__init__"}
    assert not loose, sorted(loose)
