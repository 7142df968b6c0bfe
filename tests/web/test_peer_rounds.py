"""Peer pairs and peer circles through the round review flow (issue 15, items 2-4): the new-round
form, the instance built from goal forms, the run stored as groups, lock / forbid / re-run, and
approve forming circles and telling every member."""
import re

import pytest

from mentormatch.extensions import db
from mentormatch.models import Circle, CircleMember, GoalForm, Pairing, Term, User, utcnow
from mentormatch.models.rounds import Round, RoundConstraint, RoundEvent, RunGroup, RunUnmatched, SolveRun
from mentormatch.services import ServiceError
from mentormatch.services.rounds import peer_instance, peer_review
from tests.conftest import login, post_form
from tests.web.test_rounds_support import add_people, latest_run_id, round_state

INLINE = pytest.mark.parametrize("app", [{"SOLVE_RUNNER": "inline"}], indirect=True)


def url(world, rid, tail=""):
    return f"/coordinator/programs/{world.program.id}/rounds/{rid}{tail}"


def post(client, target, data=None, page=None):
    return post_form(client, target, data or {}, page=page or "/coordinator/")


def peers(app, program_id, n=4, prefix="", **extra):
    """n mentees with goal forms and strengths: Ana wants SQL and offers interviews, Ben the other way round."""
    topics = ("sql", "interviews", "python", "design")
    people = [{"name": "Ana Peer", "years": 3, "topics": ["sql"], "groups": ["first-gen"],
               "context_matters": ["groups"]},
              {"name": "Ben Peer", "years": 4, "topics": ["interviews"], "groups": ["first-gen"],
               "context_matters": ["groups"]},
              {"name": "Cai Peer", "years": 2, "topics": ["python"]},
              {"name": "Dee Peer", "years": 2, "topics": ["design"]},
              {"name": "Eve Peer", "years": 5, "topics": ["sql"]},
              {"name": "Fay Peer", "years": 6, "topics": ["python"]},
              {"name": "Gus Peer", "years": 1, "topics": ["interviews"]},
              {"name": "Hal Peer", "years": 3, "topics": ["design"]},
              {"name": "Ida Peer", "years": 3, "topics": ["sql"], "languages": ["ja"]}][:n]
    if prefix:
        people = [{**p, "email": f"{prefix}.{p['name'].lower().replace(' ', '.')}@example.org"} for p in people]
    out = add_people(app, program_id, mentees=[{**p, **extra} for p in people], topics=topics)
    strengths = {"Ana Peer": ["interviews"], "Ben Peer": ["sql"], "Cai Peer": ["design"], "Dee Peer": ["python"],
                 "Eve Peer": ["python", "interviews"], "Fay Peer": ["sql"], "Gus Peer": ["design"],
                 "Hal Peer": ["interviews"], "Ida Peer": ["python"]}
    with app.app_context():
        ids = dict(db.session.execute(db.select(Term.name, Term.id).where(Term.program_id == program_id)).all())
        for name, mid in out.ids.items():
            g = db.session.scalar(db.select(GoalForm).where(GoalForm.membership_id == mid))
            g.strengths = [ids[t] for t in strengths[name]]
            g.submitted_at = utcnow()
        db.session.commit()
    return out


def peer_round(app, program_id, coordinator_id, kind="peer", rules=None, pool=None, name="Peer round"):
    with app.app_context():
        r = Round(program_id=program_id, name=name, kind=kind, created_by_id=coordinator_id, weights={},
                  rules={**peer_instance.PEER_DEFAULTS, **(rules or {})}, pool=pool or {})
        db.session.add(r)
        db.session.commit()
        return r.id


def groups_of(app, run_id):
    with app.app_context():
        return [(g.id, sorted(m.name for m in g.members), g.locked) for g in
                db.session.scalars(db.select(RunGroup).where(RunGroup.run_id == run_id).order_by(RunGroup.id))]


