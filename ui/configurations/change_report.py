"""What an import or a copy of a portal configuration will do, in words a person reads.

Pure functions of the check's result (``config_io``'s ``ImportResult``): the report shown before
anything is created, with the products and prices named as the source knows them.
"""

from __future__ import annotations

import html
from typing import Any

from PySide6.QtCore import QCoreApplication

from console.configurations.rules import Catalogue
from console.configurations.transfer import ImportResult, read_document


def source_names(catalogue: Catalogue, data: Any = None) -> dict[str, str]:
    """What the source's product and price ids stand for, for a report a person reads."""
    names: dict[str, str] = {}
    document, _problems = read_document(data) if data is not None else (None, ())
    if document is not None:
        names.update({pid: name for pid, name in document.product_names.items() if name})
        for price in document.prices.values():
            label = price.lookup_key or ""
            names[price.id] = f"{price.product_name or ''} {label}".strip()
    else:
        names.update({pid: name for pid, name in catalogue.products.items() if name})
        for known in catalogue.prices.values():
            label = known.lookup_key or known.nickname or ""
            names[known.id] = f"{known.product_name or ''} {label}".strip()
    return names


def change_report_html(
    result: ImportResult, target: str, names: dict[str, str] | None = None
) -> str:
    """What an import or copy will do (or why it cannot), in plain words."""
    parts = []
    save_result = result.save
    if result.problems:
        parts.append(
            "<p><b>"
            + html.escape(QCoreApplication.translate("ChangeReport", "Nothing can be created:"))
            + "</b></p>"
        )
        parts.append(
            "<ul>"
            + "".join(
                f"<li>{html.escape(p.message)} <small>({html.escape(p.param)})</small></li>"
                for p in result.problems
            )
            + "</ul>"
        )
    elif save_result is not None:
        edited = save_result.edited
        name = edited.name or QCoreApplication.translate("ChangeReport", "(no name)")
        if edited.id is None:
            what = QCoreApplication.translate(
                "ChangeReport", "Creates a new configuration “{name}” on {target}."
            )
        else:
            what = QCoreApplication.translate(
                "ChangeReport", "Updates the configuration “{name}” ({id}) on {target}."
            )
        parts.append(
            "<p>" + html.escape(what.format(name=name, target=target, id=edited.id or "")) + "</p>"
        )
    mapping = result.mapping
    if mapping is not None and mapping.mapped:
        how_words = {
            ("product", "id"): QCoreApplication.translate("ChangeReport", "same id"),
            ("product", "lookup_key"): QCoreApplication.translate(
                "ChangeReport", "through its prices' lookup keys"
            ),
            ("product", "product_name"): QCoreApplication.translate("ChangeReport", "by name"),
            ("price", "id"): QCoreApplication.translate("ChangeReport", "same id"),
            ("price", "lookup_key"): QCoreApplication.translate("ChangeReport", "by lookup key"),
            ("price", "product_name"): QCoreApplication.translate(
                "ChangeReport", "by product name, amount and interval"
            ),
        }
        parts.append(
            "<p>"
            + html.escape(QCoreApplication.translate("ChangeReport", "Products and prices found:"))
            + "</p><ul>"
        )
        names = names or {}
        parts += [
            f"<li>{html.escape(names.get(m.source, ''))} {html.escape(m.source)} → "
            f"{html.escape(m.target)} ({html.escape(how_words[m.kind, m.how])})</li>"
            for m in mapping.mapped
        ]
        parts.append("</ul>")
    return "".join(parts)
