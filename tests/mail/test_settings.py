"""The mail settings are read once and refused with a clear message when unusable."""

from __future__ import annotations

import pytest

from config.settings import Settings, SettingsError, SmtpServer


def test_mail_is_off_by_default() -> None:
    settings = Settings.from_env({})
    assert settings.smtp is None
    assert settings.public_url == "http://localhost:8000"


@pytest.mark.parametrize(
    ("url", "server"),
    [
        ("smtp://localhost:2525", SmtpServer(host="localhost", port=2525, security="plain")),
        (
            "smtp+starttls://kominfo:rahasia%40x@mail.malangkota.go.id:587",
            SmtpServer(
                host="mail.malangkota.go.id",
                port=587,
                security="starttls",
                username="kominfo",
                password="rahasia@x",
            ),
        ),
        (
            "smtps://mail.malangkota.go.id",
            SmtpServer(host="mail.malangkota.go.id", port=465, security="tls"),
        ),
    ],
)
def test_smtp_urls(url: str, server: SmtpServer) -> None:
    assert Settings.from_env({"INGATKAN_SMTP_URL": url}).smtp == server


@pytest.mark.parametrize(
    ("name", "value", "says"),
    [
        ("INGATKAN_SMTP_URL", "http://mail:25", "INGATKAN_SMTP_URL must be"),
        ("INGATKAN_SMTP_URL", "smtp://mail:port", "INGATKAN_SMTP_URL must be"),
        ("INGATKAN_MAIL_FROM", "not an address", "INGATKAN_MAIL_FROM"),
        ("INGATKAN_PUBLIC_URL", "ingatkan.malangkota.go.id", "INGATKAN_PUBLIC_URL"),
    ],
)
def test_unusable_values_are_refused(name: str, value: str, says: str) -> None:
    with pytest.raises(SettingsError, match=says):
        Settings.from_env({name: value})


def test_public_url_loses_its_trailing_slash() -> None:
    settings = Settings.from_env({"INGATKAN_PUBLIC_URL": "https://ingatkan.malangkota.go.id/"})
    assert settings.public_url == "https://ingatkan.malangkota.go.id"
