"""The TOML store: validation messages, faithful rewrites, atomic writes, locking."""

from __future__ import annotations

import multiprocessing
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from export_licenses.domain.license import License
from export_licenses.errors import (
    InvalidStore,
    NoStore,
    StoreIOError,
    StoreLocked,
    UsageProblem,
)
from export_licenses.storage import store
from helpers import write

GOOD = """\
version = 1

[settings]
term_months = 6
warn_days = 90
critical_days = 30

[[license]]
id = 1
number = "MOFCOM-2025-DY-0412"
material = "dysprosium oxide"
destination = "US"
issued = 2025-11-03
term_months = 6
"""


def invalid_message(path: Path, text: str) -> str:
    write(path, text)
    with pytest.raises(InvalidStore) as caught:
        store.read(path)
    message = str(caught.value)
    assert "\n" not in message
    assert str(path) in message
    return message


def test_reads_a_valid_store(store_file: Path) -> None:
    data = store.read(write(store_file, GOOD))
    (lic,) = data.licenses
    assert lic == License(
        id=1,
        number="MOFCOM-2025-DY-0412",
        material="dysprosium oxide",
        destination="US",
        issued=date(2025, 11, 3),
        term_months=6,
    )


@pytest.fixture
def store_file(tmp_path: Path) -> Path:
    return tmp_path / "licenses.toml"


def test_missing_store_is_no_store(store_file: Path) -> None:
    with pytest.raises(NoStore, match="no store here"):
        store.read(store_file)


def test_a_folder_is_not_a_store(tmp_path: Path) -> None:
    with pytest.raises(StoreIOError, match="is a folder"):
        store.read(tmp_path)


def test_syntax_error_names_the_line(store_file: Path) -> None:
    message = invalid_message(
        store_file, GOOD.replace('material = "dys', "material = dys")
    )
    assert "line 11, column 12" in message  # material = dys...
    assert "TOML syntax error" in message


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        (
            ("issued = 2025-11-03", 'issued = "2025-11-03"'),
            "license 1 (MOFCOM-2025-DY-0412): issued: expected a TOML date",
        ),
        (
            ("issued = 2025-11-03", "issued = 2025-11-03T10:00:00"),
            "issued: expected a date without a time",
        ),
        (
            ('destination = "US"', 'destination = "XX"'),
            "destination: expected an ISO 3166-1 alpha-2 code",
        ),
        (
            ('destination = "US"', 'destination = "us"'),
            "destination: expected an ISO 3166-1 alpha-2 code",
        ),
        (
            ("03\nterm_months = 6", "03\nterm_months = 0"),
            "license 1 (MOFCOM-2025-DY-0412): term_months: expected 1 to 120, got 0",
        ),
        (
            ("03\nterm_months = 6", '03\nterm_months = "6"'),
            "term_months: expected a whole number, got text '6'",
        ),
        (
            ("03\nterm_months = 6", "03\nterm_months = true"),
            "term_months: expected a whole number, got a boolean",
        ),
        (
            ("term_months = 6\nwarn", "term_months = 0\nwarn"),
            "[settings] term_months: expected 1 to 120",
        ),
        (
            ("id = 1", 'id = "one"'),
            "license #1 (MOFCOM-2025-DY-0412): id: expected a whole number",
        ),
        (
            ('material = "dysprosium oxide"\n', ""),
            "license 1 (MOFCOM-2025-DY-0412): material: is missing",
        ),
        (
            ('material = "dysprosium oxide"', 'material = "  "'),
            "material: must not be empty",
        ),
        (
            ("03\nterm_months = 6", "03\nterm_months = 6\nexpires = 2026-01-01"),
            "license 1 (MOFCOM-2025-DY-0412): expires: give term_months or expires, not both",
        ),
        (
            ("critical_days = 30", "critical_days = 91"),
            "[settings] critical_days: must not be above warn_days",
        ),
        (
            ("warn_days = 90", "warn_days = -1"),
            "[settings] warn_days: expected 0 to 3660",
        ),
        (
            ("version = 1", "version = 0"),
            "version: expected a whole number from 1 (this licenses writes 1), got a number 0",
        ),
    ],
)
def test_content_errors_name_the_license_and_field(
    store_file: Path, edit: tuple[str, str], expected: str
) -> None:
    old, new = edit
    text = (
        GOOD
        + '\n[[license]]\nid = 2\nmaterial = "x"\ndestination = "DE"\nissued = 2025-01-01\n'
    )
    assert old in text
    assert expected in invalid_message(store_file, text.replace(old, new, 1))


