"""Start the real OpenID provider (tests/oidc/provider.mjs, the `oidc-provider` npm package under
Node) on loopback for a test, configured by the test, and stop it afterwards.

No sleeps: the script prints its issuer once it listens; then its discovery document is fetched
(with a generous timeout for a loaded machine) before the provider is handed to the test.
"""
from __future__ import annotations

import json
import subprocess
from contextlib import contextmanager
from pathlib import Path
from types import SimpleNamespace

import requests

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = Path(__file__).resolve().parent / "provider.mjs"
CLIENT_ID, CLIENT_SECRET = "mentormatch", "client-secret-for-tests"
ACCOUNTS = {
    "ana": {"email": "ana@example.org", "email_verified": True, "name": "Ana Souza"},
    "bruno": {"email": "bruno@example.org", "email_verified": False, "name": "Bruno Lima"},
    "carla": {"email": "carla@example.org", "email_verified": True, "name": "Carla Reis"},
}


@contextmanager
def running_provider(site: str, *, accounts: dict | None = None, rogue_keys: bool = False, provider: str = "test"):
    """A provider whose one client is this site (redirects back to `site`, e.g. http://localhost)."""
    config = {
        "clients": [{"client_id": CLIENT_ID, "client_secret": CLIENT_SECRET,
                     "redirect_uris": [f"{site}/auth/sso/{provider}/callback"],
                     "post_logout_redirect_uris": [f"{site}/"],
                     "grant_types": ["authorization_code"], "response_types": ["code"]}],
        "accounts": ACCOUNTS if accounts is None else accounts,
        "rogue_keys": rogue_keys,
    }
    process = subprocess.Popen(["node", str(SCRIPT), json.dumps(config)], cwd=ROOT, stdout=subprocess.PIPE,
                               stderr=subprocess.DEVNULL, text=True)
    try:
        line = process.stdout.readline()  # blocks until the provider listens (or the process dies)
        if not line:
            raise RuntimeError(f"the OpenID provider did not start (exit {process.wait(timeout=30)}); "
                               "is oidc-provider installed (`npm ci`)?")
        issuer = json.loads(line)["issuer"]
        discovery = f"{issuer}/.well-known/openid-configuration"
        metadata = requests.get(discovery, timeout=30).json()
        assert metadata["issuer"] == issuer
        yield SimpleNamespace(issuer=issuer, discovery_url=discovery, metadata=metadata, name=provider,
                              settings={provider: {"discovery_url": discovery, "client_id": CLIENT_ID,
                                                   "client_secret": CLIENT_SECRET, "label": "Test IdP"}})
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        process.stdout.close()


def use_provider(app, provider) -> None:
    """Point the app at the running provider (the app was made before the provider's port was known)."""
    from mentormatch.auth.sso import register_providers
    app.config["OIDC_PROVIDERS"] = provider.settings
    register_providers(app)


def sign_in_at_provider(session: requests.Session, authorize_url: str, login: str) -> str:
    """Drive the provider's own pages (login, then consent) like a browser; the redirect back to the
    site, with code and state, is returned unfollowed."""
    response = session.get(authorize_url, allow_redirects=False, timeout=30)
    for _ in range(10):
        location = response.headers.get("Location")
        if response.status_code in (302, 303) and location:
            if "/auth/sso/" in location and "/callback" in location:
                return location
            response = session.get(requests.compat.urljoin(response.url, location), allow_redirects=False, timeout=30)
            continue
        page = response.text
        action = requests.compat.urljoin(response.url, _form_action(page))
        data = {"prompt": "login", "login": login, "password": "any"} if 'name="login"' in page else {"prompt": "consent"}
        response = session.post(action, data=data, allow_redirects=False, timeout=30)
    raise AssertionError(f"the provider did not send the browser back: {response.status_code} {response.text[:300]}")


def _form_action(page: str) -> str:
    start = page.index('action="') + len('action="')
    return page[start:page.index('"', start)]
