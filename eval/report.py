"""Turn evaluation outcomes into the comparison table, report files and the gate verdict."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path

from eval.aggregate import Outcome
from eval.metrics import answer_correct, same_source

TABLE_METRICS = (
    "recall@1_doc",
    "recall@5_doc",
    "recall@10_doc",
    "recall@1_section",
    "recall@5_section",
    "mrr@10_doc",
    "mrr@10_section",
    "ndcg@10_section",
    "answer_accuracy",
    "abstain_precision",
    "abstain_recall",
    "latency_p50",
    "latency_p95",
)


def _fmt(v) -> str:
    return "—" if v is None else (f"{v:.3f}" if isinstance(v, float) else str(v))


def comparison_table(reports: Mapping[str, dict], metrics: Sequence[str] = TABLE_METRICS) -> str:
    """Markdown table, one row per mode, one column per metric present in any mode.

    >>> print(comparison_table({"bm25": {"overall": {"recall@5_doc": 0.5}}}, ["recall@5_doc"]))
    | mode | recall@5_doc |
    |---|---|
    | bm25 | 0.500 |
    """
    cols = [m for m in metrics if any(m in r["overall"] for r in reports.values())]
    lines = ["| mode | " + " | ".join(cols) + " |", "|---|" + "---|" * len(cols)]
    for mode, r in reports.items():
        lines.append(f"| {mode} | " + " | ".join(_fmt(r["overall"].get(c)) for c in cols) + " |")
    return "\n".join(lines)


def breakdown_table(reports: Mapping[str, dict], group: str, metric: str) -> str:
    """Per-kind (or per-tag) values of one metric, modes as columns."""
    modes = list(reports)
    keys = sorted({k for r in reports.values() for k in r.get(group, {})})
    lines = [f"| {group[3:]} | n | " + " | ".join(modes) + " |", "|---|---|" + "---|" * len(modes)]
    for key in keys:
        n = next((r[group][key]["n"] for r in reports.values() if key in r.get(group, {})), 0)
        vals = [_fmt(r.get(group, {}).get(key, {}).get(metric)) for r in reports.values()]
        lines.append(f"| {key} | {n} | " + " | ".join(vals) + " |")
    return "\n".join(lines)


def failures(outcomes: Sequence[Outcome], k: int = 5) -> list[dict]:
    """Questions whose gold was not in the top k, or whose answer was wrong, with what came back."""
    out = []
    for o in outcomes:
        q = o.question
        got = [src for src, _ in o.retrieved[:k]]
        missed = bool(q.gold) and not any(same_source(s, g.source) for s in got for g in q.gold)
        has_spec = bool(q.answer.any or q.answer.all or q.answer.abstain)
        wrong = has_spec and not answer_correct(o.answer, q.answer)
        if missed or wrong:
            out.append(
                {
                    "id": q.id,
                    "question": q.question,
                    "kind": q.kind,
                    "gold": [{"source": g.source, "section": g.section} for g in q.gold],
                    "expected": {
                        "any": list(q.answer.any),
                        "all": [list(a) for a in q.answer.all],
                        "abstain": q.answer.abstain,
                    },
                    "answer": o.answer,
                    "retrieval_missed": missed,
                    "answer_wrong": wrong,
                    "retrieved": [
                        {"source": s, "section": list(sec)} for s, sec in o.retrieved[:k]
                    ],
                }
            )
    return out


def write_chart(reports: Mapping[str, dict], path: Path, metrics: Sequence[str]) -> None:
    """Grouped bar chart of the modes (matplotlib, headless)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    cols = [m for m in metrics if any(r["overall"].get(m) is not None for r in reports.values())]
    fig, ax = plt.subplots(figsize=(max(6, 1.3 * len(cols)), 4))
    width = 0.8 / max(len(reports), 1)
    for i, (mode, r) in enumerate(reports.items()):
        vals = [r["overall"].get(c) or 0.0 for c in cols]
        ax.bar([x + i * width for x in range(len(cols))], vals, width, label=mode)
    ax.set_xticks(
        [x + width * (len(reports) - 1) / 2 for x in range(len(cols))],
        cols,
        rotation=30,
        ha="right",
    )
    ax.set_ylim(0, 1.18)  # room above the bars for the legend
    ax.legend(loc="upper center", ncol=len(reports), frameon=False)
    ax.set_title("vanban evaluation")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def write_report(
    directory: Path,
    dataset_name: str,
    split: str,
    reports: Mapping[str, dict],
    outcomes: Mapping[str, Sequence[Outcome]],
    gate: Sequence[str],
) -> None:
    """report.json, report.md, chart.png and failures.jsonl (one file per concern)."""
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "report.json").write_text(
        json.dumps(
            {
                "dataset": dataset_name,
                "split": split,
                "modes": reports,
                "gate_failures": list(gate),
            },
            ensure_ascii=False,
            indent=1,
        ),
        encoding="utf-8",
    )
    md = [f"# vanban eval — {dataset_name} ({split})", "", comparison_table(reports), ""]
    for group, metric in (
        ("by_kind", "recall@5_doc"),
        ("by_kind", "answer_accuracy"),
        ("by_tag", "recall@5_section"),
    ):
        if any(metric in g for r in reports.values() for g in r.get(group, {}).values()):
            md += [
                f"## {metric} {group.replace('_', ' ')}",
                "",
                breakdown_table(reports, group, metric),
                "",
            ]
    md += ["## Gate", ""] + ([f"- FAIL {g}" for g in gate] or ["- all thresholds met"]) + [""]
    (directory / "report.md").write_text("\n".join(md), encoding="utf-8")
    write_chart(
        reports, directory / "chart.png", [m for m in TABLE_METRICS if not m.startswith("latency")]
    )
    with open(directory / "failures.jsonl", "w", encoding="utf-8") as f:
        for mode, outs in outcomes.items():
            for row in failures(outs):
                f.write(json.dumps({"mode": mode, **row}, ensure_ascii=False) + "\n")
