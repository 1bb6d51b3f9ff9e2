"""A small OpenID Connect provider on 127.0.0.1 for the login tests.

It does what a real provider does on the wire: discovery document, JWKS, and a token
endpoint that checks the client's credentials, the redirect URI and the PKCE verifier
(S256) before issuing an RS256-signed ID token. The browser step at the authorization
endpoint (where a person would sign in at VNeID) is played by ``approve``.
"""

from __future__ import annotations

import base64
import hashlib
import json
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from joserfc import jwt
from joserfc.jwk import KeySet, RSAKey

CLIENT_ID = "danvan-test"
CLIENT_SECRET = "bi-mat-cua-ung-dung"


@dataclass
class Grant:
    claims: dict[str, Any]
    code_challenge: str
    redirect_uri: str
    nonce: str


@dataclass
class FakeProvider:
    base_url: str = ""
    key: RSAKey = field(default_factory=lambda: RSAKey.generate_key(2048, parameters={"kid": "k1"}))
    grants: dict[str, Grant] = field(default_factory=dict)
    token_requests: list[dict[str, str]] = field(default_factory=list)
    userinfo: dict[str, Any] | None = None
    # Lets a test make the provider misbehave: e.g. sign with a nonce that was not asked for.
    nonce_override: str | None = None
    # … or sign with a key it does not publish (a forger's key with the same key id).
    signing_key_override: RSAKey | None = None
    server: ThreadingHTTPServer | None = None

    @property
    def issuer(self) -> str:
        return self.base_url

    def metadata(self) -> dict[str, Any]:
        meta = {
            "issuer": self.issuer,
            "authorization_endpoint": f"{self.base_url}/authorize",
            "token_endpoint": f"{self.base_url}/token",
            "jwks_uri": f"{self.base_url}/jwks",
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "code_challenge_methods_supported": ["S256"],
        }
        if self.userinfo is not None:
            meta["userinfo_endpoint"] = f"{self.base_url}/userinfo"
        return meta

    def approve(self, authorize_url: str, claims: dict[str, Any]) -> dict[str, str]:
        """The person signs in at the provider: returns the query the browser brings back."""
        query = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(authorize_url).query))
        assert query["response_type"] == "code"
        assert query["client_id"] == CLIENT_ID
        assert query["code_challenge_method"] == "S256"
        assert "openid" in query["scope"].split()
        code = f"code-{len(self.grants) + 1}"
        self.grants[code] = Grant(claims=claims, code_challenge=query["code_challenge"],
                                  redirect_uri=query["redirect_uri"], nonce=query["nonce"])
        return {"code": code, "state": query["state"]}

    def id_token(self, grant: Grant) -> str:
        now = int(time.time())
        payload = {"iss": self.issuer, "aud": CLIENT_ID, "iat": now, "exp": now + 300,
                   "nonce": self.nonce_override or grant.nonce, **grant.claims}
        return jwt.encode({"alg": "RS256", "kid": "k1"}, payload, self.signing_key_override or self.key)

    def start(self) -> None:
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                pass

            def _json(self, status: int, body: Any) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self) -> None:
                path = urllib.parse.urlsplit(self.path).path
                if path == "/.well-known/openid-configuration":
                    self._json(200, provider.metadata())
                elif path == "/jwks":
                    self._json(200, KeySet([provider.key]).as_dict(private=False))
                elif path == "/userinfo" and provider.userinfo is not None:
                    if not self.headers.get("Authorization", "").startswith("Bearer at-"):
                        self._json(401, {"error": "invalid_token"})
                    else:
                        self._json(200, provider.userinfo)
                else:
                    self._json(404, {"error": "not_found"})

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                form = dict(urllib.parse.parse_qsl(self.rfile.read(length).decode()))
                provider.token_requests.append(form)
                auth = self.headers.get("Authorization", "")
                expected = base64.b64encode(f"{CLIENT_ID}:{CLIENT_SECRET}".encode()).decode()
                if auth != f"Basic {expected}":
                    self._json(401, {"error": "invalid_client"})
                    return
                grant = provider.grants.pop(form.get("code", ""), None)
                if grant is None or form.get("grant_type") != "authorization_code":
                    self._json(400, {"error": "invalid_grant"})
                    return
                verifier = form.get("code_verifier", "")
                digest = hashlib.sha256(verifier.encode()).digest()
                challenge = base64.urlsafe_b64encode(digest).decode().rstrip("=")
                if challenge != grant.code_challenge or form.get("redirect_uri") != grant.redirect_uri:
                    self._json(400, {"error": "invalid_grant", "error_description": "PKCE or redirect_uri"})
                    return
                self._json(200, {"access_token": f"at-{grant.claims['sub']}", "token_type": "Bearer",
                                 "expires_in": 300, "id_token": provider.id_token(grant)})

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base_url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05},
                         daemon=True).start()

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
