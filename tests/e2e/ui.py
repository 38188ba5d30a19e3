"""What a person does in the Prefect dashboard (UI of Prefect 3.8.8), as small steps over
Playwright: find a run by its name, open its Resume form, read the case card, fill a field,
submit. Shared by the browser tests and docs/make_screenshots.py.

Selectors are the UI's own roles and texts (buttons "Resume"/"Submit", the search box
"Search by flow run name", field labels as "Uitkomst (Optional)": a field is found by the
start of its title) plus the few stable class names of its form components."""

from __future__ import annotations

import os
import re
import shutil
import time

# Playwright cannot download its own browser here, and there is no network: Debian's
# chromium, started without the features that phone home.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def chromium_path() -> str | None:
    candidates = (
        os.environ.get("MEERZORG_CHROMIUM"),
        shutil.which("chromium"),
        "/usr/bin/chromium",
    )
    return next((c for c in candidates if c and os.path.exists(c)), None)


# The Runs page filters on start time; waiting zaken can be years old.
SPAN = "type=span&seconds=-315360000"


class Dashboard:
    def __init__(self, page, base_url: str):
        self.page = page
        self.base = base_url.rstrip("/")

    # --- logging in -------------------------------------------------------------------

    def login(self, wie: str, wachtwoord: str) -> None:
        """As a person does: the dashboard's front page sends an unknown visitor to the login
        page; after it, the login's own view opens (no page was asked for)."""
        self.page.goto(f"{self.base}/")
        self.page.wait_for_url("**/login**")
        self.page.get_by_label("Medewerker-id").fill(wie)
        self.page.get_by_label("Wachtwoord").fill(wachtwoord)
        self.page.get_by_role("button", name="Inloggen").click()
        self.page.wait_for_url(lambda url: "/login" not in url)

    # --- finding a run ----------------------------------------------------------------

    def runs(self, tag: str | None = None) -> None:
        query = f"?tag={tag}&{SPAN}" if tag else f"?{SPAN}"
        self.page.goto(f"{self.base}/runs{query}")

    def open_run_by_name(self, name: str, tag: str | None = None) -> None:
        """The Runs page, search by flow run name, click the run."""
        self.runs(tag)
        search = self.page.locator("input[placeholder='Search by flow run name']:visible")
        search.fill(name)
        link = self.page.get_by_role("link", name=name, exact=True)
        link.first.wait_for()
        link.first.click()
        self.page.get_by_role("button", name="Resume").or_(
            self.page.get_by_text("Artifacts", exact=True)
        ).first.wait_for()

    def open_run(self, flow_run_id: str) -> None:
        self.page.goto(f"{self.base}/runs/flow-run/{flow_run_id}")

    def tab(self, name: str) -> None:
        self.page.get_by_role("tablist").locator(".p-tab", has_text=name).first.click()

    # --- the Resume form ----------------------------------------------------------------

    def open_resume(self):
        self.page.get_by_role("button", name="Resume").click()
        modal = self.page.locator(".p-modal").filter(has_text="Resume Flow Run")
        modal.locator(".schema-form-property").first.wait_for()
        return modal

    @staticmethod
    def card(modal):
        """The form's description: the case card (Markdown) above the fields."""
        return modal.locator(".p-modal__body > article.markdown-renderer")

    def field(self, modal, label: str):
        title = self.page.locator(
            ".schema-form-property__label", has_text=re.compile(rf"^{re.escape(label)}\b")
        )
        return modal.locator(".schema-form-property").filter(has=title).first

    def choose(self, modal, label: str, value: str) -> None:
        """A Literal field (a dropdown): pick the option; an optional field (`X | None`, as
        other forms still have) first switches its type from None to the value type."""
        field = self.field(modal, label)
        kinds = field.locator(".p-button-group button")
        if kinds.count():  # an optional field offers "str | None"; None is selected at first
            kinds.first.click()
        control = field.locator(".p-select-button__control")
        option = self.page.get_by_role("option", name=value, exact=True)
        control.click()
        for _ in range(3):  # the popover opens on click or on ArrowDown
            if option.is_visible():
                break
            control.focus()
            self.page.keyboard.press("ArrowDown")
            time.sleep(0.3)
        option.click()

    def fill(self, modal, label: str, text: str) -> None:
        field = self.field(modal, label)
        field.locator("textarea, input").first.fill(text)

    def value(self, modal, label: str) -> str:
        return self.field(modal, label).locator("textarea, input").first.input_value()

    def toggle(self, modal, label: str) -> None:
        """A bool field (a switch): turn it on."""
        control = self.field(modal, label).locator(".p-toggle__control").first
        if "p-toggle__control--checked" not in (control.get_attribute("class") or ""):
            control.click()

    def in_view(self, locator) -> bool:
        """Is the element on screen, readable without scrolling the window?"""
        box = locator.bounding_box()
        size = self.page.viewport_size
        return bool(
            box
            and box["height"] > 0
            and box["y"] >= 0
            and box["y"] + min(box["height"], 60) <= size["height"]
        )

    def submit(self, modal, attempts: int = 3, timeout: float = 60) -> None:
        """Submit; the dialog closes when the server accepted the input. Under heavy load
        the embedded server's SQLite can refuse the write ("database is locked": the UI
        shows "Oops. Something went wrong.", the run stays paused) and a person presses
        Submit again: so does this, a few times, and says so."""
        errors = self.page.get_by_text("Something went wrong")
        for attempt in range(1, attempts + 1):
            seen = errors.count()
            modal.get_by_role("button", name="Submit").click()
            deadline = time.monotonic() + timeout
            while time.monotonic() < deadline:
                if modal.is_hidden():
                    return
                if errors.count() > seen:
                    print(f"Resume refused by the server (attempt {attempt}); submitting again")
                    time.sleep(2)
                    break
                time.sleep(0.2)
            else:
                raise AssertionError(f"the Resume dialog did not close within {timeout:.0f}s")
        raise AssertionError(f"the server refused the Resume form {attempts} times")

    # --- who may do what (issue 23): the UI's requests per login, and the other roles' steps ---

    def bewaak(self, rol: str) -> None:
        """From now on, record every API request the UI makes and the gateway's answer under
        `rol` (the login about to act), to show what the UI needs for a role's work and what
        the gateway refused. Call it again before the next login; listens once per page."""
        from urllib.parse import urlsplit

        self.rol = rol
        if getattr(self, "verkeer", None) is not None:
            return
        self.verkeer: list[dict] = []

        def antwoord(response) -> None:
            pad = urlsplit(response.url).path
            if not pad.startswith("/api/"):
                return
            request = response.request
            try:
                body = request.post_data or ""
            except Exception:  # a binary body: its shape is not needed here
                body = "<binair>"
            self.verkeer.append(
                {
                    "rol": self.rol,
                    "methode": request.method,
                    "pad": pad,
                    "status": response.status,
                    "body": body[:600],
                }
            )

        def websocket(ws) -> None:
            pad = urlsplit(ws.url).path
            self.verkeer.append(
                {"rol": self.rol, "methode": "WS", "pad": pad, "status": None, "body": ""}
            )

        self.page.on("response", antwoord)
        self.page.on("websocket", websocket)

    def geweigerd(self, behalve=()) -> list[dict]:
        """The recorded requests the gateway answered 403, but those at the indexes `behalve`
        (a request a test provokes)."""
        return [
            r
            for i, r in enumerate(getattr(self, "verkeer", []))
            if r["status"] == 403 and i not in behalve
        ]

    def verzoeken(self) -> dict[str, list[str]]:
        """Per role, the distinct requests as method and path template: a run, deployment or
        other id is {id}, a run input's key {key}."""
        uuid = re.compile(r"[0-9a-fA-F]{8}(-?[0-9a-fA-F]{4}){3}-?[0-9a-fA-F]{12}")
        per_rol: dict[str, set[str]] = {}
        for r in getattr(self, "verkeer", []):
            pad = uuid.sub("{id}", r["pad"])
            pad = re.sub(r"/input/[^/]+$", "/input/{key}", pad)
            per_rol.setdefault(r["rol"], set()).add(f"{r['methode']} {pad}")
        return {rol: sorted(v) for rol, v in per_rol.items()}

    def login_op(self, wie: str, wachtwoord: str, pad: str) -> None:
        """Log in on the way to a page, as a link from a colleague is followed: the page sends
        the visitor to the login page; after it, that page (or, when the gateway opened the
        role's own view instead, the page asked for next)."""
        from urllib.parse import urlsplit

        self.page.goto(f"{self.base}{pad}")
        if "/login" in self.page.url:
            self.page.get_by_label("Medewerker-id").fill(wie)
            self.page.get_by_label("Wachtwoord").fill(wachtwoord)
            self.page.get_by_role("button", name="Inloggen").click()
            self.page.wait_for_url(lambda url: "/login" not in url)
        if urlsplit(self.page.url).path != urlsplit(pad).path:
            self.page.goto(f"{self.base}{pad}")

    def logout(self) -> None:
        self.page.goto(f"{self.base}/logout")
        self.page.wait_for_url("**/login**")

    def klik_en_wacht_op(self, knop, url: str, timeout: float = 60):
        """Click and return the response to the request it makes to `url` (a glob)."""
        with self.page.expect_response(url, timeout=timeout * 1000) as info:
            knop.click()
        return info.value

    def kies_datum(self, form, label: str, datum) -> None:
        """A date field (Prefect's date picker): an optional one first switches from None to
        date; the calendar opens on the current month, goes to the date's month, picks the
        day and applies it."""
        import calendar

        maanden = list(calendar.month_name)  # the UI's (English) names; index = month
        field = self.field(form, label)
        kinds = field.locator(".p-button-group button")
        if kinds.count():  # `date | None`: None is selected at first
            kinds.first.click()
        field.locator(".p-date-button__control").click()
        picker = self.page.locator(".p-date-picker:visible").last
        picker.wait_for()
        for _ in range(240):
            maand = picker.locator(".p-date-picker__title-month").inner_text().strip()
            jaar = int(picker.locator(".p-date-picker__title-year").inner_text().strip())
            verschil = (datum.year - jaar) * 12 + datum.month - maanden.index(maand)
            if verschil == 0:
                break
            pijlen = picker.locator(".p-calendar-header__arrow")
            (pijlen.last if verschil > 0 else pijlen.first).click()
        dag = re.compile(rf"^\s*{datum.day}\s*$")
        picker.locator(".p-calendar-date-picker__date--in-month").filter(has_text=dag).click()
        self.page.get_by_role("button", name="Apply", exact=True).click()
        picker.wait_for(state="hidden")

    def custom_run(self, deployment_id: str) -> None:
        """The deployment's page, Run, Custom run: the form with its parameters."""
        self.page.goto(f"{self.base}/deployments/deployment/{deployment_id}")
        self.page.get_by_role("button", name="Run", exact=True).click()
        self.page.get_by_role("menuitem", name="Custom run").or_(
            self.page.get_by_text("Custom run", exact=True)
        ).first.click()
        self.page.wait_for_url("**/run?**")
        self.page.locator(".schema-form-property").first.wait_for()

    def annuleer_run(self):
        """On the run's page: Cancel (a button beside the run's menu; in a narrow window
        Prefect moves it into the menu), then Confirm in the Cancel Flow Run dialog. Returns
        the response to the state change."""
        knop = self.page.get_by_role("button", name="Cancel", exact=True)
        menu = self.page.locator(".flow-run-menu").first
        menu.wait_for()
        if not knop.is_visible():
            menu.click()
            knop = self.page.locator(".p-overflow-menu-item", has_text="Cancel").first
        knop.click()
        modal = self.page.locator(".p-modal").filter(has_text="Cancel Flow Run")
        return self.klik_en_wacht_op(
            modal.get_by_role("button", name="Confirm"), "**/api/flow_runs/*/set_state"
        )

    def kies(self, form, label: str, value: str) -> None:
        """`choose` without its fixed pauses, for a required Literal field (no None kind):
        focus the dropdown and open it with ArrowDown (or, if that did not, a click), then
        pick the option."""
        control = self.field(form, label).locator(".p-select-button__control")
        option = self.page.get_by_role("option", name=value, exact=True)
        control.focus()
        self.page.keyboard.press("ArrowDown")
        try:
            option.wait_for(timeout=2_000)
        except Exception:  # Playwright's TimeoutError: the popover opens on click too
            control.click()
        option.click()
