"""Lock, unlock and forbid on a peer round's group review page: under htmx they answer with the review
region only (and its message inside it); a plain form post still gets a 303 back to the whole page."""
from mentormatch.extensions import db
from mentormatch.models.rounds import Round, RoundConstraint, RunGroup, SolveRun
from mentormatch.services.rounds import peer_instance, peer_results
from tests.conftest import login, post_form
from tests.web.test_peer_rounds import peer_round, peers, url

HX = {"HX-Request": "true"}


def post(client, target, data=None, page=None, headers=None):
    return post_form(client, target, data or {}, page=page, headers=headers or {})


def proposed(app, world, n=4):
    """A peer round with a stored proposal (solved in process, no runner): (round id, people, group ids)."""
    people = peers(app, world.program.id, n=n)
    rid = peer_round(app, world.program.id, world.coordinator.id)
    with app.app_context():
        r = db.session.get(Round, rid)
        run = SolveRun(round_id=rid, status="done", phase="done", kind="full")
        db.session.add(run)
        db.session.flush()
        data = peer_instance.build_peer_data(r)
        peer_results.store_peer_result(run, data, peer_results.solve(data))
        r.state = "proposed"
        db.session.commit()
        gids = list(db.session.scalars(db.select(RunGroup.id).where(RunGroup.run_id == run.id).order_by(RunGroup.id)))
    assert len(gids) == 2
    return rid, people, gids


def locked(app, gid) -> bool:
    with app.app_context():
        return db.session.get(RunGroup, gid).locked


def members_of(app, gid) -> list[int]:
    with app.app_context():
        return [m.membership_id for m in db.session.get(RunGroup, gid).members]


def test_lock_and_unlock_under_htmx_answer_with_the_review_region(app, client, world):
    rid, _people, (gid, _other) = proposed(app, world)
    login(client, world.coordinator)
    response = post(client, url(world, rid, f"/groups/{gid}/lock"), page=url(world, rid), headers=HX)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "HX-Request" in response.headers.get("Vary", "")
    assert html.lstrip().startswith("<div id=\"group-review\">") and "<html" not in html
    assert "Group locked: it stays as it is in every re-run." in html
    # Focus lands on the same group's button, which now unlocks.
    card = html[html.index(f'id="group-{gid}"'):]
    assert "data-focus-after-swap>Unlock</button>" in card[:card.index("</footer>")].replace("\n", "")
    assert locked(app, gid)
    # The history outside the region comes along out of band, with the lock in it.
    audit = html[html.index('<section id="audit" hx-swap-oob="true">'):]
    assert "<strong>locked</strong>" in audit
    # The message was shown in the region, so the next full page does not show it again.
    assert "Group locked" not in client.get(url(world, rid)).get_data(as_text=True)

    response = post(client, url(world, rid, f"/groups/{gid}/unlock"), page=url(world, rid), headers=HX)
    assert response.status_code == 200 and "Group unlocked: the next run may change it." in response.get_data(as_text=True)
    assert not locked(app, gid)


def test_lock_without_htmx_still_redirects_to_the_whole_page(app, client, world):
    rid, _people, (gid, _other) = proposed(app, world)
    login(client, world.coordinator)
    response = post(client, url(world, rid, f"/groups/{gid}/lock"), page=url(world, rid))
    assert response.status_code == 303 and response.headers["Location"].endswith(f"/rounds/{rid}#review")
    assert locked(app, gid)
    page = client.get(url(world, rid)).get_data(as_text=True)
    assert "<html" in page and "Group locked: it stays as it is in every re-run." in page
    assert "hx-swap-oob" not in page and "<strong>locked</strong>" in page


def test_forbid_under_htmx_replaces_the_region_and_lists_the_forbidden_pair(app, client, world):
    rid, _people, (gid, other) = proposed(app, world)
    first, second = members_of(app, gid)
    login(client, world.coordinator)
    response = post(client, url(world, rid, f"/groups/{gid}/forbid"), {"first": str(first), "second": str(second)},
                    page=url(world, rid), headers=HX)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in html
    assert "These two will never be grouped together" in html
    assert f'id="group-{gid}"' not in html and f'id="group-{other}"' in html  # the group left the proposal
    assert 'id="rules"' in html and "forbid removed" not in html
    # The round's buttons come along out of band: approving now forms the one group left.
    actions = html[html.index('<div class="actions" id="round-actions" hx-swap-oob="true">'):]
    assert "Form 1 group and tell its members?" in actions[:actions.index("</div>")]
    rules = html[html.index('id="rules"'):]
    assert "Remove" in rules and "None. Forbid two people" not in rules
    with app.app_context():
        assert db.session.get(RunGroup, gid) is None
        assert db.session.scalar(db.select(db.func.count()).select_from(RoundConstraint).where(
            RoundConstraint.round_id == rid, RoundConstraint.kind == "forbid")) == 1


def test_forbid_refused_under_htmx_shows_the_error_by_the_field_and_changes_nothing(app, client, world):
    rid, _people, (gid, _other) = proposed(app, world)
    first, _second = members_of(app, gid)
    login(client, world.coordinator)
    response = post(client, url(world, rid, f"/groups/{gid}/forbid"), {"first": str(first), "second": str(first)},
                    page=url(world, rid), headers=HX)
    html = response.get_data(as_text=True)
    # htmx swaps only 2xx answers: the refusal comes back as 200 with the region, error next to the field.
    assert response.status_code == 200 and "<html" not in html
    assert f'id="forbid-{gid}-second-error"' in html and "Choose two different people." in html
    assert "<details open>" in html
    # Without htmx the same refusal is the whole page with 422.
    response = post(client, url(world, rid, f"/groups/{gid}/forbid"), {"first": str(first), "second": str(first)},
                    page=url(world, rid))
    assert response.status_code == 422 and "<html" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(RoundConstraint)) == 0
        assert db.session.get(RunGroup, gid) is not None


def test_forbid_without_htmx_redirects(app, client, world):
    rid, _people, (gid, _other) = proposed(app, world)
    first, second = members_of(app, gid)
    login(client, world.coordinator)
    response = post(client, url(world, rid, f"/groups/{gid}/forbid"), {"first": str(first), "second": str(second)},
                    page=url(world, rid))
    assert response.status_code == 303 and response.headers["Location"].endswith("#review")
    with app.app_context():
        assert db.session.get(RunGroup, gid) is None


def test_the_settings_say_one_hour_not_one_hours(app, client, world):
    rid = peer_round(app, world.program.id, world.coordinator.id, rules={"peer_overlap": 1})
    login(client, world.coordinator)
    page = client.get(url(world, rid)).get_data(as_text=True)
    assert "At least 1 hour of common working time." in page and "1 hours" not in page
    with app.app_context():
        db.session.get(Round, rid).rules = {**peer_instance.PEER_DEFAULTS, "peer_overlap": 3}
        db.session.commit()
    assert "At least 3 hours of common working time." in client.get(url(world, rid)).get_data(as_text=True)
