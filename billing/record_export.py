"""The whole record on request (clinical rules §9.7): one ZIP per client holding every PDF of
their record and a machine-readable export as a FHIR R4 JSON bundle.

The bundle is built as plain JSON here (no FHIR library at run time); the tests validate it
with the `fhir.resources` package (R4B models, which R4 resources of these kinds satisfy).
"""

from __future__ import annotations

import io
import json
import zipfile

from django.utils import timezone
from django.utils.text import slugify

from billing.documents import superbill_pdf
from billing.progress_report import progress_report_pdf
from billing.selectors import client_statement
from intake.models import OutcomeMeasure
from protocols.models import Technique
from sessions.documents import printing
from sessions.models.note import SessionNote

ICD10CM = "http://hl7.org/fhir/sid/icd-10-cm"
CPT = "http://www.ama-assn.org/go/cpt"
LOINC = "http://loinc.org"
PAIN_NRS = {
    "system": LOINC,
    "code": "72514-3",
    "display": "Pain severity - 0-10 verbal numeric rating [Score] - Reported",
}
NOT_A_DIAGNOSIS = "These tests guide the massage; they are not a medical diagnosis."


def _ref(kind: str, key: str) -> dict:
    return {"reference": f"{kind}/{key}"}


def client_fhir_bundle(*, client) -> dict:
    """The client's record as a FHIR R4 `collection` Bundle: the Patient, a Condition per
    referral diagnosis code, an Encounter per charted visit with its pain scores (Observation)
    and techniques (Procedure, with the CPT code where the library names one), and an
    Observation per assessment test and outcome score."""
    patient_id = f"client-{client.pk}"
    subject = _ref("Patient", patient_id)
    resources: list[dict] = []
    patient = {
        "resourceType": "Patient",
        "id": patient_id,
        "name": [{"family": client.last_name, "given": [client.first_name]}],
        "birthDate": client.date_of_birth.isoformat(),
    }
    telecom = [{"system": "phone", "value": client.phone}] if client.phone else []
    telecom += [{"system": "email", "value": client.email}] if client.email else []
    if telecom:
        patient["telecom"] = telecom
    resources.append(patient)

    for diagnosis in client.diagnoses.all():
        resources.append(
            {
                "resourceType": "Condition",
                "id": f"diagnosis-{diagnosis.pk}",
                "subject": subject,
                "code": {
                    "coding": [
                        {
                            "system": ICD10CM,
                            "code": diagnosis.code,
                            "display": diagnosis.description,
                        }
                    ],
                    "text": diagnosis.description,
                },
                "note": [
                    {
                        "text": f"From the physician's referral ({client.physician_name or 'physician not named'})."
                    }
                ],
                **(
                    {"recordedDate": client.referral_date.isoformat()}
                    if client.referral_date
                    else {}
                ),
            }
        )

    notes = list(
        SessionNote.objects.filter(client=client)
        .prefetch_related("techniques")
        .order_by("visit_date", "id")
    )
    slugs = {t.technique_slug for n in notes for t in n.techniques.all() if t.technique_slug}
    codes = dict(Technique.objects.filter(slug__in=slugs).values_list("slug", "procedure_code"))
    for note in notes:
        encounter_id = f"visit-{note.pk}"
        day = note.visit_date.isoformat()
        resources.append(
            {
                "resourceType": "Encounter",
                "id": encounter_id,
                "status": "finished" if note.is_signed else "in-progress",
                "class": {
                    "system": "http://terminology.hl7.org/CodeSystem/v3-ActCode",
                    "code": "AMB",
                    "display": "ambulatory",
                },
                "type": [{"text": "Massage therapy session"}],
                "subject": subject,
                "period": {"start": day, "end": day},
            }
        )
        for moment, score in (("before", note.pain_before), ("after", note.pain_after)):
            if score is None:
                continue
            resources.append(
                {
                    "resourceType": "Observation",
                    "id": f"pain-{moment}-{note.pk}",
                    "status": "final" if note.is_signed else "preliminary",
                    "code": {"coding": [PAIN_NRS], "text": f"Pain {moment} the session (0-10)"},
                    "subject": subject,
                    "encounter": _ref("Encounter", encounter_id),
                    "effectiveDateTime": day,
                    "valueInteger": score,
                }
            )
        for row in note.techniques.all():
            code = codes.get(row.technique_slug, "")
            concept = {"text": row.name}
            if code:
                concept["coding"] = [{"system": CPT, "code": code}]
            resources.append(
                {
                    "resourceType": "Procedure",
                    "id": f"technique-{row.pk}",
                    "status": "completed",
                    "code": concept,
                    "subject": subject,
                    "encounter": _ref("Encounter", encounter_id),
                    "performedPeriod": {"start": day, "end": day},
                    "note": [
                        {
                            "text": f"{row.minutes} min, {row.get_position_display().lower()}, {row.get_pressure_display().lower()} pressure"
                        }
                    ],
                }
            )

    for assessment in client.assessments.order_by("assessed_on", "id"):
        for index, (name, reading) in enumerate(assessment.readings()):
            resources.append(
                {
                    "resourceType": "Observation",
                    "id": f"test-{assessment.pk}-{index}",
                    "status": "final",
                    "category": [
                        {
                            "coding": [
                                {
                                    "system": "http://terminology.hl7.org/CodeSystem/observation-category",
                                    "code": "exam",
                                }
                            ]
                        }
                    ],
                    "code": {"text": name},
                    "subject": subject,
                    "effectiveDateTime": assessment.assessed_on.isoformat(),
                    "valueString": reading.text,
                    "note": [{"text": NOT_A_DIAGNOSIS}],
                }
            )

    for measure in OutcomeMeasure.objects.filter(client=client).order_by("measured_on", "id"):
        psfs = measure.kind == OutcomeMeasure.Kind.PSFS
        resources.append(
            {
                "resourceType": "Observation",
                "id": f"outcome-{measure.pk}",
                "status": "final",
                "category": [
                    {
                        "coding": [
                            {
                                "system": "http://terminology.hl7.org/CodeSystem/observation-category",
                                "code": "survey",
                            }
                        ]
                    }
                ],
                "code": {"text": measure.get_kind_display()},
                "subject": subject,
                "effectiveDateTime": measure.measured_on.isoformat(),
                "valueQuantity": {"value": float(measure.score), "unit": "score" if psfs else "%"},
            }
        )

    return {
        "resourceType": "Bundle",
        "id": f"record-{client.pk}",
        "type": "collection",
        "timestamp": timezone.now().isoformat(),
        "entry": [
            {"fullUrl": f"urn:uuid:{r['resourceType'].lower()}-{r['id']}", "resource": r}
            for r in resources
        ],
    }


def client_record_zip(*, client) -> bytes:
    """Every PDF of the client's record (each session note, the superbill of all visits, the
    progress report, the referral letter and the home-care sheet where they apply) and the FHIR
    bundle, in one ZIP."""
    buffer = io.BytesIO()
    name = slugify(client.full_name)
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for note in SessionNote.objects.filter(client=client).order_by("visit_date", "id"):
            archive.writestr(
                f"session-notes/session-note-{note.visit_date:%Y-%m-%d}-{note.pk}.pdf",
                printing.note_pdf(note=note),
            )
        archive.writestr(
            f"superbill-{name}.pdf", superbill_pdf(statement=client_statement(client=client))
        )
        archive.writestr(f"progress-report-{name}.pdf", progress_report_pdf(client=client))
        for filename, build in (
            ("referral-letter", printing.referral_letter_pdf),
            ("home-care-sheet", printing.home_care_sheet_pdf),
        ):
            try:
                archive.writestr(f"{filename}-{name}.pdf", build(client=client))
            except printing.NothingToPrint:
                continue
        archive.writestr(
            "fhir-r4-bundle.json", json.dumps(client_fhir_bundle(client=client), indent=2)
        )
    return buffer.getvalue()
