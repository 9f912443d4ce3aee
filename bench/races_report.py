"""The races step's report: what `bench.races.races_run` found, as the markdown section of
`bench/results/races.md`."""

from __future__ import annotations

from bench.races import KINDS, RaceResult


def races_markdown(result: RaceResult) -> str:
    total = len(result.pairs)
    lines = [
        f"{result.slots} pairs at a time, {result.rounds} rounds: **{total} pairs** "
        f"({2 * total} concurrent posts) in {result.seconds:.0f} s"
        + (" (stopped at the time limit)" if result.stopped_early else "")
        + ". Each round's posts are released together by one barrier once every side has "
        "read its form page; each therapist has a session of their own (the double clicks use "
        "a second connection on the same session) and each pair a session of the manager.",
        "",
        f"**Lost acknowledged writes: {result.lost}. Refused actions that changed the database "
        f"anyway: {result.phantom}. Duplicates: {result.duplicates}. Inconsistent visits: "
        f"{result.inconsistent}. 5xx: {result.server_errors}.** Other failed requests "
        f"(4xx, no answer): {result.request_errors}; tracebacks in the server log: "
        f"{result.tracebacks}.",
        "",
        "| pair | pairs | outcome | count |",
        "| --- | --- | --- | --- |",
    ]
    for kind in KINDS:
        counts = result.outcomes[kind]
        pairs = sum(1 for p in result.pairs if p.kind == kind)
        for n, (outcome, count) in enumerate(sorted(counts.items())):
            lines.append(
                f"| {kind if n == 0 else ''} | {pairs if n == 0 else ''} | {outcome} | {count} |"
            )
    if result.stale_examples:
        lines += ["", "The stale-action message, as sent back (examples):", ""]
        lines += [f"- {example}" for example in result.stale_examples]
    if result.other_examples:
        lines += ["", "Other refusals:", ""]
        lines += [f"- {text} (x{count})" for text, count in result.other_examples.most_common(8)]
    if result.moved_then_cancelled:
        lines += [
            "",
            "Both acknowledged (the cancel arrived after the move had committed; the cancel "
            "form names no time, so the manager's cancel, decided on the page showing the old "
            "time, applies to the moved visit), the visit's history:",
            "",
        ]
        lines += [f"- {example}" for example in result.moved_then_cancelled]
    lines += [
        "",
        "Checked in the database afterwards: an acknowledged cancel left the visit cancelled "
        "with its reason; an acknowledged reschedule is in the visit's history at the new time "
        "(and, when both were acknowledged, before the cancel); a refused action changed "
        "nothing; check-in and cancel never both acknowledged; one re-screen per acknowledged "
        "check-in and none for a refused one; one plan per accept token, one appointment per "
        "booking token, and both sends of a token led to the same record.",
    ]
    if result.problems:
        lines += ["", f"Problems ({len(result.problems)}, the first 20):", ""]
        lines += [f"- {problem}" for problem in result.problems[:20]]
    return "\n".join(lines)
