"""How a portal configuration is named in pickers: its name, marked default or inactive.

One place for it, so every picker (open portal as customer, branding preview) lists the
configurations the same way and in the same order: the default first, inactive ones last.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from console.gateway.models import PortalConfigurationRecord


def configuration_label(record: PortalConfigurationRecord) -> str:
    name = record.name or record.id
    if record.is_default:
        return QCoreApplication.translate("ConfigurationNames", "{name} (default)").format(
            name=name
        )
    if not record.active:
        return QCoreApplication.translate("ConfigurationNames", "{name} (inactive)").format(
            name=name
        )
    return name


def picker_order(record: PortalConfigurationRecord) -> tuple[bool, bool, str]:
    """Sort key: the default first, then active ones, then by id (stable between loads)."""
    return (not record.is_default, not record.active, record.id)
