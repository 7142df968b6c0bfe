"""Fuzzing the instance reader: whatever the JSON, it returns an instance or an InstanceError
naming a field, never another exception."""
import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mentormatch.matching import Instance, InstanceError, read_instance

json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-10**9, 10**9) | st.floats(allow_nan=True) | st.text(max_size=8),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=20,
)

VALID = {
    "format": "mentormatch-instance",
    "version": 1,
    "weights": {"topics": 40, "context": 20, "stage": 25, "tz": 15},
    "rules": {"min_score": 0, "mentors_per_mentee": 1},
    "mentees": [{"id": "e1", "industry": "software", "tags": ["first-gen"], "languages": ["en"], "tz": 0,
                 "years": 1, "topics": ["python"], "preference": "ahead", "context_matters": ["industry"]}],
    "mentors": [{"id": "m1", "industry": "software", "tags": [], "languages": ["en"], "tz": 1, "years": 5,
                 "topics": ["python"], "capacity": 1}],
}


def check(document) -> None:
    try:
        result = read_instance(document)
    except InstanceError as error:
        assert error.errors and all(":" in e for e in error.errors)
    else:
        assert isinstance(result, Instance)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(json_values)
def test_arbitrary_json_never_crashes_the_reader(document):
    check(document)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.sampled_from(["mentees", "mentors"]), st.sampled_from(["id", "tz", "years", "languages", "topics",
       "capacity", "preference", "context_matters", "tags", "team"]), json_values)
def test_one_bad_person_field_is_reported_or_accepted(side, key, value):
    document = json.loads(json.dumps(VALID))
    document[side][0][key] = value
    check(document)


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.sampled_from(["weights", "rules", "forbidden", "locked", "edges", "version", "format"]), json_values)
def test_one_bad_top_level_section_is_reported_or_accepted(key, value):
    document = json.loads(json.dumps(VALID))
    document[key] = value
    check(document)


def test_the_valid_document_reads():
    assert isinstance(read_instance(json.loads(json.dumps(VALID))), Instance)
