from .cases import Case

CASES = {
    "public.index": Case(url=lambda w: "/"),
    "public.healthz": Case(url=lambda w: "/healthz"),
    "i18n.choose": Case(url=lambda w: "/language", method="POST", data=lambda w: {"lang": "es", "next": "/"}),
    "public.join": Case(url=lambda w: f"/join/{w.program.mentee_invite}"),
    "auth.signup": Case(url=lambda w: "/auth/signup"),
    "auth.login": Case(url=lambda w: "/auth/login"),
    "auth.logout": Case(url=lambda w: "/auth/logout", method="POST"),
    "auth.signup_sent": Case(url=lambda w: "/auth/signup/sent"),
    "auth.finish_signup": Case(url=lambda w: "/auth/signup/finish/not-a-valid-token", ok=(404,)),
    "auth.logout_everywhere": Case(
        url=lambda w: "/auth/logout-everywhere", method="POST", roles=("mentee", "mentor", "coordinator"),
        owner=lambda w: w.mentee,
    ),
    "auth.accept_coordinator_invite": Case(url=lambda w: "/auth/coordinator-invite/not-a-token", ok=(404,)),
    "auth.change_password": Case(
        url=lambda w: "/auth/password", roles=("mentee", "mentor", "coordinator"), owner=lambda w: w.mentee
    ),
    "coordinator.home": Case(url=lambda w: "/coordinator/", roles=("coordinator",), owner=lambda w: w.coordinator),
    "coordinator.new_program": Case(
        url=lambda w: "/coordinator/programs/new", roles=("coordinator",), owner=lambda w: w.coordinator
    ),
    "coordinator.program": Case(
        url=lambda w: f"/coordinator/programs/{w.program.id}", roles=("coordinator",),
        owner=lambda w: w.coordinator, stranger=lambda w: w.other_coordinator,
    ),
    "coordinator.edit_program": Case(
        url=lambda w: f"/coordinator/programs/{w.program.id}/edit", roles=("coordinator",),
        owner=lambda w: w.coordinator, stranger=lambda w: w.other_coordinator,
    ),
    "coordinator.invite_coordinator": Case(
        url=lambda w: f"/coordinator/programs/{w.program.id}/coordinators", method="POST",
        roles=("coordinator",), owner=lambda w: w.coordinator, stranger=lambda w: w.other_coordinator,
        data=lambda w: {"email": "new.coordinator@example.org"},
    ),
    "mentee.home": Case(url=lambda w: "/mentee/", roles=("mentee",), owner=lambda w: w.mentee),
    "mentor.home": Case(url=lambda w: "/mentor/", roles=("mentor",), owner=lambda w: w.mentor),
}

CASES |= {
    "auth.request_reset": Case(url=lambda w: "/auth/reset"),
    "auth.reset_password": Case(url=lambda w: "/auth/reset/not-a-valid-token", ok=(404,)),
    # Single sign-on (tests/web/test_sso.py drives them against a real provider): public, since they
    # sign people in; with no such provider, no waiting sign-in and a forged link, each is a 404.
    "auth.sso_start": Case(url=lambda w: "/auth/sso/nosuch/start", ok=(404,)),
    "auth.sso_callback": Case(url=lambda w: "/auth/sso/nosuch/callback?code=a&state=b", ok=(404,)),
    "auth.sso_finish": Case(url=lambda w: "/auth/sso/finish", ok=(404,)),
    "auth.sso_link": Case(url=lambda w: "/auth/sso/link/not-a-valid-token", ok=(404,)),
}
