"""One reference module: the language list and the zones' UTC offsets every service reads."""
from datetime import datetime

from mentormatch.core import reference


def test_offsets_follow_daylight_saving_at_the_moment_asked():
    assert reference.utc_offset("Europe/Lisbon", datetime(2027, 1, 15, 12, 30)) == 0.0
    assert reference.utc_offset("Europe/Lisbon", datetime(2027, 7, 15, 12, 30)) == 1.0
    # The switch falls on the hour: 01:00 UTC on the last Sunday of March 2027 (the 28th).
    assert reference.utc_offset("Europe/Lisbon", datetime(2027, 3, 28, 0, 59)) == 0.0
    assert reference.utc_offset("Europe/Lisbon", datetime(2027, 3, 28, 1, 0)) == 1.0
    assert reference.utc_offset("America/Sao_Paulo", datetime(2027, 1, 15)) == -3.0
    assert reference.utc_offset("Asia/Kolkata", datetime(2027, 1, 15)) == 5.5


def test_unknown_or_empty_zones_count_as_utc_and_offsets_stay_in_the_cores_range():
    assert reference.utc_offset("Mars/Olympus", datetime(2027, 1, 15)) == 0.0
    assert reference.utc_offset("", datetime(2027, 1, 15)) == 0.0
    assert reference.utc_offset(None, datetime(2027, 1, 15)) == 0.0
    assert reference.utc_offset("Pacific/Kiritimati", datetime(2027, 1, 15)) == 14.0
    assert -12.0 <= reference.utc_offset("Etc/GMT+12", datetime(2027, 1, 15)) <= 14.0


def test_one_language_list_names_codes_and_shows_unknown_ones_as_they_are():
    assert reference.language_name("pt") == "Portuguese"
    assert reference.language_name("xx") == "xx"
    assert len(reference.LANGUAGES) == len(reference.LANGUAGE_CODES)