def test_expiry_before_issue_is_invalid(store_file: Path) -> None:
    text = GOOD.replace("term_months = 6\n", "expires = 2025-11-02\n")
    assert "expires: 2025-11-02 is before the issue date" in invalid_message(
        store_file, text
    )


def test_duplicate_ids_and_numbers_are_invalid(store_file: Path) -> None:
    twice = GOOD + GOOD[GOOD.index("[[license]]") :]
    assert "id: 1 is used twice" in invalid_message(store_file, twice)
    other = twice.replace("id = 1", "id = 2").replace("id = 2", "id = 1", 1)
    assert "number: already used by license 1" in invalid_message(store_file, other)


def test_a_single_license_table_is_explained(store_file: Path) -> None:
    text = GOOD.replace("[[license]]", "[license]")
    assert "[[license]] block" in invalid_message(store_file, text)


def test_newer_version_is_refused_and_left_alone(store_file: Path) -> None:
    text = GOOD.replace("version = 1", "version = 2")
    message = invalid_message(store_file, text)
    assert "newer" in message
    with pytest.raises(InvalidStore):
        store.update(store_file, lambda data: (data, None))
    assert store_file.read_text(encoding="utf-8") == text


def test_not_utf8_is_invalid(store_file: Path) -> None:
    store_file.write_bytes(
        GOOD.encode("utf-8").replace(b"dysprosium", b"dysprosi\xffm")
    )
    with pytest.raises(InvalidStore, match="not UTF-8"):
        store.read(store_file)


def test_unknown_keys_survive_a_rewrite(store_file: Path) -> None:
    text = (
        'version = 1\nowner = "procurement"\n\n[settings]\nterm_months = 6\n'
        'warn_days = 90\ncritical_days = 30\nteam = "magnets"\n\n[contacts]\nmofcom = "+86 10"\n\n'
        '[[license]]\nid = 1\nmaterial = "gallium"\ndestination = "FR"\n'
        'issued = 2025-06-01\nreviewed = 2025-06-02\nlots = [1, 2]\n[license.buyer]\nname = "ACME"\n'
    )
    write(store_file, text)
    store.update(store_file, lambda data: (data, None))
    again = store.read(store_file)
    assert again.extra == {"owner": "procurement", "contacts": {"mofcom": "+86 10"}}
    assert again.settings.extra == {"team": "magnets"}
    assert again.licenses[0].extra == {
        "reviewed": date(2025, 6, 2),
        "lots": [1, 2],
        "buyer": {"name": "ACME"},
    }


def test_rewrite_is_deterministic_and_adding_only_appends(store_file: Path) -> None:
    write(store_file, GOOD)
    store.update(store_file, lambda data: (data, None))
    before = store_file.read_text(encoding="utf-8")
    store.update(store_file, lambda data: (data, None))
    assert store_file.read_text(encoding="utf-8") == before

    def append(data: store.StoreData) -> tuple[store.StoreData, None]:
        lic = License(
            id=data.next_id(),
            material="germanium",
            destination="MX",
            issued=date(2026, 1, 2),
        )
        return data._replace(licenses=(*data.licenses, lic)), None

    store.update(store_file, append)
    after = store_file.read_text(encoding="utf-8")
    assert after.startswith(before)
    assert after[len(before) :] == (
        '\n[[license]]\nid = 2\nmaterial = "germanium"\ndestination = "MX"\nissued = 2026-01-02\n'
    )


def test_order_on_disk_is_version_settings_then_licenses_by_id(
    store_file: Path,
) -> None:
    text = (
        GOOD.replace("id = 1", "id = 7")
        + '\n[[license]]\nid = 3\nmaterial = "x"\ndestination = "DE"\nissued = 2025-01-01\n'
    )
    write(store_file, text)
    store.update(store_file, lambda data: (data, None))
    written = store_file.read_text(encoding="utf-8")
    assert (
        written.index("version")
        < written.index("[settings]")
        < written.index("id = 3")
        < written.index("id = 7")
    )


def test_update_writes_nothing_when_the_change_fails(store_file: Path) -> None:
    write(store_file, GOOD)
    before = store_file.read_bytes()

    def boom(_: store.StoreData) -> tuple[store.StoreData, None]:
        raise RuntimeError("refused")

    with pytest.raises(RuntimeError):
        store.update(store_file, boom)
    assert store_file.read_bytes() == before
    assert [
        p.name for p in store_file.parent.iterdir() if p.name.endswith(".tmp")
    ] == []


