"""A self-contained HTML page to review the inconsistencies of the loaded reports.

Each finding shows both sides and, beside them, a crop of every PDF page region involved with
the figures highlighted, so a person can verify it in seconds; a summary lists how every rule
fared. Images are embedded (data URIs): the page works offline and can be mailed as one file.
"""
from __future__ import annotations

import base64
import html
import io
from dataclasses import dataclass
from pathlib import Path

import pdfplumber

from warehouse.read import coverage_of, open_read_only

CROP_MARGIN = 40.0  # points of context around the highlighted figures
RESOLUTION = 110


@dataclass(frozen=True)
class Term:
    label: str
    value: float
    decimals: int | None
    page: int
    x0: float | None
    top: float | None
    x1: float | None
    bottom: float | None

    @property
    def located(self) -> bool:
        return None not in (self.x0, self.top, self.x1, self.bottom)


def write_review(warehouse: Path, out_dir: Path) -> Path:
    """Write `inconsistencies.html` into out_dir and return its path."""
    reports, findings, summary, changes = load_review_data(warehouse)
    coverage = coverage_of(warehouse)
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / "inconsistencies.html"
    target.write_text(render_page(reports, findings, summary, changes, coverage), encoding="utf-8")
    return target


def load_review_data(warehouse: Path) -> tuple[list[dict], list[dict], list[dict], list[dict]]:
    with open_read_only(warehouse) as con:
        reports = _records(con, "select * from dim_reports order by municipality, body, fiscal_year")
        findings = _records(con, "select * from inconsistencies order by report_id, severity, rule_id, check_key")
        summary = _records(con, """
            select report_id, rule_id, any_value(description) as description, any_value(severity) as severity,
                   count(*) as checks, count(*) filter (where passed) as passed
            from fct_checks group by report_id, rule_id order by report_id, rule_id""")
        changes = _records(con, """
            select c.*, p.version as from_version, p.file_name as from_file
            from report_changes as c join dim_report_versions as p on p.report_id = c.previous_report_id
            order by c.change desc, c.status, c.table_name, c.row_path, c.column_path, c.check_key""")
    return reports, findings, summary, changes


def _records(con, sql: str) -> list[dict]:
    cursor = con.execute(sql)
    columns = [d[0] for d in cursor.description]
    return [dict(zip(columns, row)) for row in cursor.fetchall()]


def terms_of(raw: list[dict] | None) -> list[Term]:
    return [Term(**{k: t.get(k) for k in Term.__dataclass_fields__}) for t in raw or []]


