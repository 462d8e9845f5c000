"""JupyterHub for a cohort running TAPPED IN: one server and kernel per person.

Every hub user is also a PostgreSQL role of the same name, made with
`tappedin cohort add-user NAME` (job seekers) or `tappedin cohort add-coach NAME`
(coaches). Each person's single-user server gets TAPPEDIN_DB built from their
hub name, and opens on the Voilà dashboard; coaches open on the coach view.
See docs/deploy.md. Start it with: jupyterhub -f /path/to/jupyterhub_config.py

Three settings can come from the hub's environment instead of editing this file:

TAPPEDIN_HUB_DB         the database URL with {user} where the role name goes
                        (default: postgresql+psycopg://{user}@127.0.0.1:5432/tappedin)
TAPPEDIN_HUB_PASSWORDS  a folder with one file per user holding their PostgreSQL
                        password, readable only by the hub's account
                        (default: /etc/tappedin/passwords). A user without a file
                        gets no password in the URL, for servers that
                        authenticate another way (peer, cert, ~/.pgpass).
TAPPEDIN_HUB_NOTEBOOKS  the folder holding dashboard.ipynb and coach.ipynb
                        (default: the notebooks installed with the package)
"""

import os
import sys
from pathlib import Path

from sqlalchemy.engine import make_url

from tappedin_widgets.cli import notebooks_dir
from tappedin_widgets.cohort import check_name

c = get_config()  # noqa: F821 - defined by JupyterHub when it loads this file

DB_TEMPLATE = os.environ.get("TAPPEDIN_HUB_DB",
                             "postgresql+psycopg://{user}@127.0.0.1:5432/tappedin")
PASSWORDS = Path(os.environ.get("TAPPEDIN_HUB_PASSWORDS", "/etc/tappedin/passwords"))
NOTEBOOKS = os.environ.get("TAPPEDIN_HUB_NOTEBOOKS") or str(notebooks_dir())
COACHES_GROUP = "tappedin-coaches"


def tappedin_db(spawner) -> str:
    """The store URL for the user being spawned: their own role, their own password."""
    name = check_name(spawner.user.name)  # the rule `tappedin cohort add-user` applies
    url = make_url(DB_TEMPLATE.format(user=name))
    secret = PASSWORDS / name
    if secret.is_file():  # the file given to `tappedin cohort add-user --password-file`
        first = (secret.read_text(encoding="utf-8").splitlines() or [""])[0].strip()
        url = url.set(password=first or None)
    return url.render_as_string(hide_password=False)


# --- Who can log in -------------------------------------------------------------
# The default authenticator checks the machine's own accounts (PAM). Let in the
# members of one Unix group; any other authenticator works the same way.
c.PAMAuthenticator.allowed_groups = {"tappedin"}

# --- Each user's server ---------------------------------------------------------
# LocalProcessSpawner (the default) runs each person's server as their own Unix
# account, so their processes and environment are theirs alone.
# The single-user servers use the hub's Python, where tappedin (and with it Voilà,
# which enables itself as a server extension) is installed.
c.Spawner.cmd = [sys.executable, "-m", "jupyterhub.singleuser"]
c.Spawner.ip = "127.0.0.1"
c.Spawner.environment = {"TAPPEDIN_DB": tappedin_db}
c.Spawner.notebook_dir = NOTEBOOKS
c.Spawner.default_url = "/voila/render/dashboard.ipynb"
c.Spawner.args = [
    "--VoilaConfiguration.theme=light",
    # Tracebacks stay out of the page (Voilà's default); the details go to the log.
    "--VoilaConfiguration.show_tracebacks=False",
    # A closed dashboard tab leaves its kernel behind: end kernels left idle.
    "--MappingKernelManager.cull_idle_timeout=900",
    "--MappingKernelManager.cull_interval=60",
]

# --- Coaches --------------------------------------------------------------------
# Members of this hub group open on the coach view instead of the dashboard. Names
# listed here are added at start-up; removing one takes the admin page (or API).
c.JupyterHub.load_groups = {COACHES_GROUP: {"users": []}}
c.Spawner.group_overrides = {
    "tappedin-coach-view": {
        "groups": [COACHES_GROUP],
        "spawner_override": {"default_url": "/voila/render/coach.ipynb"},
    },
}

# --- The hub itself -------------------------------------------------------------
# Behind your HTTPS reverse proxy; to serve HTTPS directly, set
# c.JupyterHub.bind_url = "https://..." with ssl_cert and ssl_key.
c.JupyterHub.bind_url = "http://127.0.0.1:8000"