def test_update_creates_store_and_folder(tmp_path: Path) -> None:
    path = tmp_path / "a" / "b" / "licenses.toml"
    assert store.update(path, lambda data: (data, 42), create=True) == 42
    assert store.read(path).licenses == ()


def test_create_leaves_an_existing_store_alone(store_file: Path) -> None:
    write(store_file, GOOD)
    assert store.create(store_file) is False
    assert store_file.read_text(encoding="utf-8") == GOOD


def test_stray_temporary_files_are_removed_by_the_next_writer(store_file: Path) -> None:
    write(store_file, GOOD)
    stray = store_file.parent / f".{store_file.name}.abc123.tmp"
    stray.write_text("half a file", encoding="utf-8")
    assert store.read(store_file).licenses  # a reader is not confused by it
    store.update(store_file, lambda data: (data, None))
    assert not stray.exists()


def test_write_keeps_file_mode(store_file: Path) -> None:
    write(store_file, GOOD)
    store_file.chmod(0o600)
    store.update(store_file, lambda data: (data, None))
    assert store_file.stat().st_mode & 0o777 == 0o600


def test_symlinked_store_stays_a_symlink(tmp_path: Path) -> None:
    real = write(tmp_path / "real.toml", GOOD)
    link = tmp_path / "link.toml"
    link.symlink_to(real)
    store.update(link, lambda data: (data, None))
    assert link.is_symlink()
    assert store.read(real).licenses


def _hold_lock(
    path: str,
    ready: multiprocessing.synchronize.Event,
    release: multiprocessing.synchronize.Event,
) -> None:
    with store.locked(Path(path), timeout=float("inf")):
        ready.set()
        release.wait(60)  # bounded: a test that failed never leaves it behind


def test_a_held_lock_times_out_as_store_locked(store_file: Path) -> None:
    write(store_file, GOOD)
    ctx = multiprocessing.get_context("spawn")
    ready, release = ctx.Event(), ctx.Event()
    holder = ctx.Process(target=_hold_lock, args=(str(store_file), ready, release))
    holder.start()
    try:
        assert ready.wait(60)
        # No wait at all: the answer cannot depend on the machine's speed.
        with (
            pytest.raises(StoreLocked, match="try again"),
            store.locked(store_file, timeout=0),
        ):
            pass
    finally:
        release.set()
        holder.join(60)
    assert holder.exitcode == 0
    with store.locked(store_file, timeout=0):  # released when the holder ends
        pass


def test_lock_timeout_comes_from_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("LICENSES_LOCK_TIMEOUT", "2.5")
    assert store.lock_timeout() == 2.5
    monkeypatch.setenv("LICENSES_LOCK_TIMEOUT", "inf")
    assert store.lock_timeout() == float("inf")
    monkeypatch.delenv("LICENSES_LOCK_TIMEOUT")
    assert store.lock_timeout() == store.DEFAULT_LOCK_TIMEOUT
    for bad in ("soon", "-1", "nan"):
        # Not silently the default: the user meant something else.
        monkeypatch.setenv("LICENSES_LOCK_TIMEOUT", bad)
        with pytest.raises(UsageProblem, match="LICENSES_LOCK_TIMEOUT"):
            store.lock_timeout()


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        (
            'kind = "special"',
            "license 1 (MOFCOM-2025-DY-0412): kind: expected one of individual, general",
        ),
        (
            'status = "paused"',
            "status: expected one of active, renewal-filed, renewed, closed, revoked",
        ),
        ("quantity = 0", "quantity: expected a positive number, got 0"),
        ('quantity = "10"', "quantity: expected a number, got text '10'"),
        ('hs_code = "28A"', "hs_code: expected 6 to 10 digits"),
        ('renewal_filed = "2026-01-01"', "renewal_filed: expected a TOML date"),
        ("superseded_by = 0", "superseded_by: expected 1 to"),
        ("shipments = [{ on = 2026-01-05 }]", "shipments #1 quantity: is missing"),
        (
            'shipments = [{ on = "x", quantity = 1 }]',
            "shipments #1 on: expected a TOML date",
        ),
        (
            "shipments = [{ on = 2026-01-05, quantity = -1 }]",
            "shipments #1 quantity: expected a positive number",
        ),
        ("shipments = 5", "shipments: expected a list of shipments"),
    ],
)
def test_lifecycle_fields_are_validated(
    store_file: Path, lines: str, expected: str
) -> None:
    assert expected in invalid_message(store_file, GOOD + lines + "\n")


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        (
            ("calendar", 'calendar = "cn"'),
            "[settings] calendar: expected a country code",
        ),
        (("calendar", "calendar = 1"), "[settings] calendar: expected a country code"),
        (
            ("review", "review_working_days = -1"),
            "[settings] review_working_days: expected 1 to",
        ),
    ],
)
def test_lifecycle_settings_are_validated(
    store_file: Path, edit: tuple[str, str], expected: str
) -> None:
    text = GOOD.replace("critical_days = 30", "critical_days = 30\n" + edit[1])
    assert expected in invalid_message(store_file, text)


