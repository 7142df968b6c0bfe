"""The explanation sentences as parts plus a render function (issue 18): in English the parts say
exactly what the sentences said before (explain_before.py, frozen), an English sentence reads back
into its parts, and every msgid the core renders is translated in the shipped catalogs."""
from pathlib import Path

import pytest
from babel.support import Translations
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from peer_people import people_docs

from mentormatch.matching import Criterion, Instance, solve
from mentormatch.matching import explain as now
from mentormatch.matching.circles import solve_circles
from mentormatch.matching.crowd import read_peer_instance, table
from mentormatch.matching.peers import solve_pairs
from tests.matching import explain_before as before
from tests.matching.people import E, M

CATALOGS = Path(__file__).resolve().parents[2] / "mentormatch" / "translations"
WORDS = st.sampled_from(["python", "go", "sql", "fintech", "first-gen", "parent", "Go", "data, ml"])  # a tag with " and " in it reads back as two (old rows only)
SPANISH = now.Words(*(lambda t: (t.gettext, t.ngettext))(Translations.load(str(CATALOGS), ["es"])))
CRITERIA = [Criterion("campus", "Campus"), Criterion("shift", "Shift", kind="different")]


@st.composite
def pairs(draw):
    e = E(0, industry=draw(st.sampled_from([None, "fintech", "health"])), tags=draw(st.lists(WORDS, max_size=3)),
          context_matters=draw(st.lists(st.sampled_from(["industry", "tags"]), max_size=2, unique=True)),
          topics=draw(st.lists(WORDS, max_size=4)), years=draw(st.sampled_from([0, 1, 2, 2.5, 10])),
          preference=draw(st.sampled_from(["peer", "ahead", "senior"])),
          answers=draw(st.dictionaries(st.sampled_from(["campus", "shift"]), st.sampled_from(["Lisbon", "night"]))))
    m = M(0, industry=draw(st.sampled_from([None, "fintech", "Fintech"])), tags=draw(st.lists(WORDS, max_size=3)),
          topics=draw(st.lists(WORDS, max_size=4)), years=draw(st.sampled_from([0, 1, 2, 3.04, 3.5, 12])),
          answers=draw(st.dictionaries(st.sampled_from(["campus", "shift"]), st.sampled_from(["Lisbon", "day"]))))
    why = draw(st.sampled_from([{}, {"mentor_pref": 1.0}, {"mentor_pref": 0.5}, {"mentor_pref": 0.0}]))
    kw = dict(continuing=draw(st.booleans()), history=draw(st.booleans()), scored=draw(st.booleans()),
              score=draw(st.integers(0, 150)), criteria=CRITERIA)
    return e, m, why, draw(st.sampled_from([0.0, 1.0, 2.25, 6.0, 7.5])), kw


@settings(max_examples=300, deadline=None)
@given(pairs())
def test_the_parts_in_english_say_what_the_sentence_said_before(pair):
    e, m, why, overlap, kw = pair
    parts = now.pair_parts(e, m, why, overlap, **kw)
    assert now.render_pair(parts) == before.pair_sentence(e, m, why, overlap, **kw)
    read = now.read_pair_sentence(now.render_pair(parts))  # read back exactly, or not at all
    assert read is None or now.render_pair(read, SPANISH) == now.render_pair(parts, SPANISH)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(list(now.REASONS)), st.integers(1, 12)), max_size=5,
                unique_by=lambda r: r[0]))
def test_unmatched_reasons_in_english_say_what_they_said_before(reasons):
    assert now.render_unmatched(reasons) == before.unmatched_sentence(reasons)
    for code, n in reasons:
        assert now.reason_text(code, n) == before.reason_text(code, n)


def test_a_solved_pair_carries_its_parts_and_they_read_back_from_its_sentence():
    res = solve(Instance([E(0, tags=["first-gen"], context_matters=["tags"], topics=["python", "go"])],
                         [M(0, tags=["first-gen"], topics=["python"])]))
    [p] = res.assignment
    assert p.parts and now.render_pair(p.parts) == p.sentence
    assert now.render_pair(now.read_pair_sentence(p.sentence), SPANISH) == now.render_pair(p.parts, SPANISH) == (
        "comparten first-gen; 4 años por delante, como pidió; cubre 1 de 2 temas (python); "
        "8 h de horario laboral en común")


def _every_msgid():
    singles = list(now.PAIR_TEXT.values()) + [text for _, text in now.ADVICE] + list(now.PREFERENCE_TEXT.values()) + [
        now.NO_MENTORS, now.NO_MENTOR_COULD, now.NO_MENTOR, now.NO_MENTOR_FIX, now.SAME_EXPERIENCE, now.AS_ASKED,
        now.ASKED_FOR, now.AND]
    plurals = list(now.REASONS.values()) + list(now.STAGE_WHERE.values()) + [
        now.CAPACITY_FULL_ALL, now.TOPICS, now.TOPICS_LISTED]
    return singles, plurals