ROUND_FORM = {"name": "Peers", "topics": "40", "context": "20", "stage": "25", "tz": "15",
              "mentors_per_mentee": "1", "team_by": "industry", "balance_slack": "5"}


# ---------------------------------------------------------------- the new-round form

def test_new_round_form_offers_the_kinds_and_stores_peer_settings(app, client, world):
    login(client, world.coordinator)
    new = f"/coordinator/programs/{world.program.id}/rounds/new"
    page = client.get(new).get_data(as_text=True)
    assert "Peer circles" in page and 'name="circle_min"' in page and 'name="facilitator"' in page
    response = post_form(client, new, {**ROUND_FORM, "kind": "circle", "circle_min": "3", "circle_max": "5",
                                       "facilitator": "y", "peer_overlap": "2"})
    assert response.status_code == 303
    rid = int(response.headers["Location"].rstrip("/").split("/")[-1])
    with app.app_context():
        r = db.session.get(Round, rid)
        assert r.kind == "circle"
        assert (r.rules["circle_min"], r.rules["circle_max"], r.rules["facilitator"], r.rules["peer_overlap"]) == (
            3, 5, True, 2)
    # Settings keep the kind; the page says what the round forms.
    page = client.get(url(world, rid, "/settings")).get_data(as_text=True)
    assert "chosen when the round was created" in page and 'name="kind"' not in page