def test_removed_ids_are_validated_and_never_reused(store_file: Path) -> None:
    assert "removed_ids: expected a list of whole numbers" in invalid_message(
        store_file, GOOD.replace("version = 1", 'version = 1\nremoved_ids = ["3"]')
    )
    data = store.read(
        write(store_file, GOOD.replace("version = 1", "version = 1\nremoved_ids = [7]"))
    )
    assert data.next_id() == 8


def test_shipments_and_decimal_quantities_round_trip(store_file: Path) -> None:
    text = (
        GOOD
        + 'quantity = 12.5\nunit = "t"\nshipments = [\n    { on = 2026-01-05, quantity = 0.1, note = "a" },\n    { on = 2026-01-06, quantity = 0.2, lot = 7 },\n]\n'
    )
    write(store_file, text)
    store.update(store_file, lambda data: (data, None))
    again = store.read(store_file).licenses[0]
    assert again.shipped == Decimal("0.3")  # exact, not 0.30000000000000004
    assert again.quantity == Decimal("12.5")
    assert again.shipments[1].extra == {"lot": 7}
    assert "{ on = 2026-01-06, quantity = 0.2, lot = 7 }" in store_file.read_text(
        encoding="utf-8"
    )


def _add_one(data: store.StoreData) -> tuple[tuple[License, ...], None]:
    lic = License(
        id=data.next_id(),
        material="germanium",
        destination="MX",
        issued=date(2026, 1, 2),
    )
    return (lic,), None


def test_adding_keeps_a_hand_written_file_byte_for_byte(store_file: Path) -> None:
    text = "# our licenses, see wiki\nversion = 1\n\n[[license]]  # the big one\nid = 4\nmaterial = 'terbium'\ndestination = \"DE\"\nissued = 2025-01-01\n"
    write(store_file, text)
    store.append(store_file, _add_one)
    after = store_file.read_text(encoding="utf-8")
    assert after.startswith(text)  # comments and quoting untouched
    assert [lic.id for lic in store.read(store_file).licenses] == [4, 5]


def test_adding_beside_granted_applications_appends(store_file: Path) -> None:
    """A granted application's `license = 4` is that table's key, not a second
    definition of the licenses: the file is appended to, not rewritten."""
    text = (
        "version = 1\n\n[[application]]\nid = 'A1'  # ours\nmaterial = 'terbium'\n"
        "destination = 'DE'\nfiled = 2024-11-01\nstatus = 'granted'\n"
        "decided = 2025-01-01\nlicense = 4\n\n[[license]]\nid = 4\n"
        "material = 'terbium'\ndestination = 'DE'\nissued = 2025-01-01\n"
    )
    write(store_file, text)
    store.append(store_file, _add_one)
    assert store_file.read_text(encoding="utf-8").startswith(text)
    assert [lic.id for lic in store.read(store_file).licenses] == [4, 5]


@pytest.mark.parametrize(
    "text",
    [
        'version = 1\nlicense = [{ id = 1, material = "x", destination = "US", issued = 2025-01-01 }]\n',
        "version = 1\nlicense = []\n",
        "version = 1\n'license' = []\n",
    ],
)
def test_adding_to_an_inline_license_array_rewrites_the_file(
    store_file: Path, text: str
) -> None:
    write(store_file, text)
    store.append(store_file, _add_one)
    data = store.read(store_file)  # valid TOML, nothing lost
    assert data.licenses[-1].material == "germanium"
    assert "[[license]]" in store_file.read_text(encoding="utf-8")
