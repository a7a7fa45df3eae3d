"""`vanban eval --dataset NAME|PATH [--modes …] [--split …] [--json] [--report DIR]`."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click


@click.command("eval")
@click.option(
    "--dataset",
    required=True,
    help="sample | vn-admin | alqac | policy | bench | PATH to a dataset folder.",
)
@click.option(
    "--modes",
    default="bm25,dense,hybrid",
    show_default=True,
    help="Comma-separated retrieval modes.",
)
@click.option(
    "--split", type=click.Choice(["dev", "test", "all"]), default="all", show_default=True
)
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.option(
    "--report",
    "report_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Write report.json, report.md, chart.png, failures.jsonl here.",
)
@click.option("--no-answers", is_flag=True, help="Retrieval metrics only (faster).")
@click.option(
    "--encoder",
    default=None,
    help="Encoder for the dataset's index (default: multilingual-e5-small).",
)
@click.option(
    "--index",
    "index_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Evaluate this existing index instead of building one of the dataset's corpus.",
)
def eval_cmd(dataset, modes, split, as_json, report_dir, no_answers, encoder, index_dir) -> None:
    """Measure retrieval and answer quality; exit 1 when a threshold of the dataset is not met."""
    from eval.aggregate import aggregate, check_thresholds
    from eval.report import comparison_table, write_report
    from eval.runner import dataset_by_name, ensure_index, run_mode
    from search.searcher import MODES, Searcher
    from vanban.errors import VanbanError

    mode_list = [m.strip() for m in modes.split(",") if m.strip()]
    bad = [m for m in mode_list if m not in MODES]
    if bad:
        raise click.BadParameter(
            f"unknown mode(s) {', '.join(bad)}; use {', '.join(MODES)}", param_hint="--modes"
        )
    try:
        ds = dataset_by_name(dataset)
    except VanbanError as e:
        click.echo(f"skipped: {e}", err=True)
        sys.exit(0 if "absent" in str(e) else 2)
    questions = ds.questions if split == "all" else ds.split(split)
    answers = not no_answers and any(
        q.answer.any or q.answer.all or q.answer.abstain for q in questions
    )
    click.echo(f"{ds.name}: {len(questions)} questions ({split}), corpus {ds.corpus}", err=True)
    if index_dir is None:
        index_dir = ensure_index(ds, encoder=encoder, progress=not as_json)
    searcher = Searcher.load(index_dir, encoder=encoder, query_engine="torch")
    reports, outcomes = {}, {}
    for mode in mode_list:
        outcomes[mode] = run_mode(searcher, questions, mode, answers=answers)
        reports[mode] = aggregate(outcomes[mode], answers=answers)
    gate = [
        f"{mode}: {msg}"
        for mode in mode_list
        for msg in check_thresholds(reports[mode]["overall"], ds.thresholds.get(mode, {}))
    ]
    if report_dir:
        write_report(report_dir, ds.name, split, reports, outcomes, gate)
    if as_json:
        sys.stdout.write(
            json.dumps(
                {"dataset": ds.name, "split": split, "modes": reports, "gate_failures": gate},
                ensure_ascii=False,
            )
            + "\n"
        )
    else:
        click.echo(comparison_table(reports))
        for metric in ("recall@5_doc", "answer_accuracy"):
            from eval.report import breakdown_table

            if any(metric in g for r in reports.values() for g in r.get("by_kind", {}).values()):
                click.echo(f"\n{metric} by kind\n" + breakdown_table(reports, "by_kind", metric))
    for g in gate:
        click.echo(f"GATE FAIL {g}", err=True)
    if gate:
        sys.exit(1)
