"""The Qt binding itself: a release that loses references to None crashes a long session."""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QLabel


def test_widget_setters_keep_the_reference_count_of_none(qtbot):
    # PySide6 6.12.0 dropped one reference to None per call of these setters; after about
    # 20,000 calls Python aborted with "none_dealloc". pyproject.toml keeps that release out.
    label = QLabel()
    qtbot.addWidget(label)
    before = sys.getrefcount(None)
    for _ in range(500):
        label.setVisible(False)
        label.setToolTip("tip")
        label.setText("text")
        label.setObjectName("name")
    assert abs(sys.getrefcount(None) - before) < 50