def test_bad_circle_sizes_are_refused_next_to_the_field_and_nothing_is_stored(app, client, world):
    login(client, world.coordinator)
    new = f"/coordinator/programs/{world.program.id}/rounds/new"
    response = post_form(client, new, {**ROUND_FORM, "kind": "circle", "circle_min": "7", "circle_max": "5"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert re.search(r'id="circle_min-error"[^>]*>[^<]*cannot be larger', page) or \
        "The smallest circle cannot be larger than the largest one." in page
    assert 'id="circle_min"' in page and 'aria-invalid="true"' in page
    response = post_form(client, new, {**ROUND_FORM, "kind": "circle", "circle_min": "2", "circle_max": "5"})
    assert "Between 3 and 12." in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(Round)) == 0


def test_mixed_round_must_follow_an_approved_mentor_round_of_the_same_program(app, client, world):
    with app.app_context():
        other = Round(program_id=world.other_program.id, name="Theirs", state="approved")
        draft = Round(program_id=world.program.id, name="Draft mentor round", state="draft")
        done = Round(program_id=world.program.id, name="Spring mentors", state="approved")
        db.session.add_all([other, draft, done])
        db.session.commit()
        ids = (other.id, draft.id, done.id)
    login(client, world.coordinator)
    new = f"/coordinator/programs/{world.program.id}/rounds/new"
    page = client.get(new).get_data(as_text=True)
    assert "Spring mentors" in page and "Draft mentor round" not in page and "Theirs" not in page
    for bad in ids[:2]:
        response = post_form(client, new, {**ROUND_FORM, "kind": "peer", "after_round_id": str(bad)})
        assert "Choose an approved mentor round of this program." in response.get_data(as_text=True)
    response = post_form(client, new, {**ROUND_FORM, "kind": "peer", "after_round_id": str(ids[2])})
    assert response.status_code == 303
    with app.app_context():
        r = db.session.scalar(db.select(Round).where(Round.kind == "peer"))
        assert r.pool["after_round_id"] == ids[2]


# ---------------------------------------------------------------- the instance

def test_instance_takes_wants_strengths_context_stage_zone_and_forbids(app, world):
    people = peers(app, world.program.id, n=4)
    rid = peer_round(app, world.program.id, world.coordinator.id)
    a, b = people.ids["Ana Peer"], people.ids["Ben Peer"]
    with app.app_context():
        db.session.add(RoundConstraint(round_id=rid, mentee_membership_id=min(a, b), mentor_membership_id=max(a, b),
                                       kind="forbid"))
        g = db.session.scalar(db.select(GoalForm).where(GoalForm.membership_id == people.ids["Cai Peer"]))
        g.timezone = "Asia/Tokyo"
        db.session.commit()
        data = peer_instance.build_peer_data(db.session.get(Round, rid))
        by = {p.id: p for p in data.instance.people}
        ana = by[peer_instance.person_key(a)]
        assert (ana.wants, ana.offers, ana.context, ana.years) == (["sql"], ["interviews"], ["first-gen"], 3.0)
        # Context only where the mentee said it matters to them.
        assert by[peer_instance.person_key(people.ids["Cai Peer"])].context == []
        assert by[peer_instance.person_key(people.ids["Cai Peer"])].tz == 9.0
        assert data.instance.task == "pairs"
        assert data.instance.forbidden == [(peer_instance.person_key(min(a, b)), peer_instance.person_key(max(a, b)))]
        # The coordinator of the program and the mentor without a goal form are not peers.
        assert len(data.instance.people) == 4


def test_mixed_round_takes_only_mentees_left_without_a_mentor(app, world):
    people = peers(app, world.program.id, n=4)
    with app.app_context():
        mentor_round = Round(program_id=world.program.id, name="Mentors", state="approved")
        db.session.add(mentor_round)
        db.session.flush()
        mentor_m = world.program.memberships[world.mentor.id]
        db.session.add(Pairing(program_id=world.program.id, round_id=mentor_round.id, state="accepted",
                               mentee_membership_id=people.ids["Ana Peer"], mentor_membership_id=mentor_m))
        db.session.commit()
        mid = mentor_round.id
    rid = peer_round(app, world.program.id, world.coordinator.id, pool={"after_round_id": mid})
    with app.app_context():
        data = peer_instance.build_peer_data(db.session.get(Round, rid))
        assert sorted(data.names.values()) == ["Ben Peer", "Cai Peer", "Dee Peer"]


# ---------------------------------------------------------------- running, reviewing, approving

@INLINE
def test_peer_pairs_run_review_lock_forbid_rerun_and_approve(app, client, world):
    people = peers(app, world.program.id, n=4)
    rid = peer_round(app, world.program.id, world.coordinator.id)
    login(client, world.coordinator)
    assert post(client, url(world, rid, "/run"), page=url(world, rid)).status_code == 303
    assert round_state(app, rid) == "proposed"
    run1 = latest_run_id(app, rid)
    groups = groups_of(app, run1)
    assert ["Ana Peer", "Ben Peer"] in [g[1] for g in groups]
    page = client.get(url(world, rid)).get_data(as_text=True)
    # The sentence: shared context and give-and-take, by name.
    assert "Ana Peer can help Ben Peer with interviews" in page and "Ben Peer can help Ana Peer with sql" in page
    assert "you both share first-gen" in page
    assert "proven best" in page and "objective" in page
    with app.app_context():
        run = db.session.get(SolveRun, run1)
        assert run.result_status == "optimal" and run.gap == 0 and run.objective["value"] == run.bound["value"]
        assert run.objective["value"] == sum(g.score for g in db.session.scalars(
            db.select(RunGroup).where(RunGroup.run_id == run1)))

    ab = next(g for g in groups if g[1] == ["Ana Peer", "Ben Peer"])
    other = next(g for g in groups if g[1] != ["Ana Peer", "Ben Peer"])
    # Lock Ana and Ben; forbid the other two together.
    assert post(client, url(world, rid, f"/groups/{ab[0]}/lock"), page=url(world, rid)).status_code == 303
    c, d = people.ids[other[1][0]], people.ids[other[1][1]]
    assert post(client, url(world, rid, f"/groups/{other[0]}/forbid"), {"first": str(c), "second": str(d)},
                page=url(world, rid)).status_code == 303
    page = client.get(url(world, rid)).get_data(as_text=True)
    assert "forbade two people of their group" in page
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(RoundConstraint).where(
            RoundConstraint.round_id == rid, RoundConstraint.kind == "forbid")) == 1
        assert db.session.get(RunGroup, other[0]) is None
        assert db.session.scalar(db.select(db.func.count()).select_from(RunUnmatched).where(
            RunUnmatched.run_id == run1)) == 2

    # Re-run: the locked pair is kept as it was; the forbidden two are not paired again.
    assert post(client, url(world, rid, "/run"), page=url(world, rid)).status_code == 303
    run2 = latest_run_id(app, rid)
    assert run2 != run1
    groups2 = groups_of(app, run2)
    assert (["Ana Peer", "Ben Peer"], True) in [(g[1], g[2]) for g in groups2]
    assert sorted(other[1]) not in [g[1] for g in groups2]
    page = client.get(url(world, rid)).get_data(as_text=True)
    assert "Not paired" in page  # the two left out say why

    assert post(client, url(world, rid, "/approve"), page=url(world, rid)).status_code == 303
    assert round_state(app, rid) == "approved"
    with app.app_context():
        circles = db.session.scalars(db.select(Circle).where(Circle.round_id == rid)).all()
        assert [(c.kind, sorted(m.membership_id for m in c.members)) for c in circles] == [
            ("pair", sorted((people.ids["Ana Peer"], people.ids["Ben Peer"])))]
        assert circles[0].sentence_parts and circles[0].sentence_parts[0][0] == "peer_pair"
        actions = [e.action for e in db.session.scalars(db.select(RoundEvent).where(RoundEvent.round_id == rid))]
        assert actions == ["run", "lock", "forbid", "run", "approve"]
        mails = app.extensions["mailman"].outbox
    assert sorted(m.to[0] for m in mails) == sorted(people.emails[n] for n in ("Ana Peer", "Ben Peer"))
    page = client.get(url(world, rid)).get_data(as_text=True)
    assert "Formed groups (1)" in page and "Ana Peer, Ben Peer" in page and "Run again" not in page
    ana_mail = next(m for m in mails if m.to[0] == people.emails["Ana Peer"])
    assert "You have a peer in Main program" in ana_mail.subject
    assert "Ben Peer" in ana_mail.body and "can help" in ana_mail.body


