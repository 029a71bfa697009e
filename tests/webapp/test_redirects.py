"""`webapp.redirects.see_other`: the one way a view sends the browser on after a change."""

from __future__ import annotations

from flask import Flask

from webapp.redirects import see_other


def test_a_plain_request_gets_a_303_and_htmx_a_200_with_hx_redirect() -> None:
    app = Flask(__name__)
    with app.test_request_context("/r/x/delete", method="POST"):
        plain = see_other("/")
    assert plain.status_code == 303 and plain.headers["Location"] == "/"
    assert "HX-Redirect" not in plain.headers
    with app.test_request_context("/r/x/delete", method="POST",
                                  headers={"HX-Request": "true"}):
        htmx = see_other("/r/abc")
    # htmx would follow a 303 itself and swap the whole page into the form's target
    assert htmx.status_code == 200 and htmx.headers["HX-Redirect"] == "/r/abc"
    assert "Location" not in htmx.headers and htmx.get_data() == b""
