"""The portal's languages: Stripe code -> catalog, negotiation, and the catalogs' CI check."""

from __future__ import annotations

import gettext
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.catalog import Message
from babel.messages.plurals import get_plural
from babel.messages.pofile import read_po, write_po

from console.sandbox.portal import i18n
from resources import load_json

ROOT = Path(__file__).resolve().parents[3]
TABLE = load_json("stripe", "portal-locales.json")
CODES = [entry["code"] for entry in TABLE["portal_locales"]]
CLDR = {entry["code"]: entry["cldr"] for entry in TABLE["portal_locales"]}
REGIONAL_ENGLISH = TABLE["api_only_locales"]["codes"]


def test_the_table_has_40_languages_and_the_api_six_regional_englishes() -> None:
    assert len(CODES) == 40 == len(set(CODES))
    assert i18n.portal_locales() == tuple(CODES)
    assert sorted(REGIONAL_ENGLISH) == ["en-AU", "en-CA", "en-IE", "en-IN", "en-NZ", "en-SG"]


@pytest.mark.parametrize("code", CODES)
def test_every_portal_language_loads_its_own_complete_catalog(code: str) -> None:
    cldr = CLDR[code]
    assert i18n.cldr_of(code) == cldr
    assert i18n.has_catalog(code), f"no catalog for {code} at {i18n.catalog_path(code)}"
    translations = i18n.translations_for(code)
    info = translations.info()
    assert info["language"] == cldr
    plural = get_plural(cldr)
    assert info["plural-forms"] == f"nplurals={plural.num_plurals}; plural={plural.plural_expr};"
    with i18n.catalog_path(code).open("rb") as handle:
        catalog = read_po(handle, locale=cldr)
    messages = [message for message in catalog if message.id]
    with (ROOT / "resources/portal/locale/messages.pot").open("rb") as handle:
        template = read_po(handle)
    assert {m.id if isinstance(m.id, str) else m.id[0] for m in messages} == {
        m.id if isinstance(m.id, str) else m.id[0] for m in template if m.id
    }
    for message in messages:
        assert not message.fuzzy, f"{code}: fuzzy {message.id!r}"
        if isinstance(message.id, str):
            assert message.string, f"{code}: untranslated {message.id!r}"
            shown = (
                translations.pgettext(message.context, message.id)
                if message.context
                else translations.gettext(message.id)
            )
            assert shown == message.string
        else:
            assert isinstance(message.string, (list, tuple))
            forms = list(message.string)
            index = gettext.c2py(plural.plural_expr)
            assert len(forms) == plural.num_plurals and all(forms), f"{code}: {message.id!r}"
            for n in (1, 2, 5, 11, 21, 101):
                expected = forms[index(n)]
                assert translations.ngettext(message.id[0], message.id[1], n) == expected


def test_catalogs_are_cached_per_language() -> None:
    assert i18n.translations_for("de") is i18n.translations_for("de")
    assert i18n.translations_for("en-AU") is i18n.translations_for("en")
    assert i18n.translations_for("de") is not i18n.translations_for("fr")


def test_an_explicit_session_locale_wins_over_the_customer_and_the_browser() -> None:
    for code in CODES:
        assert i18n.negotiate(code, ["ja"], "ko") == code
    assert i18n.negotiate("ZH-hk", None, None) == "zh-HK"


@pytest.mark.parametrize("code", REGIONAL_ENGLISH)
def test_regional_english_api_locales_show_us_english(code: str) -> None:
    assert i18n.negotiate(code, ["de"], "fr") == "en"
    assert i18n.cldr_of(code) == "en_US"
    assert i18n.translations_for(code) is i18n.translations_for("en")


def test_british_english_is_a_language_of_its_own() -> None:
    assert i18n.negotiate("en-GB") == "en-GB"
    assert i18n.cldr_of("en-GB") == "en_GB"
    assert i18n.match("en-gb") == "en-GB"
    assert i18n.match("en-IE") == "en"


def test_auto_uses_the_customers_preferred_locales_first() -> None:
    assert i18n.negotiate("auto", ["xx", "fr-CA", "de"], "ja") == "fr-CA"
    assert i18n.negotiate(None, ["pt-BR"], "ja") == "pt-BR"


def test_auto_without_preferred_locales_uses_accept_language_by_quality() -> None:
    header = "xx-YY, de;q=0.5, pt-BR;q=0.9, ja;q=0"
    assert i18n.parse_accept_language(header) == ["xx-YY", "pt-BR", "de"]
    assert i18n.negotiate("auto", [], header) == "pt-BR"
    assert i18n.negotiate("auto", None, "ja;q=0, *;q=0.5") == "en"
    assert i18n.negotiate("auto", ["tlh"], "nl-BE,nl;q=0.9,en;q=0.8") == "nl"


def test_nothing_known_falls_back_to_us_english() -> None:
    assert i18n.negotiate(None) == "en"
    assert i18n.negotiate("auto", [], "") == "en"
    assert i18n.negotiate("auto", ["xx"], "ar-EG, he;q=0.8, garbage;;q=x") == "en"
    assert i18n.negotiate("xx-YY") == "en"
    assert i18n.cldr_of("klingon") == "en_US"


