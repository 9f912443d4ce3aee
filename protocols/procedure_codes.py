"""The procedure codes the shipped library's techniques are billed under (clinical rules §9.2).

Codes only: CPT descriptors are the AMA's, so the clinic manager writes the clinic's own
wording for each code in the billing pages. Used by the library fixture's loader and by the
migration that gives a library loaded before codes existed the same codes.
"""

from __future__ import annotations

MASSAGE = "97124"
MANUAL_THERAPY = "97140"
NEUROMUSCULAR_RE_EDUCATION = "97112"
THERAPEUTIC_EXERCISE = "97110"

# Heat (bundled, untimed), breathing education and activity advice are not billed on their own.
SHIPPED_PROCEDURE_CODES: dict[str, str] = {
    "effleurage": MASSAGE,
    "effleurage-side-lying": MASSAGE,
    "gluteus-medius-minimus-stripping": MASSAGE,
    "posterior-thigh-stripping": MASSAGE,
    "hamstring-light-compression": MASSAGE,
    "hamstring-light-side-lying": MASSAGE,
    "passive-hip-extension-compression": MASSAGE,
    "gastrocnemius-soleus-release": MASSAGE,
    "tapotement-glutes": MASSAGE,
    "broad-myofascial-release": MANUAL_THERAPY,
    "broad-myofascial-release-side-lying": MANUAL_THERAPY,
    "sacral-friction-light": MANUAL_THERAPY,
    "sacral-friction-light-side-lying": MANUAL_THERAPY,
    "sacral-scoring-friction": MANUAL_THERAPY,
    "sacrotuberous-ligament-release": MANUAL_THERAPY,
    "hubcap-static-compression": MANUAL_THERAPY,
    "hubcap-static-compression-side-lying": MANUAL_THERAPY,
    "hubcap-circular-friction": MANUAL_THERAPY,
    "trigger-point-ischemic-compression": MANUAL_THERAPY,
    "trigger-point-compression-lumbar": MANUAL_THERAPY,
    "hamstring-pin-and-stretch": MANUAL_THERAPY,
    "frog-leg-position": MANUAL_THERAPY,
    "it-band-tfl-release": MANUAL_THERAPY,
    "it-band-cross-fibre-friction": MANUAL_THERAPY,
    "trochanter-circular-friction": MANUAL_THERAPY,
    "deep-rotator-access-side-lying": MANUAL_THERAPY,
    "sciatic-nerve-flossing-soft-tissue": NEUROMUSCULAR_RE_EDUCATION,
    "sciatic-nerve-slider": NEUROMUSCULAR_RE_EDUCATION,
    "movement-re-education": NEUROMUSCULAR_RE_EDUCATION,
    "diaphragmatic-breathing": NEUROMUSCULAR_RE_EDUCATION,
    "gentle-stretching": THERAPEUTIC_EXERCISE,
    "home-care-instruction": THERAPEUTIC_EXERCISE,
}
