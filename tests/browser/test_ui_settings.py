"""The Settings pages in a real browser against a real `dagy server --demo`: a new API
key is shown once and works, a secret set through the page never has its value on the
page (nor in the audit log), the audit log lists both actions and filters them, an
invitation's token is shown once and revoking it kills it, an admin changes a member's
role in place, and a viewer reads which role a section needs instead of a page of
errors. Every page here passes axe and logs no console error (the `page` fixture fails a
test on any)."""

from __future__ import annotations

import time

import httpx
import pytest
from playwright.sync_api import expect
from ui_browser import check_a11y, sign_in

pytestmark = pytest.mark.slow


def _unique(prefix: str) -> str:
    return f"{prefix}{time.time_ns()}"


def test_a_new_api_key_is_shown_once_and_works(page, ui_server) -> None:
    sign_in(page, ui_server)
    page.goto(ui_server.ui_url + "/settings/api-keys/")
    expect(page.get_by_role("heading", name="API keys", exact=True)).to_be_visible()
    name = _unique("browser-key-")
    form = page.get_by_role("form", name="New API key")
    form.get_by_label("Name", exact=True).fill(name)
    form.get_by_label("Role", exact=True).select_option("viewer")
    form.get_by_role("button", name="Create key").click()

    shown = page.get_by_role("status").filter(has_text=f"API key {name}")
    expect(shown).to_contain_text("not shown again")
    key = shown.locator("code").inner_text().strip()
    assert key.startswith("dagy_"), key
    me = httpx.get(ui_server.base_url + "/me", headers={"Authorization": f"Bearer {key}"},
                   timeout=20, trust_env=False)
    assert me.status_code == 200 and me.json()["role"] == "viewer", me.text

    row = page.locator("tbody tr", has_text=name)
    expect(row).to_contain_text("viewer")
    expect(row).to_contain_text("active")
    check_a11y(page)

    page.reload()
    expect(page.locator("tbody tr", has_text=name)).to_be_visible()
    assert key not in page.content()  # the list never has the secret part
    assert key.split("_", 2)[2] not in page.content()


def test_a_secret_set_in_the_page_never_shows_its_value(page, ui_server) -> None:
    sign_in(page, ui_server)
    page.goto(ui_server.ui_url + "/settings/secrets/")
    name, value = _unique("BROWSER_SECRET_"), _unique("value-never-shown-")
    form = page.get_by_role("form", name="Set a secret")
    form.get_by_label("Name", exact=True).fill(name)
    form.get_by_label("Scope", exact=True).select_option("staging")
    value_input = form.get_by_label("Value", exact=True)
    assert value_input.get_attribute("type") == "password"
    value_input.fill(value)
    form.get_by_role("button", name="Save secret").click()

    expect(page.get_by_role("status").filter(has_text=f"Created {name} (staging)")).to_be_visible()
    row = page.locator(f'tbody tr[data-secret="{name}"]')
    expect(row).to_contain_text("staging")
    expect(value_input).to_have_value("")
    assert value not in page.content()
    check_a11y(page)

    listed = ui_server.api.get("/secrets", params={"environment": "staging"}).json()["items"]
    assert name in [secret["name"] for secret in listed]

    page.reload()
    page.get_by_label("Show", exact=True).select_option("staging")
    expect(page.locator(f'tbody tr[data-secret="{name}"]')).to_be_visible()
    assert value not in page.content()


