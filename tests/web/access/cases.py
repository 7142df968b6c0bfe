"""The shape of an access case; each area lists its routes in a module of this package."""
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class Case:
    """Who may use one route. `url` and `data` take the test world and return the request's."""

    url: Callable
    method: str = "GET"
    roles: tuple[str, ...] = ()          # empty: a public route
    owner: Callable | None = None        # the user of the right role who may use it
    stranger: Callable | None = None     # a user of the right role who must get 404
    data: Callable = field(default=lambda w: {})
    ok: tuple[int, ...] = (200, 302, 303)


def request_case(client, case: Case, world):
    """Make the case's request as the logged-in client would (POSTs carry a real CSRF token)."""
    from tests.conftest import csrf_from

    url = case.url(world)
    if case.method == "GET":
        return client.get(url)
    token = csrf_from(client.get("/auth/login").get_data(as_text=True))
    return client.open(url, method=case.method, data={"csrf_token": token, **case.data(world)})
