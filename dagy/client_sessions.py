"""DagyClient's person sessions: login, logout, and refreshing the access token on 401.

A client holding a refresh token answers a 401 by exchanging it (POST /auth/refresh)
and sending the request once more with the new access token. A pair read from a profile
is written back there at once (dagy.profile_sessions): the old refresh token is used up,
and presenting it again would revoke the session. Before refreshing, the client reads
the profile again: another process may have refreshed already, and its pair is taken
instead of spending a used refresh token.
"""

from __future__ import annotations

from typing import Any

from dagy.client_errors import DagyApiError

_NO_RETRY = ("/auth/",)  # the session's own calls are never retried with a new token


class SessionCalls:
    """Mixed into DagyClient, which supplies `_send` (one HTTP exchange) and the fields
    api_url, profile, access_token, refresh_token and tokens_in_profile."""

    api_url: str
    profile: str
    access_token: str | None
    refresh_token: str | None
    tokens_in_profile: bool

    def _request(self, method: str, path: str, **kwargs: Any) -> Any:
        try:
            return self._send(method, path, **kwargs)  # type: ignore[attr-defined]
        except DagyApiError as exc:
            if exc.status != 401 or not self.refresh_token or path.startswith(_NO_RETRY):
                raise
            if not self._renew_session():
                raise
        return self._send(method, path, **kwargs)  # type: ignore[attr-defined]

    def login(self, email: str, password: str) -> dict:
        """Log in as a person; the client then sends the new access token. Returns the
        answer of POST /auth/login (both tokens and their lifetimes)."""
        pair = self._send("POST", "/auth/login",  # type: ignore[attr-defined]
                          body={"email": email, "password": password}, anonymous=True)
        self._adopt(pair, store=False)
        return pair

    def logout(self) -> dict:
        """End the client's session (its access and refresh token) on the server, and
        forget the pair, in the profile too when it came from there."""
        answer = self._send("POST", "/auth/logout")  # type: ignore[attr-defined]
        self.access_token = self.refresh_token = None
        if self.tokens_in_profile:
            from dagy.profile_sessions import clear_tokens
            clear_tokens(self._profiles_path(), self.profile)
        return answer

    def change_password(self, current_password: str, new_password: str) -> None:
        """Change the person's own password; their other sessions are revoked."""
        self._request("PUT", "/me/password", body={"current_password": current_password,
                                                   "new_password": new_password})

    def _renew_session(self) -> bool:
        """A fresh access token: the profile's, if another process refreshed since, else
        one from POST /auth/refresh. False if the refresh token is refused."""
        if self.tokens_in_profile:
            access, refresh = self._profile_tokens()
            if access and access != self.access_token:
                self.access_token, self.refresh_token = access, refresh
                return True
        try:
            pair = self._send("POST", "/auth/refresh",  # type: ignore[attr-defined]
                              body={"refresh_token": self.refresh_token}, anonymous=True)
        except DagyApiError as exc:
            if exc.status == 401:
                return False
            raise
        self._adopt(pair, store=self.tokens_in_profile)
        return True

    def _adopt(self, pair: dict, *, store: bool) -> None:
        self.access_token, self.refresh_token = pair["access_token"], pair["refresh_token"]
        self.api_key = None
        if store:
            from dagy.profile_sessions import save_tokens
            save_tokens(self._profiles_path(), self.profile, self.access_token,
                        self.refresh_token)

    def _profile_tokens(self) -> tuple[str | None, str | None]:
        from dagy.profile_sessions import read_tokens
        return read_tokens(self._profiles_path(), self.profile)

    @staticmethod
    def _profiles_path() -> Any:
        from dagy.profiles import profiles_path
        from dagy.settings import dagy_home
        return profiles_path(dagy_home())
