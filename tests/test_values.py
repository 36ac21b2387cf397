from datetime import UTC, date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from podcastfeed.values import (
    format_duration,
    parse_bool,
    parse_date,
    parse_duration,
    parse_positive_int,
)

VIENNA = ZoneInfo("Europe/Vienna")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (3723, 3723),
        ("3723", 3723),
        ("1:02:03", 3723),
        ("62:03", 3723),
        ("02:03", 123),
        ("0:00:05.6", 5),
        (12.6, 13),
    ],
)
def test_parse_duration_accepts_seconds_and_clock_forms(value: object, expected: int) -> None:
    assert parse_duration(value) == expected


@pytest.mark.parametrize("value", ["", "abc", "1:60:00", "1:02:61", -5, True, None, [1]])
def test_parse_duration_rejects_nonsense(value: object) -> None:
    with pytest.raises(ValueError, match=r"seconds|below 60|negative"):
        parse_duration(value)


@given(st.integers(0, 10**6))
def test_format_and_parse_duration_round_trip(seconds: int) -> None:
    assert parse_duration(format_duration(seconds)) == seconds


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2023-03-21T05:31:18+00:00", datetime(2023, 3, 21, 5, 31, 18, tzinfo=UTC)),
        ("2023-03-21T05:31:18Z", datetime(2023, 3, 21, 5, 31, 18, tzinfo=UTC)),
        ("2023-03-21 05:31:18 +0000", datetime(2023, 3, 21, 5, 31, 18, tzinfo=UTC)),
        ("Tue, 21 Mar 2023 05:31:18 GMT", datetime(2023, 3, 21, 5, 31, 18, tzinfo=UTC)),
        (
            "2023-03-21T05:31:18+02:00",
            datetime(2023, 3, 21, 5, 31, 18, tzinfo=timezone(timedelta(hours=2))),
        ),
        ("2023-03-21 05:31", datetime(2023, 3, 21, 5, 31, tzinfo=VIENNA)),
        ("2023-03-21", datetime(2023, 3, 21, tzinfo=VIENNA)),
        (date(2023, 3, 21), datetime(2023, 3, 21, tzinfo=VIENNA)),
        (datetime(2023, 3, 21, 5, 31), datetime(2023, 3, 21, 5, 31, tzinfo=VIENNA)),
    ],
)
def test_parse_date_forms_and_show_timezone(value: object, expected: datetime) -> None:
    parsed = parse_date(value, VIENNA)
    assert parsed == expected
    assert parsed.tzinfo is not None


@pytest.mark.parametrize("value", ["12/03/24", "yesterday", "", 20230321, None])
def test_parse_date_rejects_what_it_cannot_read(value: object) -> None:
    with pytest.raises(ValueError, match="date"):
        parse_date(value, VIENNA)


@pytest.mark.parametrize(
    ("value", "expected"),
    [(True, True), ("yes", True), ("true", True), (False, False), ("no", False), ("clean", False)],
)
def test_parse_bool_reads_apple_and_legacy_words(value: object, expected: bool) -> None:
    assert parse_bool(value) is expected


def test_parse_bool_and_int_reject_other_values() -> None:
    with pytest.raises(ValueError, match="true or false"):
        parse_bool("maybe")
    for bad in (0, -1, "x", True, 1.5):
        with pytest.raises(ValueError, match="whole number"):
            parse_positive_int(bad)
    assert parse_positive_int("7") == 7
