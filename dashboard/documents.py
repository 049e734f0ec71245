"""The annual report and the evidence pack: titles, meta lines and sections, then a writer."""

from django.utils.translation import gettext as _

from federation.models import Organisation

from . import report
from .registry import Filters
from .selectors import evidence_results, generated_at, panel_results


def _annual_meta(filters: Filters) -> list[tuple[str, str]]:
    return [
        (_("Year"), str(filters.year)),
        (_("Street"), str(filters.street) if filters.street else _("All streets")),
        (_("Generated at"), generated_at().strftime("%Y-%m-%d %H:%M")),
    ]


def annual_report_title(filters: Filters) -> str:
    return _("%(year)s annual report of the Jing'an District Social Organization Federation") % {
        "year": filters.year
    }


def _annual_sections(filters: Filters) -> list:
    return [(str(result.panel.title), result.data) for result in panel_results(filters)]


def annual_report_xlsx(filters: Filters) -> bytes:
    return report.workbook_bytes(
        title=annual_report_title(filters),
        meta=_annual_meta(filters),
        sections=_annual_sections(filters),
    )


def annual_report_pdf(filters: Filters) -> bytes:
    from . import pdf  # reportlab loads on first use

    return pdf.pdf_bytes(
        title=annual_report_title(filters),
        meta=_annual_meta(filters),
        sections=_annual_sections(filters),
    )


def annual_report_filename(filters: Filters, extension: str) -> str:
    street = f"-{filters.street.code}" if filters.street else ""
    return f"yilu-annual-report-{filters.year}{street}.{extension}"


def _evidence(organisation: Organisation, year: int):
    title = _("Evidence pack %(year)s: %(name)s") % {"year": year, "name": organisation.name}
    meta = [
        (_("Year"), str(year)),
        (_("Generated at"), generated_at().strftime("%Y-%m-%d %H:%M")),
    ]
    sections = [
        (str(result.section.title), result.data)
        for result in evidence_results(organisation=organisation, year=year)
    ]
    return title, meta, sections


def evidence_pack_xlsx(*, organisation: Organisation, year: int) -> bytes:
    title, meta, sections = _evidence(organisation, year)
    return report.workbook_bytes(title=title, meta=meta, sections=sections)


def evidence_pack_pdf(*, organisation: Organisation, year: int) -> bytes:
    title, meta, sections = _evidence(organisation, year)
    from . import pdf  # reportlab loads on first use

    return pdf.pdf_bytes(title=title, meta=meta, sections=sections, with_charts=False)


def evidence_pack_filename(organisation: Organisation, year: int, extension: str) -> str:
    return f"yilu-evidence-{organisation.slug}-{year}.{extension}"
