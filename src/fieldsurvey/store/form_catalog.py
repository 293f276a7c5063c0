"""Installed questionnaires: every version kept, with its XForm and source file hash.

An interview names its form id and version, so it always opens with the exact form it
was started on, even after newer versions are installed.
"""

from __future__ import annotations

import json
import logging
import shutil
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from fieldsurvey.errors import FieldSurveyError, FormError, StoreError
from fieldsurvey.i18n.core import N_
from fieldsurvey.resources import bundled_forms_dir
from fieldsurvey.safe_names import FORM_ID, MEDIA_FILE, VERSION, check_name, path_inside, safe_label
from fieldsurvey.store.form_source import read_form_source, sha256_bytes, sha256_file
from fieldsurvey.store.models import InstalledFormRow, InterviewRow, utc_now
from fieldsurvey.store.records import InstalledForm, InstallResult

log = logging.getLogger(__name__)

F = InstalledFormRow.__table__.c
I = InterviewRow.__table__.c  # noqa: E741


class FormCatalog:
    """The forms half of :class:`fieldsurvey.store.Store` (mixed into it)."""

    _definitions: dict[tuple[str, str], Any]
    _form_pks: dict[tuple[str, str], int]

    def install_form(self, path_or_loaded_form) -> InstallResult:
        """Install a questionnaire file (XLSForm or XForm) or an engine ``LoadedForm``.

        Says whether it is a new form, a new version of a known form, or already
        installed. A different form with the same id and version is refused: its version
        must be raised so that old interviews keep the form they were started on.
        """
        source = read_form_source(path_or_loaded_form)
        version = source.version or ""
        for name in source.media_files:  # checked before anything is installed
            check_name(name, MEDIA_FILE, error=FormError, path=source.source_name)
        xform_sha = sha256_bytes(source.xform.encode("utf-8"))
        with self.transaction() as session:
            versions = session.execute(
                select(F.id, F.version, F.xform_sha256, F.source_sha256).where(
                    F.form_id == source.form_id
                )
            ).all()
            same = next((row for row in versions if row.version == version), None)
            if same is not None:
                if xform_sha != same.xform_sha256 and source.source_sha256 != same.source_sha256:
                    raise StoreError(
                        N_(
                            "Version {version} of the form {form_id} is already installed with "
                            "different content. Raise the version in the settings sheet."
                        ),
                        code="form_version_clash",
                        params={"form_id": source.form_id, "version": version or "-"},
                        path=source.source_name,
                    )
            else:
                session.add(
                    InstalledFormRow(
                        form_id=source.form_id,
                        version=version,
                        title=source.title,
                        languages=json.dumps(source.languages, ensure_ascii=False),
                        default_language=source.default_language,
                        source_name=source.source_name,
                        source_sha256=source.source_sha256,
                        xform_sha256=xform_sha,
                        installed_at=utc_now(),
                        xform=source.xform,
                    )
                )
        if same is None and source.media_files:
            self._copy_media(source.form_id, version, source.media_files)
        return InstallResult(
            form=self.get_form(source.form_id, version),
            is_new_form=not versions,
            is_new_version=bool(versions) and same is None,
            already_installed=same is not None,
            warnings=source.warnings,
            source_path=source.source_path,
        )

    def _copy_media(self, form_id: str, version: str, media: dict[str, Path]) -> None:
        folder = self.form_media_dir(form_id, version)
        folder.mkdir(parents=True, exist_ok=True)
        for name, path in media.items():
            try:
                shutil.copy2(path, path_inside(folder, name, MEDIA_FILE, error=StoreError))
            except OSError as exc:
                log.warning("cannot copy media %s of form %s: %s", path, form_id, exc)

    def install_bundled_forms(self) -> list[InstallResult]:
        """Install the questionnaires shipped with the app whose file is not installed yet.

        Called on every start; a bundled form that fails to load is logged and reported
        in its result (``error``), never raised.
        """
        folder = bundled_forms_dir()
        if not folder.is_dir():
            return []
        with self.transaction() as session:
            installed = set(session.execute(select(F.source_sha256)).scalars())
        results = []
        for path in sorted(folder.glob("*.xlsx")):
            if path.name.startswith(("~$", ".")):
                continue
            try:
                if sha256_file(path) in installed:
                    continue
                results.append(self.install_form(path))
            except (FieldSurveyError, OSError) as exc:
                log.error("bundled form %s cannot be installed: %s", path.name, exc)
                results.append(InstallResult(None, False, False, False, [], path, error=exc))
        return results

    def _counts(self, session) -> dict[tuple[str, str], dict[str, int]]:
        rows = session.execute(
            select(I.form_id, I.form_version, I.status, func.count())
            .where(I.deleted == False)  # noqa: E712 - SQL, not Python
            .group_by(I.form_id, I.form_version, I.status)
        ).all()
        counts: dict[tuple[str, str], dict[str, int]] = {}
        for form_id, version, status, n in rows:
            counts.setdefault((form_id, version), {})[status] = n
        return counts

    @staticmethod
    def _form_record(row, counts: dict[str, int]) -> InstalledForm:
        return InstalledForm(
            form_id=row.form_id,
            version=row.version or None,
            title=row.title,
            languages=json.loads(row.languages or "[]"),
            default_language=row.default_language,
            xform=row.xform,
            source_sha256=row.source_sha256,
            source_name=row.source_name,
            installed_at=row.installed_at,
            interview_count=sum(counts.values()),
            counts_by_status=dict(counts),
        )

    def list_forms(self, all_versions: bool = False) -> list[InstalledForm]:
        """Installed forms by title; only the newest installed version of each unless
        ``all_versions``."""
        with self.transaction() as session:
            query = select(InstalledFormRow.__table__)
            if not all_versions:
                newest = select(func.max(F.id)).group_by(F.form_id).scalar_subquery()
                query = query.where(F.id.in_(newest))
            rows = session.execute(query.order_by(F.title, F.form_id, F.id)).all()
            counts = self._counts(session)
        return [self._form_record(r, counts.get((r.form_id, r.version), {})) for r in rows]

    def get_form(self, form_id: str, version: str | None = None) -> InstalledForm:
        """One installed version (the newest installed when ``version`` is None)."""
        with self.transaction() as session:
            query = select(InstalledFormRow.__table__).where(F.form_id == form_id)
            if version is not None:
                query = query.where(F.version == version)
            row = session.execute(query.order_by(F.id.desc()).limit(1)).first()
            if row is None:
                raise StoreError(
                    N_("The form {form_id} (version {version}) is not installed."),
                    code="form_not_installed",
                    params={"form_id": form_id, "version": version or "-"},
                )
            counts = self._counts(session).get((row.form_id, row.version), {})
        return self._form_record(row, counts)

    def form_definition(self, form_id: str, version: str | None = None):
        """The parsed FormDefinition of an installed version (cached)."""
        form = self.get_form(form_id, version)
        key = (form.form_id, form.version or "")
        if key not in self._definitions:
            from fieldsurvey.forms import parse_xform

            self._definitions[key] = parse_xform(
                form.xform, attachments_dir=self.form_media_dir(*key)
            )
        return self._definitions[key]

    def form_media_dir(self, form_id: str, version: str | None) -> Path:
        """The folder of a form version's media and external choice files."""
        # Labels of folders we name ourselves; an id that names a link out is refused.
        form_dir = path_inside(self.data_dir.forms, safe_label(form_id), FORM_ID, error=StoreError)
        return path_inside(form_dir, safe_label(version or "_"), VERSION, error=StoreError)

    def _form_pk(self, session, form_id: str, version: str) -> int | None:
        """The row id of an installed form version (cached: installed forms never go)."""
        key = (form_id, version)
        if key not in self._form_pks:
            pk = session.execute(
                select(F.id).where(F.form_id == form_id, F.version == version)
            ).scalar()
            if pk is None:
                return None
            self._form_pks[key] = pk
        return self._form_pks[key]