def crop_png(pdf: pdfplumber.PDF, terms: list[Term]) -> str | None:
    """A PNG (data URI) of the page region around `terms` (all on one page), each boxed in red."""
    located = [t for t in terms if t.located]
    if not located or not 1 <= located[0].page <= len(pdf.pages):
        return None
    page = pdf.pages[located[0].page - 1]
    top = max(0.0, min(t.top for t in located) - CROP_MARGIN)
    bottom = min(float(page.height), max(t.bottom for t in located) + CROP_MARGIN)
    left = max(0.0, min(min(t.x0 for t in located) - 3 * CROP_MARGIN, float(page.width) * 0.08))
    right = min(float(page.width), max(max(t.x1 for t in located) + CROP_MARGIN, float(page.width) * 0.92))
    image = page.crop((left, top, right, bottom)).to_image(resolution=RESOLUTION)
    for t in located:
        image.draw_rect((t.x0 - 2, t.top - 2, t.x1 + 2, t.bottom + 2), stroke=(220, 0, 0), stroke_width=2, fill=(255, 230, 0, 60))
    buffer = io.BytesIO()
    image.annotated.save(buffer, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def side_html(title: str, reference: str, terms: list[Term], pdf: pdfplumber.PDF | None) -> str:
    parts = [f"<h4>{html.escape(title)}</h4><p class='ref'>{html.escape(reference or '')}</p>"]
    for page in sorted({t.page for t in terms}):
        on_page = [t for t in terms if t.page == page]
        uri = crop_png(pdf, on_page) if pdf is not None else None
        caption = f"page {page}: " + ", ".join(html.escape(_printed(t)) for t in on_page)
        if uri:
            parts.append(f"<figure><img src='{uri}' alt='{caption}'><figcaption>{caption}</figcaption></figure>")
        else:
            parts.append(f"<p class='missing'>{caption} (PDF not available to show the page)</p>")
    return "<div class='side'>" + "".join(parts) + "</div>"


def _printed(term: Term) -> str:
    decimals = term.decimals or 0
    return f"{term.value:,.{decimals}f}".replace(",", " ").replace(".", ",")


def render_page(reports: list[dict], findings: list[dict], summary: list[dict], changes: list[dict],
                coverage: list[dict] | None = None) -> str:
    coverage = coverage or []
    by_report = {c["report_id"]: c for c in coverage if c["report_id"]}
    sections = [render_report(r, [f for f in findings if f["report_id"] == r["report_id"]],
                              [s for s in summary if s["report_id"] == r["report_id"]],
                              [c for c in changes if c["report_id"] == r["report_id"]],
                              by_report.get(r["report_id"])) for r in reports]
    unread = [c for c in coverage if not c["report_id"]]
    sections += [f"""<section class="report unread"><h2>{html.escape(str(c['file_name']))}</h2>
<p class="unchecked">Not checked: {html.escape(str(c['reason']))}</p></section>""" for c in unread]
    checked = sum(1 for c in coverage if c["status"] == "checked")
    total = len(findings)
    return f"""<!doctype html>
<html lang="sv"><head><meta charset="utf-8"><title>arw · inconsistencies</title>
<style>{STYLE}</style></head>
<body><h1>Inconsistencies: {total} finding(s) in {checked} checked report(s), {len(coverage) - checked} not checked</h1>
{''.join(sections) or '<p>No reports loaded.</p>'}
</body></html>
"""


def render_report(report: dict, findings: list[dict], summary: list[dict], changes: list[dict],
                  coverage: dict | None = None) -> str:
    source = Path(str(report.get("source") or ""))
    pdf = pdfplumber.open(source) if source.is_file() else None
    unchecked = coverage is not None and coverage["status"] != "checked"
    nothing = (f"<p class='unchecked'>Not checked: {html.escape(str(coverage['reason']))}</p>" if unchecked
               else "<p class='ok'>No inconsistencies.</p>")
    try:
        items = "".join(render_finding(f, pdf) for f in findings) or nothing
    finally:
        if pdf is not None:
            pdf.close()
    rows = "".join(
        f"<tr class='{'fail' if s['passed'] < s['checks'] else 'pass'}'><td>{html.escape(s['rule_id'])}</td>"
        f"<td>{html.escape(s['description'])}</td><td>{s['severity']}</td><td>{s['checks']}</td>"
        f"<td>{s['passed']}</td><td>{s['checks'] - s['passed']}</td></tr>" for s in summary)
    known = [str(report[k]) for k in ("municipality", "body") if report.get(k)]
    title = " · ".join(known + [f"{report.get('report_type') or ''} {report.get('fiscal_year') or ''}".strip()]) \
        if known else str(report["file_name"])
    return f"""<section class="report" id="{report['report_id']}">
<h2>{html.escape(title)}</h2><p class="meta">{html.escape(report['file_name'])} · report id {report['report_id'][:16]}…</p>
{render_coverage(coverage)}<h3>Findings ({len(findings)})</h3>{items}{render_changes(changes)}
<h3>Rules</h3><table class="rules"><tr><th>rule</th><th>what it checks</th><th>severity</th><th>checks</th><th>passed</th><th>failed</th></tr>{rows}</table>
</section>"""


def render_coverage(coverage: dict | None) -> str:
    """What arw read of the report and how many checks it evaluated."""
    if coverage is None:
        return ""
    return (f"<p class='coverage'>{coverage['tables_recognised']} of {coverage['tables_found']} tables recognised · "
            f"{coverage['facts_loaded']} figures · {coverage['rows_quarantined']} rows quarantined · "
            f"{coverage['checks_passed']} of {coverage['checks_evaluated']} checks passed · "
            f"{html.escape(coverage['status'])}</p>")


def render_changes(changes: list[dict]) -> str:
    """What changed since the previous version of the report (nothing when it is the first)."""
    if not changes:
        return ""
    first = changes[0]
    rows = []
    for c in changes:
        if c["change"] == "figure":
            where = " · ".join(filter(None, [c["table_name"], c["row_path"], c["column_path"]]))
            printed = f"{c['old_printed'] or '–'} → {c['new_printed'] or '–'}"
        else:
            where, printed = f"{c['rule_id']}: {c['check_key']}", ""
        pages = " → ".join("–" if p is None else str(p) for p in (c["old_page"], c["new_page"]))
        rows.append(f"<tr class='{html.escape(c['status'].replace(' ', '-'))}'><td>{html.escape(c['change'])} "
                    f"{html.escape(c['status'])}</td><td>{html.escape(where)}</td><td>{html.escape(printed)}</td>"
                    f"<td>{html.escape(pages)}</td></tr>")
    return (f"<h3>Changes since version {first['from_version']} ({html.escape(str(first['from_file']))}): "
            f"{len(changes)}</h3><table class='changes'><tr><th>change</th><th>where</th><th>printed</th>"
            f"<th>page</th></tr>{''.join(rows)}</table>")


def render_finding(finding: dict, pdf: pdfplumber.PDF | None) -> str:
    other = f"<p>other report: {finding['other_report_id'][:16]}…</p>" if finding.get("other_report_id") else ""
    return f"""<article class="finding {finding['severity']}">
<h4>{html.escape(finding['rule_id'])} <span class="sev">{finding['severity']}</span></h4>
<p>{html.escape(finding['description'])}</p>
<p class="numbers">left {finding['left_value']:g} · right {finding['right_value']:g} · difference {finding['difference']:g}
 (tolerance {finding['tolerance']:g})</p>{other}
<div class="sides">{side_html('Left', finding['left_ref'], terms_of(finding['left_terms']), pdf)}
{side_html('Right', finding['right_ref'], terms_of(finding['right_terms']), pdf)}</div>
</article>"""


STYLE = """
body { font-family: system-ui, sans-serif; margin: 2rem; color: #222; }
.finding { border-left: 6px solid #c00; padding: .5rem 1rem; margin: 1rem 0; background: #fff8f8; }
.finding.warning { border-color: #e90; background: #fffbf0; }
.sev { font-size: .8rem; text-transform: uppercase; color: #900; }
.sides { display: flex; gap: 1.5rem; flex-wrap: wrap; }
.side { flex: 1 1 420px; }
.side img { max-width: 100%; border: 1px solid #ccc; }
.ref { font-family: monospace; font-size: .85rem; }
table.rules { border-collapse: collapse; } .rules td, .rules th { border: 1px solid #ddd; padding: .2rem .5rem; }
tr.fail { background: #fde; } tr.pass { background: #efe; }
table.changes { border-collapse: collapse; } .changes td, .changes th { border: 1px solid #ddd; padding: .2rem .5rem; }
tr.fixed { background: #efe; } tr.new { background: #fde; } tr.still-there { background: #ffe; }
.missing { color: #a00; }
.unchecked { color: #8a5a00; background: #fff4d6; padding: .3rem .6rem; font-weight: 600; }
.coverage { color: #444; }
"""
