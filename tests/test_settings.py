"""Every setting is declared once (ingest/common/settings.py), read from the environment in one function,
and listed in the README's settings table."""

from __future__ import annotations

import re
from pathlib import Path

from ingest.common.settings import load_settings, variables

README = Path(__file__).resolve().parent.parent / "README.md"


def _readme_table_variables() -> set[str]:
    text = README.read_text()
    table = text[text.index("<!-- settings table -->") : text.index("<!-- end of settings table -->")]
    return set(re.findall(r"`([A-Z][A-Z0-9_]+)`", table))


def test_every_setting_is_in_the_readme_table_and_nothing_else_is() -> None:
    declared = {name for name, _ in variables()}
    documented = _readme_table_variables()
    assert declared - documented == set(), "settings missing from the README table"
    assert documented - declared == set(), "README table lists variables that are not settings"


def test_settings_come_from_the_given_environment_typed() -> None:
    settings = load_settings(
        {
            "MAW_UNHCR_PAGE_SIZE": "10",
            "MAW_IATI_PUBLISHERS": " minbuza_nl , iom,",
            "IATI_API_KEY": "  ",
            "MAW_DTM_COUNTRIES": "sdn,HTI",
            "MAW_HTTP_BACKOFF": "0.5",
        }
    )
    assert settings.unhcr.page_size == 10
    assert settings.iati.publishers == ("minbuza_nl", "iom")
    assert settings.iati.api_key is None  # blank counts as unset
    assert settings.iom.dtm_countries == ("sdn", "HTI")
    assert settings.iati_http.backoff == 0.5
    assert load_settings({}).unhcr.page_size == 10_000


def test_keys_never_show_in_a_logged_settings_object() -> None:
    settings = load_settings({"IATI_API_KEY": "s3cret", "DTM_API_KEY": "an0ther"})
    assert settings.iati.api_key == "s3cret"
    assert "s3cret" not in repr(settings) and "an0ther" not in repr(settings)


def test_no_environment_read_outside_the_settings_module() -> None:
    repo = README.parent
    offenders = [
        f"{path.relative_to(repo)}:{number}"
        for folder in ("ingest", "warehouse", "orchestration", "expectations")
        for path in (repo / folder).rglob("*.py")
        if path.name != "settings.py"
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if "os.environ" in line or "getenv(" in line
    ]
    assert offenders == []