@INLINE
def test_circle_round_forms_circles_within_bounds_and_mails_in_the_members_language(app, client, world):
    people = peers(app, world.program.id, n=9)
    rid = peer_round(app, world.program.id, world.coordinator.id, kind="circle",
                     rules={"circle_min": 3, "circle_max": 4})
    with app.app_context():
        u = db.session.get(User, people.users["Ben Peer"].id)
        u.locale = "pt"
        db.session.commit()
    login(client, world.coordinator)
    post(client, url(world, rid, "/run"), page=url(world, rid))
    run_id = latest_run_id(app, rid)
    groups = groups_of(app, run_id)
    assert groups and all(3 <= len(g[1]) <= 4 for g in groups)
    placed = [n for g in groups for n in g[1]]
    assert len(placed) == len(set(placed))
    page = client.get(url(world, rid)).get_data(as_text=True)
    assert "working hours overlap" in page and "Circles" in page
    # Ida speaks only Japanese: not placed, with a reason.
    assert "Ida Peer" not in placed
    assert re.search(r"Ida Peer</td><td class=\"why\">Not placed: too few people", page)

    assert post(client, url(world, rid, "/approve"), page=url(world, rid)).status_code == 303
    with app.app_context():
        circles = db.session.scalars(db.select(Circle).where(Circle.round_id == rid)).all()
        assert len(circles) == len(groups) and all(c.kind == "circle" for c in circles)
        members = db.session.scalars(db.select(CircleMember)).all()
        assert len(members) == len(placed)
        mails = app.extensions["mailman"].outbox
    assert len(mails) == len(placed)
    ben = next(m for m in mails if m.to[0] == people.emails["Ben Peer"])
    assert "círculo" in ben.subject  # Portuguese, the member's own language


