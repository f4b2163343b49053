"""The files sent with the digest — the chart (PNG) and the per-site table (CSV; XLSX with a "Sites" sheet and an
"About" sheet) — built once, here, for the posted digest and for `digest preview` alike."""

from __future__ import annotations

import io

import pandas as pd

from handlers.contract import Attachment
from handlers.i18n import _
from scheduler.digest import chart
from scheduler.digest.build import Digest
from scheduler.digest.columns import about, readable


def attachments(digest: Digest, lang: str) -> tuple[Attachment, ...]:
    """`alliance-digest-WEEK.png`, `.csv` and `.xlsx`, labelled in `lang` (the Hub's language)."""
    stem = f"alliance-digest-{digest.week.label}"
    sites = readable(digest, lang)
    return (
        Attachment(f"{stem}.png", chart.png(digest, lang)),
        # With a byte-order mark, so a spreadsheet opened by double-click reads "Niños" right.
        Attachment(f"{stem}.csv", sites.to_csv(index=False).encode("utf-8-sig")),
        Attachment(f"{stem}.xlsx", workbook(sites, about(digest, lang), lang)),
    )


def workbook(sites: pd.DataFrame, notes: pd.DataFrame, lang: str) -> bytes:
    """Two named sheets, each with a frozen header row and columns wide enough for their headers."""
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        for name, frame in ((_("Sites").render(lang), sites), (_("About").render(lang), notes)):
            frame.to_excel(writer, sheet_name=name, index=False)
            sheet = writer.sheets[name]
            sheet.freeze_panes = "A2"
            for number, header in enumerate(frame.columns, start=1):
                cells = [str(header), *(str(v) for v in frame[header].head(50))]
                width = min(60, max(len(text) for text in cells) + 2)
                sheet.column_dimensions[sheet.cell(row=1, column=number).column_letter].width = width
    return buffer.getvalue()
