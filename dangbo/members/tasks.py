"""Background work of the registry: member imports, with each job's state in a small JSON file.

An import job is an uploaded file under MEDIA_ROOT/imports/ named by a random token,
beside ``<token>.json`` holding who uploaded it, into which organization, the stage,
the progress and the report. The token is only ever looked up by that exact name;
a path never comes from the client. Big files are checked and saved by the
``run_import`` task (django-tasks), small ones in the request.
"""

import fcntl
import json
import logging
import os
import re
import secrets
import time
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from dangbo.members import importer

logger = logging.getLogger(__name__)

_TOKEN = re.compile(r"[A-Za-z0-9_-]{20,64}")
# Uploaded lists hold personal data: abandoned jobs are removed after this long.
KEEP_SECONDS = 2 * 24 * 3600

QUEUED, CHECKING, CHECKED, SAVING, SAVED, FAILED = "queued", "checking", "checked", "saving", "saved", "failed"
RUNNING = (QUEUED, CHECKING, SAVING)


def import_dir():
    path = Path(settings.MEDIA_ROOT) / "imports"
    path.mkdir(parents=True, exist_ok=True)
    return path


class ImportJob:
    """One uploaded file on its way from preview to save."""

    def __init__(self, token):
        self.token = token
        self.state_path = import_dir() / f"{token}.json"
        self._lock_path = import_dir() / f"{token}.lock"

    @classmethod
    def create(cls, *, upload, user, organization):
        kind = importer.file_kind(upload.name)
        job = cls(secrets.token_urlsafe(24))
        suffix = ".xlsx" if kind == "xlsx" else ".csv"
        path = import_dir() / f"{job.token}{suffix}"
        with open(path, "wb") as out:
            for chunk in upload.chunks():
                out.write(chunk)
        job._write({
            "token": job.token, "user_id": user.pk, "organization_id": organization.pk,
            "filename": Path(upload.name).name, "suffix": suffix, "stage": QUEUED,
            "rows": importer.count_rows(path, upload.name), "progress": None, "report": None,
            "task_id": None, "error": "", "created_at": time.time(),
        })
        return job

    @classmethod
    def load(cls, token):
        """The job of ``token``, or None when the token is malformed or unknown."""
        if not isinstance(token, str) or not _TOKEN.fullmatch(token):
            return None
        job = cls(token)
        return job if job.state_path.exists() else None

    @property
    def state(self):
        try:
            return json.loads(self.state_path.read_text())
        except (OSError, ValueError):
            return {}

    @property
    def path(self):
        return import_dir() / f"{self.token}{self.state.get('suffix', '.xlsx')}"

    @contextmanager
    def _locked(self):
        with open(self._lock_path, "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    def _write(self, state):
        temporary = self.state_path.with_suffix(".tmp")
        temporary.write_text(json.dumps(state, ensure_ascii=False, default=str))
        os.replace(temporary, self.state_path)

    def update(self, **changes):
        """Change some keys of the state; the web process and the worker both write it."""
        with self._locked():
            state = self.state
            state.update(changes, updated_at=time.time())
            self._write(state)
            return state

    def claim(self, from_stage, to_stage):
        """Move from one stage to the next unless someone else already did (a double click)."""
        with self._locked():
            state = self.state
            if state.get("stage") != from_stage:
                return False
            state.update(stage=to_stage, progress=None, updated_at=time.time())
            self._write(state)
            return True

    def delete_upload(self):
        self.path.unlink(missing_ok=True)

    def delete(self):
        self.delete_upload()
        for path in (self.state_path, self._lock_path):
            path.unlink(missing_ok=True)


def purge_old_jobs(now=None):
    """Remove the files of jobs older than KEEP_SECONDS."""
    now = now or time.time()
    for path in import_dir().iterdir():
        try:
            if now - path.stat().st_mtime > KEEP_SECONDS:
                path.unlink(missing_ok=True)
        except OSError:
            pass


def execute(job, *, save):
    """Check (and with ``save`` also save) the job's file, writing progress and the report."""
    from dangbo.accounts.models import User
    from dangbo.organizations import access
    from dangbo.organizations.models import Organization

    state = job.state
    user = User.objects.filter(pk=state.get("user_id"), is_active=True).first()
    organization = Organization.objects.filter(pk=state.get("organization_id")).first()
    if user is None or organization is None or not access.can(user, organization, access.WRITE):
        job.update(stage=FAILED, error=_("Người tải tệp không còn quyền nhập vào tổ chức này."))
        return None
    job.update(stage=SAVING if save else CHECKING, progress=None)

    def progress(stage, done, total):
        job.update(progress={"stage": stage, "done": done, "total": total})

    try:
        report = importer.import_file(job.path, organization, by=user, dry_run=not save,
                                      filename=state.get("filename"), progress=progress)
    except Exception:
        logger.exception("import job %s failed", job.token)
        job.update(stage=FAILED, error=_("Có lỗi không mong đợi khi xử lý tệp; không lưu gì. "
                                         "Hãy thử lại hoặc báo quản trị hệ thống."))
        raise
    stage = SAVED if save and report.ok else CHECKED
    job.update(stage=stage, report=report.to_dict(), finished_at=timezone.now().isoformat())
    if stage == SAVED:
        job.delete_upload()
    return report


@task()
def run_import(token, save=False):
    """Check, or save, an uploaded member list in the background."""
    job = ImportJob.load(token)
    if job is None:
        return None
    report = execute(job, save=save)
    return None if report is None else report.to_dict(limit=0)["counts"]
