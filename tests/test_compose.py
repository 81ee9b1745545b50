"""compose.yaml as an operator would run it, checked without a Docker engine."""

from __future__ import annotations

import re
from pathlib import Path

import click
import yaml

from cli.main import main

ROOT = Path(__file__).resolve().parent.parent
COMPOSE = yaml.safe_load((ROOT / "compose.yaml").read_text())
APP_SERVICES = ("migrate", "api", "scheduler")


def _documented_variables() -> set[str]:
    readme = (ROOT / "README.md").read_text()
    return set(re.findall(r"`([A-Z][A-Z0-9_]+)`", readme))


def _resolve(group: click.Group, words: list[str]) -> click.Command:
    """Walk the words through the CLI as click would; fail on an unknown command or option."""
    command: click.Command = group
    while isinstance(command, click.Group) and words and not words[0].startswith("-"):
        name, words = words[0], words[1:]
        found = command.get_command(click.Context(command), name)
        assert found is not None, f"`ingatkan {name}` does not exist"
        command = found
    context = command.make_context("ingatkan", list(words), resilient_parsing=False)
    assert context is not None
    return command


def test_every_service_is_defined_with_health_and_volumes() -> None:
    services = COMPOSE["services"]
    assert {"postgres", "redis", "migrate", "api", "scheduler", "proxy"} <= set(services)
    assert services["api"]["deploy"]["replicas"] == 2
    assert services["scheduler"]["deploy"]["replicas"] == 2
    for name in ("postgres", "redis", "api"):
        assert "healthcheck" in services[name], name
    assert services["api"]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    assert set(COMPOSE["volumes"]) == {"postgres-data", "redis-data"}
    assert (ROOT / "deploy" / "nginx.conf").exists()
    assert services["proxy"]["ports"] == ["8000:8000"]


def test_every_app_command_exists_in_the_cli() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert 'ENTRYPOINT ["ingatkan"]' in dockerfile
    assert "requirements.lock" in dockerfile
    for name in APP_SERVICES:
        words = COMPOSE["services"][name]["command"]
        _resolve(main, list(words))


def test_every_variable_it_needs_is_documented() -> None:
    text = (ROOT / "compose.yaml").read_text()
    needed = set(re.findall(r"\$\{([A-Z0-9_]+)", text))
    example = (ROOT / ".env.example").read_text()
    provided = set(re.findall(r"^([A-Z0-9_]+)=", example, flags=re.MULTILINE))
    assert needed <= provided
    documented = _documented_variables()
    assert provided <= documented, provided - documented


def test_ci_runs_exactly_the_readme_test_command() -> None:
    readme = (ROOT / "README.md").read_text()
    serve_command, test_command = re.findall(r"```sh\n(.+?)\n```", readme)[:2]
    assert serve_command.endswith("ingatkan serve")
    ci_lines = (ROOT / ".ci" / "run").read_text().strip().splitlines()
    assert ci_lines[-1] == test_command
