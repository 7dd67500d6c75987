"""Which files the engine reads as Django templates, and which it reads as deployment files (what starts a command).
A module of its own: listing files (files.py) must not load the template parser, and the parser (templates.py) must
not import the lister, which loads it."""

import re
from typing import Callable, Iterable

# read as Django templates (Jinja's `.html` ones too: the same tags)
PARSED_SUFFIXES = (".html", ".htm", ".txt", ".xml")
# other engines' templates, read only for the names they spell: a model's method only a Kid, Mako, Genshi, Chameleon or
# Jinja template calls is used (Beaker's `get_motd`, called from `master.kid`, stop 68)
NAMED_SUFFIXES = (".kid", ".mako", ".mak", ".genshi", ".pt", ".jinja", ".jinja2", ".j2")
TEMPLATE_SUFFIXES = PARSED_SUFFIXES + NAMED_SUFFIXES

# where a project says what runs and when: a crontab, a Procfile, a Dockerfile or Makefile, shell scripts, YAML (CI
# workflows, compose, Kubernetes CronJobs, AWS SAM schedules, Ansible), supervisor and systemd units, uwsgi's ini
# (and PM2's `ecosystem.config.js`, which may start the Python server: a SACCO platform's uvicorn, round 346)
_DEPLOY = re.compile(r"(?i)^(procfile.*|.*cron.*|dockerfile.*|makefile|justfile|ecosystem\.config\.c?js|.*\.(sh|bash|ya?ml|ini|conf|service|timer|mk))$")


def is_template_path(rel: str) -> bool:
    """A Django template: a file below a `templates/` folder (app folders and TEMPLATES' DIRS alike)."""
    return rel.endswith(TEMPLATE_SUFFIXES) and ("/templates/" in rel or rel.startswith("templates/"))


def is_deploy_name(name: str) -> bool:
    """A file's name says it may start a command (never a Python module's: `cron.py` is code)."""
    return not name.endswith(".py") and _DEPLOY.match(name) is not None


def is_deploy_path(rel: str) -> bool:
    """A deployment file, on disk or given in memory; a template whose name holds `cron` is still a template."""
    return is_deploy_name(rel.rpartition("/")[2]) and not is_template_path(rel)


# a file at the project's root that deploys it as a service: an image's build, a Procfile, a compose file
# (and a platform's descriptor: App Engine's, Wasmer Edge's or BlueKing's `app.yaml`, round 170's payroll service)
# (`docker-compose-dev.yml` too: MaveDB's, round 176; Render's blueprint `render.yaml`: SG Property Analytics, round
# 221, whose functions nothing calls were judged DEAD; the Serverless Framework's `serverless.yml`)
_SERVES = re.compile(r"(?i)^(dockerfile|containerfile|procfile)(\..*)?$|^(docker-)?compose([.-].*)?\.ya?ml$|^(app|render|serverless)\.ya?ml$")


# the deployment files an OpenAPI document may be (openapi_specs.py), read for the handlers its operations name
SPEC_SUFFIXES = (".yaml", ".yml")


# a folder at the root that holds the service's code beside others (`backend/Dockerfile` beside `frontend/`: an insurance
# broker's FastAPI back end, round 317, whose helper nothing calls was judged DEAD); a `docker/` folder of no code of its
# own builds a tool, not the project
_NOT_THE_SERVICE = re.compile(r"(?i)^(\..*|docs?|examples?|demos?|samples?|sandbox|tests?|testing|contrib|vendor|third_party)$")


def deploys_service(rel: str, folders: frozenset[str] = frozenset()) -> bool:
    """The project ships how it is run (a Dockerfile, a Procfile, a compose file, an `app.yaml` at its root, or in one of
    `folders`, the root's folders that hold Python modules: `code_folders`): an application, whose functions only its own code
    calls, even without a `manage.py` (SampleDB, a Flask application, round 132)."""
    folder, _, name = rel.rpartition("/")
    return (not folder or folder in folders and _NOT_THE_SERVICE.match(folder) is None) and _SERVES.match(name) is not None


def code_folders(paths) -> frozenset[str]:
    """The root's folders holding Python modules, of the project's relative paths."""
    return frozenset(p.partition("/")[0] for p in paths if "/" in p and p.endswith(".py"))


# a shell script at the root that starts the application's server (`uvicorn app.main:app` in a `run.sh`): how it is run,
# as a Procfile says it (Immpire's property back end, round 297: its router commented out, 5 judged DEAD)
# (a command at a line's start, `exec` or `python -m` before it: not `pip install uvicorn`)
_SERVER_START = re.compile(r"(?m)^[ \t]*(?:exec[ \t]+)?(?:[\w./-]*/)?(?:python[\d.]*[ \t]+-m[ \t]+)?"
                           r"(uvicorn|gunicorn|hypercorn|daphne|granian|waitress-serve|flask[ \t]+run)\b")


def starts_server(rel: str, text: str) -> bool:
    """A server-starting file's text (`_server_script`) starts an ASGI or WSGI server: a root shell script's or a
    Makefile's line not commented out (`server/Makefile`'s `uvicorn $(API) --reload`: a parish back office's FastAPI
    server, round 340, whose function nothing calls was judged DEAD), or PM2's `ecosystem.config.js` naming the server
    it runs as a string (`script: "./venv/bin/uvicorn"`: a SACCO platform, round 346)."""
    return (_SERVER_NAMED if _PM2.match(rel) else _SERVER_START).search(text) is not None


_PM2 = re.compile(r"^ecosystem\.config\.c?js$")
_SERVER_NAMED = re.compile(r"\b(uvicorn|gunicorn|hypercorn|daphne|granian)\b")


def _server_script(rel: str, folders: frozenset[str]) -> bool:
    """A file whose text may start the server: a root shell script or PM2 file, a Makefile at the root or in `folders`."""
    folder, _, name = rel.rpartition("/")
    return (not folder and (name.endswith(".sh") or _PM2.match(name) is not None)) \
        or (name.lower() in ("makefile", "justfile") and (not folder or folder in folders))


def deployed(rels: Iterable[str], code_paths: Iterable[str], text_of: Callable[[str], str]) -> bool:
    """The project deploys itself as a service, by one of its deployment files `rels` (read with `text_of`, and only the
    text of a file that may start the server is read: `_server_script`): what makes it an application (ProjectIndex.served)."""
    rels, folders = list(rels), code_folders(code_paths)
    return any(deploys_service(rel, folders) for rel in rels) \
        or any(starts_server(rel, text_of(rel)) for rel in rels if _server_script(rel, folders))