def test_approve_twice_forms_the_circles_once(app, world):
    people = peers(app, world.program.id, n=4)
    rid = peer_round(app, world.program.id, world.coordinator.id)
    with app.app_context():
        from mentormatch.services.rounds import peer_results
        r = db.session.get(Round, rid)
        run = SolveRun(round_id=rid, status="done", phase="done")
        db.session.add(run)
        db.session.flush()
        data = peer_instance.build_peer_data(r)
        peer_results.store_peer_result(run, data, peer_results.solve(data))
        r.state = "proposed"
        db.session.commit()
        actor = db.session.get(User, world.coordinator.id)
        assert peer_review.approve_groups(r, actor) == 2
        with pytest.raises(ServiceError, match="already approved"):
            peer_review.approve_groups(db.session.get(Round, rid), actor)
        assert db.session.scalar(db.select(db.func.count()).select_from(Circle)) == 2
    assert people


def test_forbid_needs_two_different_members_of_the_group(app, client, world):
    people = peers(app, world.program.id, n=4)
    rid = peer_round(app, world.program.id, world.coordinator.id)
    with app.app_context():
        from mentormatch.services.rounds import peer_results
        r = db.session.get(Round, rid)
        run = SolveRun(round_id=rid, status="done", phase="done", kind="full")
        db.session.add(run)
        db.session.flush()
        data = peer_instance.build_peer_data(r)
        peer_results.store_peer_result(run, data, peer_results.solve(data))
        r.state = "proposed"
        db.session.commit()
        gid = db.session.scalar(db.select(RunGroup.id).where(RunGroup.run_id == run.id).order_by(RunGroup.id))
        members = [m.membership_id for m in db.session.get(RunGroup, gid).members]
    outsider = next(i for i in people.ids.values() if i not in members)
    login(client, world.coordinator)
    response = post(client, url(world, rid, f"/groups/{gid}/forbid"), {"first": str(members[0]),
                                                                       "second": str(members[0])},
                    page=url(world, rid))
    assert response.status_code == 422
    assert "Choose two different people." in response.get_data(as_text=True)
    response = post(client, url(world, rid, f"/groups/{gid}/forbid"), {"first": str(members[0]),
                                                                       "second": str(outsider)},
                    page=url(world, rid))
    assert response.status_code == 422 and "Choose a member of this group." in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(RoundConstraint)) == 0
        assert db.session.get(RunGroup, gid) is not None


@INLINE
def test_group_sentences_and_reasons_read_in_the_coordinators_language(app, client, world):
    """A worker stored the groups; the page renders their parts with the reader's catalog."""
    peers(app, world.program.id, n=9)
    rid = peer_round(app, world.program.id, world.coordinator.id, kind="circle", rules={"circle_min": 3, "circle_max": 4})
    rid_pairs = peer_round(app, world.program.id, world.coordinator.id, name="Pairs")
    login(client, world.coordinator)
    post(client, url(world, rid, "/run"), page=url(world, rid))
    post(client, url(world, rid_pairs, "/run"), page=url(world, rid_pairs))
    with app.app_context():
        db.session.get(User, world.coordinator.id).locale = "pt"
        db.session.commit()
    page = client.get(url(world, rid)).get_data(as_text=True)
    assert "Sem círculo: poucas das pessoas que compartilham o horário de trabalho" in page  # Ida's reason
    assert "Not placed" not in page and "working hours overlap" not in page
    page = client.get(url(world, rid_pairs)).get_data(as_text=True)
    assert "Ana Peer pode ajudar Ben Peer com interviews" in page and "can help" not in page
    with app.app_context():  # what the worker stored is English (no reader)
        sentences = db.session.scalars(db.select(RunGroup.sentence).join(SolveRun)
                                       .where(SolveRun.round_id == rid_pairs)).all()
    assert any("Ana Peer can help Ben Peer with interviews" in s for s in sentences) or \
        any("can help" in s for s in sentences)