def test_the_audit_log_lists_a_key_made_and_a_secret_set(page, ui_server) -> None:
    key_name, secret, value = _unique("audited-key-"), _unique("AUDITED_"), _unique("audited-")
    made = ui_server.api.post("/api-keys", json={"name": key_name, "role": "viewer"})
    assert made.status_code == 201, made.text
    put = ui_server.api.put(f"/secrets/{secret}", json={"value": value})
    assert put.status_code == 201, put.text

    sign_in(page, ui_server)
    page.goto(ui_server.ui_url + "/settings/audit/")
    expect(page.locator('tbody tr[data-action="api_key.create"]').first).to_be_visible()
    expect(page.locator('tbody tr[data-action="secret.set"]', has_text=secret)).to_be_visible()
    check_a11y(page)

    filters = page.get_by_role("form", name="Filter the audit log")
    filters.get_by_label("Resource type", exact=True).fill("secret")
    filters.get_by_label("Resource id", exact=True).fill(secret)
    filters.get_by_role("button", name="Apply filters").click()
    rows = page.locator("tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("secret.set")
    expect(rows.first).to_contain_text(ui_server.admin_email)  # the actor, by email
    rows.first.locator("summary").click()
    assert value not in page.content()  # the entry holds neither the value nor its ciphertext

    filters.get_by_label("From (your local time)", exact=True).fill("2000-01-01T00:00")
    filters.get_by_label("Until (your local time)", exact=True).fill("2000-01-02T00:00")
    filters.get_by_role("button", name="Apply filters").click()
    expect(page.get_by_text("No entries match these filters")).to_be_visible()


def test_a_viewer_reads_which_role_a_section_needs(page, ui_server) -> None:
    sign_in(page, ui_server, role="viewer")
    page.goto(ui_server.ui_url + "/settings/")
    settings_nav = page.get_by_role("navigation", name="Settings")
    expect(settings_nav.get_by_role("link", name="Members")).to_be_visible()
    expect(settings_nav.get_by_role("link", name="API keys")).to_have_count(0)
    expect(page.locator("main")).to_contain_text("Needs the admin role or above.")
    check_a11y(page)

    page.goto(ui_server.ui_url + "/settings/api-keys/")
    expect(page.locator("main")).to_contain_text("this section needs admin or above")
    expect(page.get_by_role("form", name="New API key")).to_have_count(0)

    page.goto(ui_server.ui_url + "/settings/members/")
    expect(page.locator("tbody tr", has_text=ui_server.admin_email)).to_contain_text("owner")
    expect(page.get_by_role("button", name=f"Remove {ui_server.admin_email}")).to_have_count(0)
    check_a11y(page)


def test_an_invitation_shows_its_token_once_and_can_be_revoked(page, ui_server) -> None:
    sign_in(page, ui_server)
    page.goto(ui_server.ui_url + "/settings/invitations/")
    email = _unique("invitee-") + "@example.com"
    form = page.get_by_role("form", name="Invite someone")
    form.get_by_label("Email", exact=True).fill(email)
    form.get_by_label("Role", exact=True).select_option("operator")
    form.get_by_role("button", name="Invite").click()
    shown = page.get_by_role("status").filter(has_text=f"Invitation token for {email}")
    token = shown.locator("code").inner_text().strip()
    assert token.startswith("dagyinv_"), token
    row = page.locator("tbody tr", has_text=email)
    expect(row).to_contain_text("operator")
    expect(row).to_contain_text(ui_server.admin_email)  # who invited, by email
    check_a11y(page)

    row.get_by_role("button", name=f"Revoke {email}").click()
    page.get_by_role("dialog").get_by_role("button", name="Revoke", exact=True).click()
    expect(page.locator("tbody tr", has_text=email)).to_have_count(0)
    refused = httpx.post(f"{ui_server.base_url}/invitations/{token}/accept",
                         json={"password": "a password long enough"}, timeout=20, trust_env=False)
    assert refused.status_code == 404, refused.text


def test_an_admin_changes_a_members_role_in_place(page, ui_server) -> None:
    org = ui_server.api.get("/me").json()["org_id"]
    email = _unique("member-") + "@example.com"
    invited = ui_server.api.post(f"/orgs/{org}/invitations",
                                 json={"email": email, "role": "viewer"})
    assert invited.status_code == 201, invited.text
    joined = httpx.post(f"{ui_server.base_url}/invitations/{invited.json()['token']}/accept",
                        json={"password": "member password for browser tests"}, timeout=20,
                        trust_env=False)
    assert joined.status_code == 200, joined.text

    sign_in(page, ui_server)
    page.goto(ui_server.ui_url + "/settings/members/")
    role = page.get_by_label(f"Role of {email}", exact=True)
    role.select_option("developer")
    # wait in the browser, not with time.sleep: the page's requests go through the
    # test's route handler, which runs only while Playwright has control
    expect(role).to_be_enabled()
    expect(role).to_have_value("developer")
    members = ui_server.api.get(f"/orgs/{org}/members", params={"limit": 1000}).json()["items"]
    assert next(member["role"] for member in members if member["email"] == email) == "developer"
    check_a11y(page)
