"""Remembered settings (QSettings, INI format): window layout, last model and text, recent files, added models."""

from __future__ import annotations

from PySide6.QtCore import QSettings

ORGANIZATION = "AttentionExplorer"
APPLICATION = "Attention Explorer"
MAX_RECENT = 8


def open_settings() -> QSettings:
    return QSettings(QSettings.IniFormat, QSettings.UserScope, ORGANIZATION, APPLICATION)


def read_list(settings: QSettings, key: str) -> list[str]:
    value = settings.value(key, [])
    if isinstance(value, str):  # QSettings returns a lone string for a one-element list
        return [value] if value else []
    return [str(v) for v in value or []]


def push_recent(settings: QSettings, key: str, path: str) -> list[str]:
    items = [path, *(p for p in read_list(settings, key) if p != path)][:MAX_RECENT]
    settings.setValue(key, items)
    return items


def add_unique(settings: QSettings, key: str, path: str) -> list[str]:
    items = read_list(settings, key)
    if path not in items:
        items.append(path)
        settings.setValue(key, items)
    return items