@INLINE
def test_circles_with_a_facilitator_each_take_the_programs_available_mentors(app, client, world):
    people = peers(app, world.program.id, n=8)
    mentors = add_people(app, world.program.id, topics=("sql", "interviews", "python", "design"),
                         mentors=[{"name": "Fac One", "years": 9, "topics": ["sql"], "capacity_round": 1},
                                  {"name": "Fac Two", "years": 7, "topics": ["design"], "capacity_round": 1}])
    rid = peer_round(app, world.program.id, world.coordinator.id, kind="circle",
                     rules={"circle_min": 3, "circle_max": 5, "facilitator": True})
    with app.app_context():
        data = peer_instance.build_peer_data(db.session.get(Round, rid))
        assert sorted(p.id for p in data.instance.people if p.facilitator) == sorted(
            peer_instance.person_key(m) for m in mentors.ids.values())
        assert data.instance.rules.facilitator is True
    login(client, world.coordinator)
    post(client, url(world, rid, "/run"), page=url(world, rid))
    run_id = latest_run_id(app, rid)
    with app.app_context():
        groups = db.session.scalars(db.select(RunGroup).where(RunGroup.run_id == run_id)).all()
        assert groups
        for g in groups:
            assert [m.name for m in g.members if m.facilitator] in (["Fac One"], ["Fac Two"])
            assert 3 <= len(g.members) <= 5
    page = client.get(url(world, rid)).get_data(as_text=True)
    assert "facilitated by Fac" in page and "One facilitator (an available mentor) per circle." in page
    assert people


def test_a_mentor_rounds_carry_over_skips_an_approved_peer_round_between(app, world):
    """Fairness across rounds looks at the last mentor round: people left out of a peer round
    were not left without a mentor."""
    from mentormatch.services.rounds import fairness
    people = peers(app, world.program.id, n=4)
    with app.app_context():
        mentors_1 = Round(program_id=world.program.id, name="Mentors 1", state="approved")
        db.session.add(mentors_1)
        db.session.flush()
        run = SolveRun(round_id=mentors_1.id, status="done")
        db.session.add(run)
        db.session.flush()
        mentors_1.approved_run_id = run.id
        db.session.add(RunUnmatched(run_id=run.id, mentee_membership_id=people.ids["Cai Peer"], mentee_name="Cai Peer"))
        peer = Round(program_id=world.program.id, name="Peers", kind="peer", state="approved")
        db.session.add(peer)
        db.session.flush()
        prun = SolveRun(round_id=peer.id, status="done")
        db.session.add(prun)
        db.session.flush()
        peer.approved_run_id = prun.id
        db.session.add(RunUnmatched(run_id=prun.id, mentee_membership_id=people.ids["Dee Peer"], mentee_name="Dee Peer"))
        mentors_2 = Round(program_id=world.program.id, name="Mentors 2")
        db.session.add(mentors_2)
        db.session.commit()
        assert fairness.previous_round(mentors_2).id == mentors_1.id
        assert fairness.carried_over(mentors_2) == [people.ids["Cai Peer"]]


def test_peer_round_settings_keep_the_kind_and_check_the_circle_sizes(app, client, world):
    rid = peer_round(app, world.program.id, world.coordinator.id, kind="circle")
    login(client, world.coordinator)
    target = url(world, rid, "/settings")
    response = post_form(client, target, {**ROUND_FORM, "kind": "mentor", "circle_min": "5", "circle_max": "6",
                                          "peer_overlap": "3"})
    assert response.status_code == 303
    with app.app_context():
        r = db.session.get(Round, rid)
        assert r.kind == "circle" and (r.rules["circle_min"], r.rules["circle_max"], r.rules["peer_overlap"]) == (5, 6, 3)
    response = post_form(client, target, {**ROUND_FORM, "circle_min": "6", "circle_max": "4"})
    assert "The smallest circle cannot be larger than the largest one." in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Round, rid).rules["circle_min"] == 5
