"""The load mix: mentee home, directory search, mentor home, round review.

Each simulated person logs in once through the real form (with its CSRF token) and then browses.
Accounts and URLs come from the JSON file `bench/load/build.py` writes (LOAD_PLAN).
"""
import json
import os
import random
import re
from pathlib import Path

from locust import HttpUser, between, events, task

PLAN = json.loads(Path(os.environ.get("LOAD_PLAN", "bench/out/load-plan.json")).read_text())
MIX = ("mentee home", "directory search", "mentor home", "round review")
USERS = int(os.environ.get("LOAD_USERS", "0"))
# Response times of the browsing mix, recorded only once every simulated person has logged in
# (Argon2id logins are slow on purpose and are not what the target is about).
logged_in = 0
times: dict[str, list[float]] = {name: [] for name in MIX}
failures: dict[str, int] = {}


@events.request.add_listener
def record(name, response_time, exception, **kwargs):
    if exception is not None:
        failures[name] = failures.get(name, 0) + 1
    elif name in times and logged_in >= USERS:
        times[name].append(response_time)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else 0.0


@events.quitting.add_listener
def write_figures(environment, **kwargs):
    everything = [t for name in MIX for t in times[name]]
    figures = {name: {"requests": len(v), "p50_ms": percentile(v, .5), "p95_ms": percentile(v, .95),
                      "p99_ms": percentile(v, .99)} for name, v in times.items()}
    figures["mix"] = {"requests": len(everything), "p50_ms": percentile(everything, .5),
                      "p95_ms": percentile(everything, .95), "p99_ms": percentile(everything, .99)}
    figures["failures"] = failures
    figures["duration_s"] = environment.runner.stats.total.last_request_timestamp - environment.runner.stats.total.start_time \
        if environment.runner.stats.total.last_request_timestamp else 0
    with open(os.environ.get("LOAD_RESULT", "bench/out/load-result.json"), "w") as out:
        json.dump(figures, out, indent=1)
TOKEN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
SEARCHES = ["python", "career", "data", "lead", "interview", "design", "java", "cloud", ""]


class Person(HttpUser):
    abstract = True
    wait_time = between(0.5, 1.5)
    role = ""

    def on_start(self):
        self.email = random.choice(PLAN["accounts"][self.role])
        page = self.client.get("/auth/login", name="login page")
        token = TOKEN.search(page.text).group(1)
        response = self.client.post("/auth/login", name="login",
                                    data={"csrf_token": token, "email": self.email, "password": PLAN["password"]})
        if f"/{self.role}/" not in response.url:
            raise RuntimeError(f"login as {self.email} failed")
        global logged_in
        logged_in += 1

    def page(self, url: str, name: str, **kwargs) -> None:
        """A GET that only counts as a success if it is the page itself, not a login redirect."""
        with self.client.get(url, name=name, catch_response=True, **kwargs) as response:
            if response.status_code != 200 or "/auth/login" in response.url:
                response.failure(f"{response.status_code} at {response.url}")


class Mentee(Person):
    weight = 5
    role = "mentee"

    @task(3)
    def home(self):
        self.page("/mentee/", "mentee home")

    @task(4)
    def directory_search(self):
        url = PLAN["urls"]["directory"]
        self.page(url, "directory search", params={"q": random.choice(SEARCHES)}, headers={"HX-Request": "true"})


class Mentor(Person):
    weight = 3
    role = "mentor"

    @task
    def home(self):
        self.page("/mentor/", "mentor home")


class Coordinator(Person):
    weight = 1
    role = "coordinator"

    @task
    def round_review(self):
        self.page(PLAN["urls"]["review"], "round review", params={"page": random.randint(1, 5)})