@pytest.mark.parametrize(
    ("tag", "code"),
    [
        ("de-AT", "de"),
        ("de_CH", "de"),
        ("zh-CN", "zh"),
        ("zh-Hans", "zh"),
        ("zh-SG", "zh"),
        ("zh-Hant", "zh-TW"),
        ("zh-TW", "zh-TW"),
        ("zh-Hant-HK", "zh-HK"),
        ("zh-MO", "zh-HK"),
        ("es-ES", "es"),
        ("es", "es"),
        ("es-MX", "es-419"),
        ("es-419", "es-419"),
        ("pt-PT", "pt"),
        ("pt-BR", "pt-BR"),
        ("fr-BE", "fr"),
        ("fr-CA", "fr-CA"),
        ("nn-NO", "nb"),
        ("no", "nb"),
        ("tl", "fil"),
        ("fil-PH", "fil"),
        ("sv-FI", "sv"),
        ("ar", None),
        ("", None),
        ("not a tag", None),
    ],
)
def test_browser_tags_match_the_nearest_portal_language(tag: str, code: str | None) -> None:
    assert i18n.match(tag) == code


def test_html_lang_is_the_cldr_id_as_a_bcp47_tag() -> None:
    assert i18n.html_lang("zh-HK") == "zh-Hant-HK"
    assert i18n.html_lang("es-419") == "es-419"
    assert i18n.html_lang("de") == "de-DE"


# -- the CI check ---------------------------------------------------------------------------


def _check(root: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["bash", str(root / "scripts/i18n.sh"), "--check"],
        capture_output=True,
        text=True,
        env={"PYTHON": sys.executable, "PATH": "/usr/bin:/bin"},
        timeout=120,
        check=False,
    )


def test_committed_catalogs_pass_the_ci_check() -> None:
    result = _check(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "i18n check ok" in result.stdout


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    """The parts of the repository the check reads, to break them without touching the real ones."""
    for part in (
        "scripts/i18n.sh",
        "resources",
        "console/sandbox/portal",
        "console/sandbox/pages",
    ):
        source = ROOT / part
        if source.is_dir():
            shutil.copytree(source, tmp_path / part, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            (tmp_path / part).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(source, tmp_path / part)
    return tmp_path


def _edit_catalog(root: Path, cldr: str, change: str) -> str:
    po = root / "resources/portal/locale" / cldr / "LC_MESSAGES/messages.po"
    with po.open("rb") as handle:
        catalog = read_po(handle, locale=cldr)
    message = next(m for m in catalog if m.id and isinstance(m.id, str))
    if change == "blank":
        message.string = ""
    elif change == "fuzzy":
        message.flags.add("fuzzy")
    with po.open("wb") as handle:
        write_po(handle, catalog, include_lineno=False)
    return str(message.id)


@pytest.mark.parametrize("change", ["blank", "fuzzy"])
def test_the_check_fails_on_an_untranslated_or_fuzzy_entry(copy: Path, change: str) -> None:
    msgid = _edit_catalog(copy, "ja_JP", change)
    result = _check(copy)
    assert result.returncode == 1
    word = "untranslated" if change == "blank" else "fuzzy"
    assert f"ja: {msgid!r} is {word}" in result.stdout


def test_the_check_fails_on_a_missing_catalog(copy: Path) -> None:
    shutil.rmtree(copy / "resources/portal/locale/mt_MT")
    result = _check(copy)
    assert result.returncode == 1
    assert "mt: no catalog" in result.stdout


def test_the_check_fails_when_the_template_is_stale(copy: Path) -> None:
    templates = copy / "resources/portal/templates"
    templates.mkdir(parents=True, exist_ok=True)
    (templates / "zz_new.html").write_text("<p>{{ _('A string nobody extracted yet') }}</p>")
    result = _check(copy)
    assert result.returncode == 1
    assert "messages.pot is stale" in result.stdout
    assert "missing 'A string nobody extracted yet'" in result.stdout


def test_updating_up_to_date_catalogs_changes_no_byte(copy: Path) -> None:
    locale = copy / "resources/portal/locale"
    before = {path: path.read_bytes() for path in locale.rglob("*.po*")}
    result = subprocess.run(
        ["bash", str(copy / "scripts/i18n.sh")],
        capture_output=True,
        text=True,
        env={"PYTHON": sys.executable, "PATH": "/usr/bin:/bin"},
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    after = {path: path.read_bytes() for path in locale.rglob("*.po*")}
    assert after == before


def test_a_string_translated_ahead_is_used_once_the_code_has_it(copy: Path) -> None:
    """Obsolete (#~) entries are the catalogs' memory, as msgmerge treats them."""
    msgid = "A sentence translated before any page used it"
    for code in CODES:
        po = copy / "resources/portal/locale" / CLDR[code] / "LC_MESSAGES/messages.po"
        with po.open("rb") as handle:
            catalog = read_po(handle, locale=CLDR[code])
        catalog.obsolete[msgid] = Message(msgid, f"[{code}] {msgid}")
        with po.open("wb") as handle:
            write_po(handle, catalog, include_lineno=False)
    templates = copy / "resources/portal/templates"
    templates.mkdir(parents=True, exist_ok=True)
    (templates / "zz_new.html").write_text(f"<p>{{{{ _('{msgid}') }}}}</p>")
    env = {"PYTHON": sys.executable, "PATH": "/usr/bin:/bin"}
    script = str(copy / "scripts/i18n.sh")
    subprocess.run(["bash", script], env=env, capture_output=True, timeout=120, check=True)
    assert _check(copy).returncode == 0
    po = copy / "resources/portal/locale/ja_JP/LC_MESSAGES/messages.po"
    with po.open("rb") as handle:
        catalog = read_po(handle, locale="ja_JP")
    assert catalog[msgid].string == f"[ja] {msgid}"
    assert msgid not in catalog.obsolete
