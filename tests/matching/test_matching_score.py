"""Eligibility and score: the vectorized code agrees with a slow reference written from the
documented rules, and each component behaves as a coordinator would expect."""
import math

import numpy as np
from hypothesis import given, settings
from mm_reference import instances, near_half, ref_components, ref_eligible, ref_total

from mentormatch.matching import Instance, Mentee, Mentor, Rules, Weights, candidates, read_instance, score_pair
from mentormatch.matching.scoring import pair_breakdown, prepare, score_candidates
from mentormatch.matching.solver import build, canonical


def mentee(**kw):
    base = dict(id="e1", languages=["en"], tz=0, years=2, preference="ahead",
                topics=["python", "sql", "go"], industry="fintech", tags=["first-gen"],
                context_matters=["industry", "tags"])
    base.update(kw)
    return Mentee(**base)


def mentor(**kw):
    base = dict(id="m1", languages=["en"], tz=0, years=6, capacity=1,
                topics=["python", "sql", "go"], industry="fintech", tags=["first-gen"])
    base.update(kw)
    return Mentor(**base)


def why(e, m, **inst_kw):
    return score_pair(Instance([e], [m], **inst_kw), e.id, m.id)


@settings(max_examples=80, deadline=None)
@given(doc=instances(edges=False))
def test_vectorized_scores_match_the_reference(doc):
    inst = canonical(read_instance(doc))
    P = prepare(inst)
    ei = np.repeat(np.arange(P.n_e), P.n_m)
    mj = np.tile(np.arange(P.n_m), P.n_e)
    base, comps = pair_breakdown(P, ei, mj)
    by_id_e = {e["id"]: e for e in doc["mentees"]}
    by_id_m = {m["id"]: m for m in doc["mentors"]}
    for k in range(len(ei)):
        e = by_id_e[inst.mentees[ei[k]].id]
        m = by_id_m[inst.mentors[mj[k]].id]
        ref = ref_components(e, m, doc["weights"])
        for name in comps:
            assert math.isclose(comps[name][k], ref[name], abs_tol=1e-5), (name, e, m)
        total = ref_total(e, m, doc["weights"])
        if not near_half(total):
            assert base[k] == math.floor(total + 0.5)


@settings(max_examples=80, deadline=None)
@given(doc=instances(edges=False))
def test_candidate_set_is_exactly_the_eligible_pairs(doc):
    inst = canonical(read_instance(doc))
    P = prepare(inst)
    cand = score_candidates(inst, P, threads=1)
    got = {(inst.mentees[a].id, inst.mentors[b].id) for a, b in zip(cand.ei, cand.mj)}
    for e in doc["mentees"]:
        for m in doc["mentors"]:
            expect = ref_eligible(doc, e, m)
            if expect is not None:
                assert ((e["id"], m["id"]) in got) == expect, (e, m)
    # every mentor is either a candidate or counted under exactly one reason
    per = np.bincount(cand.ei, minlength=P.n_e)
    assert (cand.reasons.sum(axis=1) + per == P.n_m).all()


@settings(max_examples=30, deadline=None)
@given(doc=instances(edges=False))
def test_block_and_threaded_scoring_agree_with_pairwise(doc):
    inst = canonical(read_instance(doc))
    P = prepare(inst)
    one = score_candidates(inst, P, threads=1)
    two = score_candidates(inst, P, threads=2)
    assert np.array_equal(one.ei, two.ei) and np.array_equal(one.score, two.score)
    if one.n:
        base, _ = pair_breakdown(P, one.ei, one.mj)
        assert np.array_equal(base, one.score)


def test_formats_example_pair_scores_as_documented():
    # topics: python is 2nd of m000's but 1st of the mentee's two topics -> 2/3;
    # no shared industry or tag -> 0; 6 years ahead for "ahead" -> 1; 1 h apart -> 7/8.
    info = why(mentee(id="e0000", industry="software", tags=["first-gen"], languages=["es", "en"],
                      tz=-5.0, years=3, topics=["python", "interviewing"]),
               mentor(id="m000", industry="finance", tags=["parent"], tz=-6.0, years=9,
                      topics=["sql", "python", "promotion"], capacity=3))
    assert info["why"] == {"topics": 0.67, "context": 0.0, "stage": 1.0, "tz": 0.88}
    assert info["score"] == round(40 * 2 / 3 + 25 + 15 * 7 / 8)
    assert info["eligible"]


def test_first_listed_topic_counts_most():
    first = why(mentee(), mentor(topics=["python"]))["why"]["topics"]
    last = why(mentee(), mentor(topics=["go"]))["why"]["topics"]
    assert first == round(3 / 6, 2) and last == round(1 / 6, 2)


