"""compose.yaml as an operator would run it, checked without a Docker engine."""

from __future__ import annotations

import ipaddress
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


def _nginx_headers(name: str) -> dict[str, str]:
    """What an nginx config sets on proxied requests: header -> value."""
    text = (ROOT / "deploy" / name).read_text()
    return dict(re.findall(r"^\s*proxy_set_header\s+(\S+)\s+(.+?);", text, flags=re.MULTILINE))


def test_the_api_trusts_forwarded_addresses_from_the_proxy_only() -> None:
    """A client that sends its own X-Forwarded-For must not get a fresh rate limit with each
    value: the API trusts the header from nginx's fixed address alone, and nginx replaces
    the header rather than appending to what the client sent."""
    services = COMPOSE["services"]
    trusted = services["api"]["environment"]["FORWARDED_ALLOW_IPS"]
    proxy_address = services["proxy"]["networks"]["default"]["ipv4_address"]
    assert "*" not in trusted
    assert trusted == proxy_address
    (subnet,) = COMPOSE["networks"]["default"]["ipam"]["config"]
    assert ipaddress.ip_address(proxy_address) in ipaddress.ip_network(subnet["subnet"])
    for name in ("nginx.conf", "nginx-tls.conf"):
        headers = _nginx_headers(name)
        assert headers["X-Forwarded-For"] == "$remote_addr", name
        assert headers["X-Forwarded-Proto"] == "$scheme", name
        assert "proxy_add_x_forwarded_for" not in (ROOT / "deploy" / name).read_text()


def test_https_is_one_override_file_away() -> None:
    """compose.tls.yaml puts nginx on 443 with a certificate mounted from deploy/tls."""
    tls = yaml.safe_load((ROOT / "compose.tls.yaml").read_text())["services"]["proxy"]
    assert "443:443" in tls["ports"]
    mounts = {volume.split(":")[1]: volume.split(":")[0] for volume in tls["volumes"]}
    assert mounts["/etc/nginx/conf.d/default.conf"] == "./deploy/nginx-tls.conf"
    assert mounts["/etc/nginx/tls"] == "./deploy/tls"
    config = (ROOT / "deploy" / "nginx-tls.conf").read_text()
    assert re.search(r"listen 443 ssl;", config)
    assert "ssl_certificate /etc/nginx/tls/fullchain.pem;" in config
    assert "ssl_certificate_key /etc/nginx/tls/privkey.pem;" in config
    assert "return 301 https://$host$request_uri;" in config


def _body_limits(name: str) -> dict[str, int]:
    """client_max_body_size per nginx location ("" for the server's own), in bytes."""
    text = (ROOT / "deploy" / name).read_text()
    units = {"": 1, "k": 1024, "m": 1024 * 1024}
    limits = {}
    for block in re.split(r"^\s*location\s+", text, flags=re.MULTILINE):
        where = re.match(r"(?:=\s*)?(\S+)\s*\{", block)
        size = re.search(r"client_max_body_size\s+(\d+)([km]?);", block)
        if size:
            limits[where.group(1) if where else ""] = int(size.group(1)) * units[size.group(2)]
    return limits


def test_the_proxy_lets_through_what_the_app_accepts_and_no_more() -> None:
    """nginx refuses a body over its limit before the app sees it: a citizen's photos on the
    report form must pass, other requests stay at the app's own small limit."""
    from api.app import MAX_BODY_BYTES
    from api.pages.public import MAX_REPORT_FORM_BYTES

    for name in ("nginx.conf", "nginx-tls.conf"):
        limits = _body_limits(name)
        assert limits[""] == MAX_BODY_BYTES, name
        assert limits["/laporan"] >= MAX_REPORT_FORM_BYTES, name
