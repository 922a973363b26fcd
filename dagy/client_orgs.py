"""DagyClient's organization calls: orgs, members and invitations (kept apart so the
client module stays small). Plain dicts as the API returns them; an invitation's token
(`token`) is in the answer of `invite` only.

`accept_invitation` sends no credential: the invitation's token is one. It never
refreshes a session on 401 either (a 401 there means a wrong password, not an expired
access token)."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote


def _seg(value: str) -> str:
    return quote(str(value), safe="")


class OrgCalls:
    """Mixed into DagyClient, which supplies `_request`, `_send` and `_items`."""

    def create_org(self, name: str) -> dict:
        return self._request("POST", "/orgs", body={"name": name})  # type: ignore[attr-defined]

    def list_orgs(self) -> list[dict]:
        return self._items("/orgs")  # type: ignore[attr-defined]

    def get_org(self, org_id: str) -> dict:
        return self._request("GET", f"/orgs/{_seg(org_id)}")  # type: ignore[attr-defined]

    def list_members(self, org_id: str) -> list[dict]:
        return self._items(f"/orgs/{_seg(org_id)}/members", {}, follow=True)  # type: ignore[attr-defined]

    def set_member_role(self, org_id: str, user_id: str, role: str) -> dict:
        return self._request(  # type: ignore[attr-defined]
            "PATCH", f"/orgs/{_seg(org_id)}/members/{_seg(user_id)}", body={"role": role})

    def remove_member(self, org_id: str, user_id: str) -> None:
        self._request("DELETE", f"/orgs/{_seg(org_id)}/members/{_seg(user_id)}")  # type: ignore[attr-defined]

    def invite(self, org_id: str, email: str, role: str) -> dict:
        return self._request(  # type: ignore[attr-defined]
            "POST", f"/orgs/{_seg(org_id)}/invitations", body={"email": email, "role": role})

    def list_invitations(self, org_id: str) -> list[dict]:
        return self._items(f"/orgs/{_seg(org_id)}/invitations", {}, follow=True)  # type: ignore[attr-defined]

    def revoke_invitation(self, org_id: str, invitation_id: str) -> None:
        self._request(  # type: ignore[attr-defined]
            "DELETE", f"/orgs/{_seg(org_id)}/invitations/{_seg(invitation_id)}")

    def accept_invitation(self, token: str, password: str) -> dict[str, Any]:
        return self._send("POST", f"/invitations/{_seg(token)}/accept",  # type: ignore[attr-defined]
                          body={"password": password}, anonymous=True)