def test_no_topics_listed_scores_zero_topics():
    assert why(mentee(topics=[]), mentor())["why"]["topics"] == 0.0


def test_context_counts_only_what_the_mentee_cares_about():
    m = mentor(industry="fintech", tags=["parent"])
    assert why(mentee(context_matters=["industry"], tags=["first-gen"]), m)["why"]["context"] == 1.0
    assert why(mentee(context_matters=["tags"], tags=["first-gen"]), m)["why"]["context"] == 0.0
    assert why(mentee(context_matters=["industry", "tags"], tags=["first-gen", "parent"]),
               m)["why"]["context"] == 0.75
    # a mentee to whom no context matters is indifferent
    assert why(mentee(context_matters=[]), mentor(industry="x", tags=[]))["why"]["context"] == 1.0


def test_stage_follows_the_preference_and_falls_off_smoothly():
    def stage(pref, gap):
        return why(mentee(preference=pref, years=10), mentor(years=10 + gap))["why"]["stage"]

    assert stage("peer", 0) == stage("peer", 2) == stage("peer", -2) == 1.0
    assert 0 < stage("peer", 4) < 1 and stage("peer", 7) == 0.0
    assert stage("ahead", 2) == stage("ahead", 6) == 1.0
    assert stage("ahead", 0) == 0.5 and stage("ahead", 10) == 0.5 and stage("ahead", 14) == 0
    assert stage("senior", 7) == stage("senior", 30) == 1.0 and stage("senior", 2) == 0.0
    assert [stage("senior", g) for g in range(2, 8)] == sorted(stage("senior", g)
                                                               for g in range(2, 8))


def test_time_zone_overlap_wraps_around_the_clock():
    assert why(mentee(tz=0), mentor(tz=3))["why"]["tz"] == round(5 / 8, 2)
    assert why(mentee(tz=-12), mentor(tz=14))["why"]["tz"] == round(6 / 8, 2)
    assert why(mentee(tz=-5), mentor(tz=9))["why"]["tz"] == 0.0


def test_weights_per_round_change_the_score():
    e, m = mentee(), mentor(tz=4)
    a = why(e, m)["score"]
    b = why(e, m, weights=Weights(topics=0, context=0, stage=0, tz=100))["score"]
    assert a == math.floor(100 - 15 * 4 / 8 + 0.5) and b == 50  # half rounds up


def test_ineligible_pairs_say_which_rule():
    assert why(mentee(languages=["es"]), mentor())["reason"] == "no_shared_language"
    assert why(mentee(), mentor(capacity=0))["reason"] == "mentor_unavailable"
    assert why(mentee(topics=["art"]), mentor(), rules=Rules(min_score=90))["reason"] == \
        "below_min_score"
    assert why(mentee(), mentor(tz=7), rules=Rules(min_tz_overlap=2))["reason"] == \
        "below_min_overlap"
    assert why(mentee(), mentor(), forbidden=[("e1", "m1")])["reason"] == "forbidden"
    info = why(mentee(languages=["es"]), mentor(), locked=[("e1", "m1")])
    assert info["eligible"] and info["reason"] is None


def test_languages_topics_and_tags_compare_without_case():
    info = why(mentee(languages=["EN"], topics=["Python"]), mentor(languages=["en "],
                                                                   topics=["python"]))
    assert info["eligible"] and info["why"]["topics"] == 1.0


def test_candidates_lists_eligible_mentors_best_first():
    e = mentee()
    ms = [mentor(id="m1", topics=["go"]), mentor(id="m2"), mentor(id="m3", languages=["fr"]),
          mentor(id="m4", topics=["sql"])]
    inst = Instance([e, mentee(id="e2")], ms)
    got = candidates(inst, "e1")
    assert [p.mentor for p in got] == ["m2", "m4", "m1"]
    assert [p.score for p in got] == sorted((p.score for p in got), reverse=True)
    for p in got:
        assert p.score == score_pair(inst, "e1", p.mentor)["score"]
        assert p.why and p.sentence


def test_candidates_agree_with_the_full_candidate_set():
    ms = [mentor(id=f"m{j}", tz=j - 4, years=j, topics=["python", "go"][: 1 + j % 2])
          for j in range(8)]
    es = [mentee(id=f"e{i}", years=i % 4, tz=(i % 5) - 2) for i in range(6)]
    inst = Instance(es, ms, rules=Rules(min_score=50))
    pb = build(inst)
    for i, e in enumerate(pb.inst.mentees):
        mine = {(pb.inst.mentors[j].id, int(s)) for j, s in
                zip(pb.cand.mj[pb.cand.ei == i], pb.cand.score[pb.cand.ei == i])}
        assert {(p.mentor, p.score) for p in candidates(inst, e.id)} == mine
