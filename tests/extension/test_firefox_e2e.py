"""The same round in Firefox ESR: Marionette, the extension as a temporary add-on, the real
host found through ~/.mozilla/native-messaging-hosts, Dovecot and gnome-keyring."""

from __future__ import annotations

from pathlib import Path

import pytest

from support.dovecot import Dovecot
from support.firefox import Firefox
from support.hostlog import answered, host_log, wait_for_line
from support.secret_service import SecretService
from support.standin import StandIn

DEMO = "demo@example.com"


def _wait(ff: Firefox, script: str, timeout: float = 30) -> object:
    from marionette_driver import Wait

    return Wait(ff.m, timeout=timeout, interval=0.1).until(lambda m: m.execute_script(script))


@pytest.fixture
def firefox(tmp_path: Path, browser_env: dict[str, str]) -> Firefox:
    env = dict(browser_env, HOME=str(tmp_path / "home"))
    ff = Firefox(tmp_path, env)
    yield ff  # type: ignore[misc]
    ff.close()


def test_prefill_check_save_list_remove(
    firefox: Firefox, standin: StandIn, dovecot: Dovecot, secret_service: SecretService
) -> None:
    """Prefill from the stand-in page, auth_failed, Check and save, listed, keyring, Remove."""
    from marionette_driver.by import By

    m = firefox.m
    m.navigate(f"https://myaccount.google.com:{standin.port}/apppasswords")
    page_tab = m.window_handles[0]
    popup_tab = m.open(type="tab")["handle"]
    m.switch_to_window(popup_tab)
    m.navigate(firefox.popup_url())
    tabs = firefox.extension_call("browser.tabs.query({url: 'https://myaccount.google.com/*'})")
    assert len(tabs) == 1, (tabs, page_tab)
    m.navigate(firefox.popup_url(tabs[0]["id"]))

    _wait(firefox, "return document.getElementById('password').value !== ''")
    assert m.find_element(By.ID, "email").get_property("value") == DEMO
    assert m.find_element(By.ID, "password").get_property("value") == "abcd efgh ijkl mnop"

    m.find_element(By.CSS_SELECTOR, "#advanced summary").click()
    for field, value in (("server-host", "localhost"), ("server-port", str(dovecot.imaps_port))):
        element = m.find_element(By.ID, field)
        element.clear()
        element.send_keys(value)
    password = m.find_element(By.ID, "password")
    password.clear()
    password.send_keys("wrong password")
    m.find_element(By.ID, "check").click()
    _wait(firefox, "return document.getElementById('result').dataset.outcome === 'auth_failed'")
    assert "revoked" in m.find_element(By.ID, "result").text

    password.clear()
    password.send_keys("abcd efgh ijkl mnop")
    m.find_element(By.ID, "check-save").click()
    _wait(firefox, "return document.getElementById('result').dataset.outcome === 'ok'")
    _wait(firefox, "return document.querySelectorAll('#accounts li').length === 1")
    assert DEMO in m.find_element(By.ID, "accounts").text
    assert secret_service.lookup("imapkey/localhost", DEMO) == "abcdefghijklmnop"

    m.find_element(By.CSS_SELECTOR, f"#accounts button[aria-label='Remove {DEMO}']").click()
    buttons = m.find_elements(By.CSS_SELECTOR, "#accounts button")
    [confirm] = [b for b in buttons if b.text == "Confirm remove"]
    confirm.click()
    _wait(firefox, "return document.querySelectorAll('#accounts li').length === 0")
    assert secret_service.lookup("imapkey/localhost", DEMO) is None


def test_google_page_warms_the_host(
    firefox: Firefox, standin: StandIn, browser_env: dict[str, str]
) -> None:
    """Firefox runs warm.js too: the Google Account page alone, no popup open, starts the host
    with a `hello`."""
    assert "hello" not in host_log(browser_env)
    firefox.m.navigate(f"https://myaccount.google.com:{standin.port}/apppasswords")
    wait_for_line(browser_env, answered("hello"), seconds=30)
