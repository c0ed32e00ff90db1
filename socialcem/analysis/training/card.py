"""The model card, written by training from the metrics it measured: never edited by hand."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

_FIELD = re.compile(r"^- (Source|Licence/terms): (.*)$")


def source_notes(sources_md: Path) -> list[tuple[str, str, str]]:
    """(file, source, licence) per section of a corpus's SOURCES.md."""
    if not sources_md.exists():
        return []
    rows: list[tuple[str, str, str]] = []
    current, fields = "", dict[str, str]()
    for line in [*sources_md.read_text(encoding="utf-8").splitlines(), "## end"]:
        if line.startswith("## "):
            if current and fields:
                rows.append((current, fields.get("Source", ""), fields.get("Licence/terms", "")))
            current, fields = line[3:].strip(), dict[str, str]()
            continue
        match = _FIELD.match(line)
        if match:
            fields[match[1]] = match[2].strip()
    return rows


def _pct(x: float) -> str:
    return f"{x:.3f}"


def render_card(metrics: dict[str, Any], meta: dict[str, Any], data: Path) -> str:
    val, tune = metrics["tweets_en_val"], metrics["tweets_tune"]
    hold_name = meta["holdout_domain"]
    hold = metrics[f"holdout_{hold_name}"]
    est = hold["adjusted_nps"]
    lines = [
        f"# Model card: {meta['name']}",
        "",
        "Default socialcem model: logistic-regression heads (sentiment, NPS category) and a ridge",
        "head (likelihood to recommend, 0-10) over binary word uni/bigrams with negation scope,",
        "character 3-5-grams and VADER lexicon scores. Runs on numpy alone. English only:",
        "other detected languages are marked unscored and left out of Social NPS.",
        "",
        "Reproduce: `socialcem model train --data ../shared/data` (needs the `train` extra).",
        "Every figure below was written by that command.",
        "",
        "## Sentiment (English tweets)",
        "",
        "| split | accuracy | macro-recall | macro-F1 |",
        "|---|---|---|---|",
        f"| tuning slice of en_train (10%) | {_pct(tune['accuracy'])} | "
        f"{_pct(tune['macro_recall'])} | {_pct(tune['macro_f1'])} |",
        f"| en_val (never tuned on) | {_pct(val['accuracy'])} | {_pct(val['macro_recall'])} | "
        f"{_pct(val['macro_f1'])} |",
        "",
        "`socialcem eval ../shared/data/tweets/en_val.csv` reproduces the en_val row.",
        "",
        "## NPS from rated reviews, leave-one-domain-out",
        "",
        "Each row: a model trained without that domain, scored on it. `adjusted` corrects",
        "classify-and-count with the confusion measured on the other domains.",
        "",
        "| held-out domain | n | macro-recall | true NPS | counted | adjusted | error | "
        "error after calibrating on 200 |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in metrics["leave_one_domain_out"]:
        lines.append(
            f"| {r['domain']} | {r['n']:,} | {_pct(r['macro_recall'])} | {r['true_nps']:+.1f} | "
            f"{r['counted_nps']:+.1f} | {r['adjusted_nps']:+.1f} | {r['adjusted_error']:+.1f} | "
            f"{r['calibrated_200_mae']:.1f} |"
        )
    confusion = meta["confusion"]
    cal = hold["calibrated_200"]
    lines += [
        "",
        f"Cross-domain spread of the adjusted error (RMS): {confusion['systematic_sd']:.1f} "
        "points; Social NPS intervals include it.",
        "The last column is the mean absolute error over 20 draws of 200 labelled items.",
        "",
        f"## Held-out domain: {hold_name} (never used for training or tuning)",
        "",
        f"- macro-recall {_pct(hold['macro_recall'])}, accuracy {_pct(hold['accuracy'])}",
        f"- true NPS {hold['true_nps']:+.1f}; classify-and-count {hold['counted_nps']:+.1f}; "
        f"adjusted {est['value']:+.1f} (95% interval {est['low']:+.1f} to {est['high']:+.1f})",
        f"- after calibrating on 200 labelled items: mean absolute error "
        f"{cal['calibrated_mae']:.1f} points (worst of {cal['repeats']}: "
        f"{cal['calibrated_max']:.1f})",
        "",
        "## Training data and licences",
        "",
        "Read from `../shared/data` at training time; no text is shipped, only weights and the",
        "feature vocabulary (n-grams seen in at least 3 training texts).",
        "",
        "- English tweets (TweetEval sentiment): cardiffnlp/tweeteval; see its README for",
        '  terms ("released without any restrictions but restrictions may apply to individual',
        '  tasks ... or Twitter").',
    ]
    for name, source, licence in source_notes(data / "rated" / "SOURCES.md"):
        if not name.endswith(".csv"):
            continue
        domain = meta["sources"].get(name.removesuffix(".csv"), "")
        held = " (held out)" if domain == hold_name else ""
        lines.append(f"- {name}{held}: {source.split(' — ')[0]}. {licence}")
    lines += [
        "",
        "## Limits",
        "",
        "- English only; Hinglish and other romanised languages often pass as English.",
        "- Sarcasm and domain slang are read poorly; per-item labels are far less reliable than",
        "  the corrected aggregate.",
        "- Ratings map to NPS categories by convention (5 stars promoter, 4 passive); a brand's",
        "  own 0-10 survey answers, through `socialcem model calibrate`, fit it better.",
        "",
    ]
    return "\n".join(lines)