@pytest.mark.parametrize("lang", ["es", "pt"])
def test_every_reason_code_and_phrase_is_translated_in_the_catalog(lang):
    t = Translations.load(str(CATALOGS), [lang])
    singles, plurals = _every_msgid()
    for msgid in singles:
        assert t.gettext(msgid) != msgid, f"{lang}: {msgid!r} untranslated"
    for one, many in plurals:
        for n in (1, 2, 7):
            text = t.ngettext(one, many, n)
            assert text not in (one, many), f"{lang}: {one!r} untranslated for {n}"
    words = now.Words(t.gettext, t.ngettext)
    for code, n in [(c, k) for c in now.REASONS for k in (1, 3)]:
        text = now.render_unmatched([(code, n)], words)
        assert "%(" not in text and (str(n) in text or code == "capacity_full")


@pytest.mark.parametrize("lang", ["es", "pt"])
def test_every_pair_part_renders_in_the_catalog_language(lang):
    t = Translations.load(str(CATALOGS), [lang])
    words = now.Words(t.gettext, t.ngettext)
    parts = [("continuing", {}), ("history", {}), ("picked", {"score": 70}), ("shares", {"items": ["a", "b", "c"]}),
             ("shares_none", {}), ("no_topics", {}), ("overlap", {"hours": 2.5}),
             ("both_answered", {"label": "Campus", "answer": "Lisbon"}),
             ("different_answers", {"label": "Shift", "a": "day", "b": "night"}),
             ("mentor_pref_fits", {}), ("mentor_pref_partly", {}), ("mentor_pref_outside", {}),
             ("stage", {"where": "same", "years": 0, "as_asked": True, "preference": "peer"}),
             ("stage", {"where": "ahead", "years": 1, "as_asked": False, "preference": "senior"}),
             ("stage", {"where": "behind", "years": 2.5, "as_asked": True, "preference": "ahead"}),
             ("topics", {"covered": ["python"], "total": 3}), ("topics", {"covered": [], "total": 1})]
    for part in parts:
        text, english = now.render_part(*part, words), now.render_part(*part)
        assert text != english and "%(" not in text, (lang, part)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(people_docs(n_min=2, n_max=10, task="pairs"))
def test_peer_sentences_in_english_say_what_they_said_before(doc):
    inst = read_peer_instance(doc)
    T = table(inst)
    res = solve_pairs(inst)
    for p in res.pairs:
        i, j = T.index[p.a], T.index[p.b]
        hours = (T.masks[i] & T.masks[j]).bit_count() / 4
        assert p.sentence == before.peer_pair_sentence(T.people[i], T.people[j], hours)
    assert all(x.reason.startswith("Not paired: ") for x in res.left_out)
    # The same people left out in Spanish, each with a reason in Spanish.
    es = solve_pairs(inst, SPANISH)
    assert [x.id for x in es.left_out] == [x.id for x in res.left_out]
    assert all(x.reason.startswith("Sin pareja: ") for x in es.left_out)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(people_docs(n_min=3, n_max=12, task="circles"))
def test_circle_sentences_in_english_say_what_they_said_before(doc):
    inst = read_peer_instance(doc)
    T = table(inst)
    for c in solve_circles(inst).circles:
        ids = [T.index[m] for m in c.members]
        fac = T.index[c.facilitator] if c.facilitator is not None else None
        assert c.sentence == before.circle_sentence(T, ids, fac)


def test_a_circle_and_a_left_out_person_in_spanish_and_portuguese():
    person = {"tz": 1, "years": 1, "wants": ["sql", "python"], "context": ["career-changer"]}
    people = [{**person, "id": x, "tz": tz} for x, tz in (("a", 1), ("b", 2), ("c", 3), ("d", 1), ("far", -8))]
    inst = read_peer_instance({"format": "mentormatch-peers", "version": 1, "task": "circles",
                               "rules": {"min_overlap": 2}, "people": people})
    es = solve_circles(inst, SPANISH)
    assert es.circles[0].sentence == (
        "cuatro personas, todas career-changer; interesadas en python (4) y sql (4); de UTC+1 a UTC+3; "
        "horario laboral en común 08:00-14:00 UTC; todas con 1 año de experiencia")
    assert es.left_out[0].reason == "Sin círculo: menos de 4 personas comparten 2 h de horario laboral con esta persona."
    t = Translations.load(str(CATALOGS), ["pt"])
    pt = solve_circles(inst, now.Words(t.gettext, t.ngettext))
    assert pt.circles[0].sentence.startswith("quatro pessoas, todas career-changer; interessadas em python (4) e sql (4)")


def test_a_peer_pair_in_portuguese():
    doc = {"format": "mentormatch-peers", "version": 1, "task": "pairs", "people": [
        {"id": "ana", "tz": 0, "years": 2, "wants": ["sql"], "offers": ["python"], "context": ["parent"]},
        {"id": "bia", "tz": 0, "years": 4.5, "wants": ["python"], "offers": ["sql"], "context": ["parent"]}]}
    t = Translations.load(str(CATALOGS), ["pt"])
    [p] = solve_pairs(read_peer_instance(doc), now.Words(t.gettext, t.ngettext)).pairs
    assert p.sentence.startswith("vocês dois compartilham parent; ana pode ajudar bia com python, "
                                 "bia pode ajudar ana com sql; 2.5 anos de diferença de experiência; ")
